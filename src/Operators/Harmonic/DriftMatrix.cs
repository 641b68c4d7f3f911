using MathNet.Numerics.LinearAlgebra;

namespace Ness.Operators.Harmonic;

/// <summary>The drift matrix of the Langevin dynamics dX = A X dt + S dB, X = (q, p): the harmonic chain's
/// counterpart of the fermion Liouvillian.</summary>
public static class DriftMatrix
{
    /// <summary>A of eq. (2.5): [[0, 1], [-H, -lambda (|1&gt;&lt;1| + |L&gt;&lt;L|)]] on X = (q, p).</summary>
    public static Matrix<double> Of(ChainHamiltonian h, double lambda)
    {
        int n = h.Length;
        var a = Matrix<double>.Build.Dense(2 * n, 2 * n);
        for (int x = 0; x < n; x++)
        {
            a[x, n + x] = 1;
            a[n + x, x] = -h.Diagonal[x];
            if (x > 0) a[n + x, x - 1] = h.Coupling;
            if (x < n - 1) a[n + x, x + 1] = h.Coupling;
        }
        a[n, n] -= lambda;
        a[2 * n - 1, 2 * n - 1] -= lambda;
        return a;
    }
}
