using System.Diagnostics;
using LanguageExt;

namespace Ness.Pipeline.Harmonic;

/// <summary>The harmonic pipeline: parameters -> temperature profile (eq. 2.9 or eq. 2.6) -> step shape and currents.</summary>
public static class HarmonicNess
{
    /// <summary>The temperature profile T(x) = &lt;p_x^2&gt;: eq. (2.9) at weak coupling, eq. (2.6)-(2.7) at finite lambda.</summary>
    public static Fin<TemperatureProfile> TemperatureProfile(HarmonicParameters p) =>
        from _ in MemoryBudget.Check($"--length {p.Length}: the {(p.WeakCoupling ? "weak-coupling" : "finite-lambda")} profile",
                                     MemoryEstimate(p), "use a smaller --length")
        from t in p.WeakCoupling ? WeakCoupling.Profile(p) : ExactCovariance.Profile(p)
        select t;

    /// <summary>Estimated peak memory in bytes: weak coupling keeps about 16 arrays of L doubles (eq. 2.9 is
    /// evaluated mode by mode); finite lambda about 12 dense complex 2L x 2L matrices (drift matrix, its
    /// eigenvectors and inverse, the two bath covariances and their products).</summary>
    public static double MemoryEstimate(HarmonicParameters p) => MemoryEstimate(p.Length, p.WeakCoupling);

    public static double MemoryEstimate(int L, bool weakCoupling) =>
        weakCoupling ? 16 * 8.0 * L : 12 * 16.0 * (2.0 * L) * (2.0 * L);

    public static Fin<HarmonicResult> Run(HarmonicParameters p)
    {
        var clock = Stopwatch.StartNew();
        return TemperatureProfile(p).Map(profile => new HarmonicResult(
            p, profile, StepShape.Of(profile.Temperatures, p.TLeft, p.TRight), EnergyCurrent.Of(p, profile),
            clock.Elapsed.TotalSeconds));
    }
}
