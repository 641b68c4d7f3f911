using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace Ness.Operators.Fermion;

/// <summary>
/// The fermion chain Hamiltonian of section 3.2 (docs/interface.md normalisation):
/// H_F = J sum_{x=1}^{L-1} (a+_x a_{x+1} + h.c.) + V sum_{x=1}^{L-1} n_x n_{x+1} + 2 sum_{x=1}^{L} h_x n_x.
/// </summary>
public static class Hamiltonian
{
    /// <summary>H_F on the full Fock space, assembled from the Jordan–Wigner operators (a cross-check of
    /// <see cref="Block"/>, which works on bit strings directly).</summary>
    public static Matrix<Complex> Full(int L, double J, double V, ReadOnlySpan<double> h)
    {
        var H = Matrix<Complex>.Build.Sparse(1 << L, 1 << L);
        for (int x = 1; x < L; x++)
        {
            var hop = FermionOperators.Creator(L, x) * FermionOperators.Annihilator(L, x + 1);
            H += J * (hop + hop.ConjugateTranspose());
            H += V * (FermionOperators.Number(L, x) * FermionOperators.Number(L, x + 1));
        }
        for (int x = 1; x <= L; x++) H += 2 * h[x - 1] * FermionOperators.Number(L, x);
        return H;
    }

    /// <summary>The block H_n of H_F on the n-particle states of <paramref name="basis"/> (H_F conserves N).
    /// Real symmetric: nearest-neighbour hopping carries no Jordan–Wigner sign, which is checked, not assumed.</summary>
    public static Matrix<double> Block(FockBasis basis, int n, double J, double V, ReadOnlySpan<double> h)
    {
        int L = basis.Length;
        var states = basis.Blocks[n];
        var Hn = Matrix<double>.Build.Dense(states.Length, states.Length);
        for (int a = 0; a < states.Length; a++)
        {
            int s = states[a];
            double diag = 0;
            for (int x = 1; x <= L; x++) diag += 2 * h[x - 1] * FockBasis.Occupation(s, x);
            for (int x = 1; x < L; x++) diag += V * FockBasis.Occupation(s, x) * FockBasis.Occupation(s, x + 1);
            Hn[a, a] = diag;
            foreach (var (_, b, sign) in basis.Hops(s))
            {
                // a+_x a_{x+1} |s> = sign |t>; the h.c. term is its transpose
                Hn[b, a] += J * sign;
                Hn[a, b] += J * sign;
            }
        }
        return Hn;
    }
}
