using System.Diagnostics;
using LanguageExt;

namespace Ness.Pipeline.Harmonic;

/// <summary>The harmonic pipeline: parameters -> temperature profile (eq. 2.9 or eq. 2.6) -> step shape and currents.</summary>
public static class HarmonicNess
{
    /// <summary>The temperature profile T(x) = &lt;p_x^2&gt;: eq. (2.9) at weak coupling, eq. (2.6)-(2.7) at finite lambda.</summary>
    public static Fin<TemperatureProfile> TemperatureProfile(HarmonicParameters p) =>
        p.WeakCoupling ? WeakCoupling.Profile(p) : ExactCovariance.Profile(p);

    public static Fin<HarmonicResult> Run(HarmonicParameters p)
    {
        var clock = Stopwatch.StartNew();
        return TemperatureProfile(p).Map(profile => new HarmonicResult(
            p, profile, StepShape.Of(profile.Temperatures, p.TLeft, p.TRight), EnergyCurrent.Of(p, profile),
            clock.Elapsed.TotalSeconds));
    }
}
