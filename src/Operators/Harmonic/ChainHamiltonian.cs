using System.Collections.Immutable;
using MathNet.Numerics.LinearAlgebra;

namespace Ness.Operators.Harmonic;

/// <summary>
/// H = V - g Laplacian of eq. (2.1) with free boundary conditions, a symmetric tridiagonal matrix:
/// H_xx = V_x + g (number of neighbours of x), H_{x,x+1} = H_{x+1,x} = -g.
/// </summary>
public sealed record ChainHamiltonian(ImmutableArray<double> Diagonal, double Coupling)
{
    public int Length => Diagonal.Length;

    /// <summary>The matrix H of eq. (2.1) for the given pinning V and coupling g (free boundary conditions).</summary>
    public static ChainHamiltonian Of(ImmutableArray<double> pinning, double g)
    {
        int n = pinning.Length;
        var d = new double[n];
        for (int x = 0; x < n; x++)
            d[x] = pinning[x] + g * ((x > 0 ? 1 : 0) + (x < n - 1 ? 1 : 0));
        return new ChainHamiltonian([.. d], g);
    }

    /// <summary>H as a dense matrix (for the dense solvers and cross-checks at small L).</summary>
    public Matrix<double> Dense()
    {
        int n = Length;
        var H = Matrix<double>.Build.Dense(n, n);
        for (int x = 0; x < n; x++)
        {
            H[x, x] = Diagonal[x];
            if (x + 1 < n) { H[x, x + 1] = -Coupling; H[x + 1, x] = -Coupling; }
        }
        return H;
    }
}
