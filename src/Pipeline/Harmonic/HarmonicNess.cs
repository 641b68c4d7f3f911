using System.Diagnostics;
using LanguageExt;

namespace Ness.Pipeline.Harmonic;

/// <summary>The harmonic pipeline: parameters -> temperature profile (eq. 2.9 or eq. 2.6) -> step shape and currents.</summary>
public static class HarmonicNess
{
    /// <summary>The temperature profile T(x) = &lt;p_x^2&gt;: eq. (2.9) at weak coupling, eq. (2.6)-(2.7) at finite lambda.</summary>
    public static Fin<TemperatureProfile> TemperatureProfile(HarmonicParameters p) => Solve(p).Map(s => s.Profile);

    /// <summary>The temperature profile and the energy current: eq. (2.9) and J / lambda at weak coupling
    /// (<see cref="WeakCoupling"/>), eq. (2.6)–(2.7) and J at finite lambda (<see cref="FiniteCoupling"/>).</summary>
    public static Fin<(TemperatureProfile Profile, EnergyCurrent Current)> Solve(HarmonicParameters p) =>
        from _ in MemoryBudget.Check($"--length {p.Length}: the {(p.WeakCoupling ? "weak-coupling" : "finite-lambda")} profile",
                                     MemoryEstimate(p), "use a smaller --length")
        from s in p.WeakCoupling ? WeakCoupling.Solve(p) : FiniteCoupling.Solve(p)
        select s;

    /// <summary>Estimated peak memory in bytes: weak coupling keeps about 16 arrays of L doubles (eq. 2.9 is
    /// evaluated mode by mode); finite lambda the eigenvector windows of the 2L modes (<see cref="FiniteCoupling.MemoryEstimate"/>).</summary>
    public static double MemoryEstimate(HarmonicParameters p) => MemoryEstimate(p.Length, p.WeakCoupling);

    public static double MemoryEstimate(int L, bool weakCoupling) =>
        weakCoupling ? 16 * 8.0 * L : FiniteCoupling.MemoryEstimate(L);

    public static Fin<HarmonicResult> Run(HarmonicParameters p)
    {
        var clock = Stopwatch.StartNew();
        return Solve(p).Map(s => new HarmonicResult(
            p, s.Profile, StepShape.Of(s.Profile.Temperatures, p.TLeft, p.TRight), s.Current, clock.Elapsed.TotalSeconds));
    }
}
