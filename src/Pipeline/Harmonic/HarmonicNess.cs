using System.Diagnostics;
using LanguageExt;

namespace Ness.Pipeline.Harmonic;

/// <summary>Energy currents into the chain at finite lambda: left = lambda (T1 - T(1)) injected at site 1,
/// right = -lambda (TL - T(L)) extracted at site L (equal in the NESS).</summary>
public sealed record EnergyCurrent(double Left, double Right)
{
    public static EnergyCurrent? Of(HarmonicParameters p, TemperatureProfile profile) =>
        p.BathCoupling is double lambda
            ? new EnergyCurrent(lambda * (p.TLeft - profile.Temperatures[0]), -lambda * (p.TRight - profile.Temperatures[^1]))
            : null;
}

/// <summary>One NESS of the pinned harmonic chain with everything the output reports.</summary>
public sealed record HarmonicResult(
    HarmonicParameters Parameters, TemperatureProfile Profile, StepShape Step, EnergyCurrent? Current, double Seconds);

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
