using System.Collections.Immutable;
using LanguageExt;
using Ness.Numerics;
using Ness.Numerics.Tridiagonal;
using Ness.Operators.Harmonic;

namespace Ness.Pipeline.Harmonic;

/// <summary>
/// The weak-coupling limit lambda -> 0 of the NESS, eq. (2.9), evaluated with full relative accuracy in the
/// tails of localized modes: eigenvalues by Sturm bisection, ln|psi_k(x)|^2 by twisted factorizations,
/// and the weights alpha(1,k), alpha(L,k) of eq. (2.13) in log space. O(L^2) time, O(L) memory.
/// </summary>
public static class WeakCoupling
{
    public const string Method = "weak-coupling: Sturm bisection + twisted-factorization log-eigenvectors, eq. (2.9)";

    /// <summary>Largest tolerated |sum_k |psi_k(x)|^2 - 1| (completeness of the computed eigenvectors).</summary>
    public const double CompletenessTolerance = 1e-10;

    /// <summary>Eigenvalues closer than this many ulps of ||H|| cannot be told apart in double precision.</summary>
    public const double MinGapUlps = 16;

    /// <summary>Peak memory in bytes: about 16 arrays of L doubles (eq. 2.9 is evaluated mode by mode).</summary>
    public static double MemoryEstimate(int L) => 16 * 8.0 * L;

    /// <summary>
    /// eq. (2.9): T(x) = sum_k |psi_k(x)|^2 (T1 alpha(1,k) + TL alpha(L,k)), alpha(L,k) = |psi_k(L)|^2 /
    /// (|psi_k(1)|^2 + |psi_k(L)|^2) = 1 / (1 + exp(ln|psi_k(1)|^2 - ln|psi_k(L)|^2)), alpha(1,k) = 1 - alpha(L,k).
    /// Evaluated as T(x) = T1 + (TL - T1) rho(x), rho(x) = sum_k |psi_k(x)|^2 alpha(L,k) / sum_k |psi_k(x)|^2
    /// (the denominator is 1 exactly; dividing by its computed value keeps T exactly between T1 and TL, exactly
    /// flat at T1 = TL, and its deviation from 1 is reported as "completeness_error").
    /// Refuses (exit 3) when two eigenvalues are closer than double precision can resolve or completeness fails.
    /// Together with the leading order of the energy current, J / lambda =
    /// (T1 − TL) sum_k |psi_k(1)|^2 |psi_k(L)|^2 / (|psi_k(1)|^2 + |psi_k(L)|^2) (from T(1) of eq. 2.9:
    /// J = lambda (T1 − T(1))), summed in log space from the log-eigenvectors: every term is positive, so the sum keeps
    /// full relative accuracy however small (~e^{-L/xi}).
    /// </summary>
    public static Fin<(TemperatureProfile Profile, EnergyCurrent Current)> Solve(HarmonicParameters p)
    {
        var H = ChainHamiltonian.Of(p.Pinning, p.Coupling);
        var h = new SymmetricTridiagonal(H.Diagonal, H.Coupling);
        int n = h.Length;
        var (omega2, sweeps) = SturmBisection.Eigenvalues(h);

        var (minGap, minGapAt, minGapUlps) = SpectralGap.Of(omega2);
        var gap = new Check("min_eigenvalue_gap_ulps", minGapUlps, MinGapUlps,
            $"eigenvalues {minGapAt + 1} and {minGapAt + 2} of H (omega^2 = {omega2[minGapAt]:R}) are " +
            $"only {minGapUlps:G3} ulps apart; double precision cannot separate their eigenvectors (a mirror-symmetric " +
            "pinning makes such pairs), so eq. (2.9) cannot be evaluated reliably", AtLeast: true);
        if (!gap.Passes) return new NumericsRefused(RefusalPrefix + gap.Refusal);   // before the O(L^2) work

        // alpha(L,k) = 1 / (1 + a/b) and ln(a b / (a + b)) for a = |psi_k(1)|^2, b = |psi_k(L)|^2
        var modes = EndWeightedModes.Of(h, omega2, (la, lb) =>
        {
            double hi = Math.Max(la, lb);
            return (1.0 / (1.0 + Math.Exp(la - lb)), la + lb - (hi + Math.Log(1 + Math.Exp(Math.Min(la, lb) - hi))));
        });
        var (num, den, logTerm, maxResidual) = modes;
        double completeness = modes.Completeness;
        var t = new double[n];
        double t1 = p.TLeft, dt = p.TRight - p.TLeft;
        for (int x = 0; x < n; x++) t[x] = t1 + dt * Math.Min(1.0, num[x] / den[x]);
        var complete = new Check("completeness_error", completeness, CompletenessTolerance,
            $"the computed eigenvectors are not complete (max_x |sum_k |psi_k(x)|^2 - 1| = {completeness:G3} " +
            $"> {CompletenessTolerance:G1}); eq. (2.9) cannot be certified");
        double drive = p.TLeft - p.TRight;
        double logSum = LogSpace.Sum(logTerm);
        double lnJ = drive == 0 ? double.NegativeInfinity : Math.Log(Math.Abs(drive)) + logSum;
        var current = new EnergyCurrent.PerBathCoupling(drive == 0 ? 0 : Math.Sign(drive) * Math.Exp(lnJ), lnJ);
        return new Certificate(Method,
            [
                complete,
                new Number("max_eigenvector_residual", maxResidual),
                new Number("min_eigenvalue_gap", minGap),
                gap,
                new Number("bisection_sweeps", sweeps),
            ]).Verify(RefusalPrefix).Map(c => (new TemperatureProfile([.. t], c), (EnergyCurrent)current));
    }

    const string RefusalPrefix = "weak coupling: ";
}
