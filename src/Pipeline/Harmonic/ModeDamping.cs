using Ness.Numerics.Tridiagonal;
using Ness.Operators.Harmonic;

namespace Ness.Pipeline.Harmonic;

/// <summary>
/// A-priori estimate of the smallest damping rate -Re E_k of the modes of A (eq. 2.5) from the accurate
/// eigenvectors of H: to first order in lambda (paper, below eq. 2.8) dE_k/dlambda = -(|psi_k(1)|^2 + |psi_k(L)|^2)/2,
/// and for lambda large compared with omega_k a mode is overdamped and its rate falls like omega_k^2 / lambda;
/// gamma_k ~ (|psi_k(1)|^2 + |psi_k(L)|^2) / 2 * lambda omega_k^2 / (omega_k^2 + lambda^2) covers both regimes.
/// Computed in log space (it may be far below the smallest double). O(L^2) time, O(L) memory.
/// </summary>
public static class ModeDamping
{
    /// <summary>ln of the estimated smallest damping rate min_k gamma_k.</summary>
    public static double LogMinimum(ChainHamiltonian h, double lambda)
    {
        int n = h.Length;
        var t = new SymmetricTridiagonal(h.Diagonal, h.Coupling);
        var (omega2, _) = SturmBisection.Eigenvalues(t);
        var dPlus = new double[n];
        var dMinus = new double[n];
        var logPsi2 = new double[n];
        double min = double.PositiveInfinity;
        for (int k = 0; k < n; k++)
        {
            TwistedEigenvector.LogSquares(t, omega2[k], dPlus, dMinus, logPsi2);
            double a = logPsi2[0], b = logPsi2[n - 1], hi = Math.Max(a, b);
            double logEdge = hi + Math.Log(Math.Exp(a - hi) + Math.Exp(b - hi));
            double w2 = omega2[k];
            double logGamma = logEdge + Math.Log(0.5 * lambda * w2 / (w2 + lambda * lambda));
            min = Math.Min(min, logGamma);
        }
        return min;
    }
}
