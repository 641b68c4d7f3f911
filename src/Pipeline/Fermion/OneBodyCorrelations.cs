using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using Ness.Operators.Fermion;

namespace Ness.Pipeline.Fermion;

/// <summary>
/// The one-body correlation matrix G_xy = &lt;a+_x a_y&gt; = tr(rho a+_x a_y), x, y = 1..L (index 0 = site 1), of a
/// steady state. Its diagonal is the density profile and −2 J Im G_{x,x+1} the bond current (<see cref="Currents"/>);
/// G is Hermitian with eigenvalues in [0, 1]. For free fermions (V = 0, section 3.2) it alone determines the
/// NESS and solves X G + G X^+ = −Gamma_plus with X = i h − Gamma/2 (h the one-body Hamiltonian).
/// </summary>
public static class OneBodyCorrelations
{
    public static Matrix<Complex> Of(FermionState s)
    {
        var basis = s.Model.Basis;
        int L = basis.Length;
        var G = Matrix<Complex>.Build.Dense(L, L);
        for (int N = 0; N <= L; N++)
        {
            var states = basis.Blocks[N];
            var rho = s.Rho[N];
            for (int a = 0; a < states.Length; a++)
            {
                int st = states[a];
                for (int y = 1; y <= L; y++)
                {
                    if (FockBasis.Occupation(st, y) == 0) continue;
                    G[y - 1, y - 1] += rho[a, a];
                    // <b| a+_x a_y |a> = sign for b = a+_x a_y |a>, x empty in a: G_xy += rho[a, b] sign
                    int s1 = st & ~(1 << (y - 1));
                    int sign1 = FockBasis.StringSign(st, y);
                    for (int x = 1; x <= L; x++)
                    {
                        if (x == y || FockBasis.Occupation(st, x) == 1) continue;
                        int b = basis.IndexInBlock[s1 | (1 << (x - 1))];
                        G[x - 1, y - 1] += sign1 * FockBasis.StringSign(s1, x) * rho[a, b];
                    }
                }
            }
        }
        return G;
    }
}
