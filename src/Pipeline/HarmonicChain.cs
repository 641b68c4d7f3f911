using System.Diagnostics;
using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Ness.Pipeline.Harmonic;
using static LanguageExt.Prelude;

namespace Ness.Pipeline;

/// <summary>
/// The pinned harmonic chain of section 2 as a library, and the one front door to its steady state (the CLI,
/// ensembles and <c>reproduce</c> go through it): describe the chain (<see cref="Create"/> or <see cref="Disordered"/>),
/// then <see cref="SteadyState"/> returns the certified temperature profile, step and currents, and on request the
/// covariance, or an error (<see cref="BadInput"/>, <see cref="NumericsRefused"/>). Same defaults, generator and
/// numbers as <c>ness harmonic</c>. <see cref="BathCoupling.Weak"/> is the weak-coupling limit lambda → 0, eq. (2.9);
/// <see cref="BathCoupling.Finite"/> the exact NESS at that lambda, eq. (2.6)–(2.7).
/// </summary>
public static class HarmonicChain
{
    /// <summary>A chain with explicit pinning V_1..V_L (L = pinning.Length), coupling g, bath temperatures T1, TL.</summary>
    public static Fin<HarmonicParameters> Create(
        double[] pinning, BathCoupling bath, double coupling = HarmonicParameters.DefaultCoupling, double tLeft = 1, double tRight = 2) =>
        HarmonicParameters.Create(pinning.Length, coupling, Lambda(bath), bath is BathCoupling.WeakLimit, [tLeft, tRight],
            Some(pinning), None, None);

    /// <summary>A chain with pinning uniform in [a, b) (default [1, 2]) drawn by <see cref="Ness.Pipeline.Disorder"/>
    /// for (seed, realization): realization 0 is <c>ness harmonic --pinning-range a,b --seed S</c>, realization r the
    /// r-th line of <c>ness ensemble harmonic</c>.</summary>
    public static Fin<HarmonicParameters> Disordered(
        int length, long seed, BathCoupling bath, long realization = 0, double a = 1, double b = 2,
        double coupling = HarmonicParameters.DefaultCoupling, double tLeft = 1, double tRight = 2)
    {
        if (realization < 0)
            return new BadInput("realization", $"{realization} is out of range; allowed: >= 0");
        if (length < 2 || length > HarmonicParameters.MaxLength)
            return new BadInput("--length", $"{length} is out of range; allowed: 2..{HarmonicParameters.MaxLength}");
        if (!double.IsFinite(a) || !double.IsFinite(b) || a <= 0 || a > b)
            return new BadInput("--pinning-range", $"{a},{b} is out of range; allowed: finite 0 < a <= b");
        return Create(Ness.Pipeline.Disorder.Uniform(seed, realization, length, a, b), bath, coupling, tLeft, tRight);
    }

    static Option<double> Lambda(BathCoupling bath) => bath is BathCoupling.Finite f ? Some(f.Lambda) : None;

    /// <summary>The NESS of <paramref name="p"/>: the temperature profile (eq. 2.9 or eq. 2.6–2.7), its step and
    /// currents, and with <paramref name="covariance"/> the covariance T1 C_1 + TL C_L of eq. (2.6) (C_1, C_L: one
    /// bath at unit temperature, the other at zero). The covariance needs a finite bath coupling.</summary>
    public static Fin<HarmonicSteadyState> SteadyState(HarmonicParameters p, bool covariance = false)
    {
        if (covariance && p.WeakCoupling)
            return new BadInput("covariance",
                "the covariance is computed at finite bath coupling only (eq. 2.6); give bathCoupling (lambda > 0)");
        var clock = Stopwatch.StartNew();
        // the profile and current always come from the pipeline; the full covariance from the dense spectral solve
        // of eq. (2.6), which certifies short chains only (it refuses long localized ones, exit 3)
        var solved =
            from s in HarmonicNess.Solve(p, SolverPlan.Harmonic(p.Length, p.Bath))
            let seconds = clock.Elapsed.TotalSeconds
            from cov in covariance
                ? ExactCovariance.Solve(p).Map(d => Some((p.TLeft * d.Left + p.TRight * d.Right).Real()))
                : FinSucc(Option<Matrix<double>>.None)
            select (s.Profile, s.Current, Covariance: cov, Seconds: seconds);
        return solved.Map(s => new HarmonicSteadyState(
            p, s.Profile.Temperatures, StepShape.Of(s.Profile.Temperatures, p.TLeft, p.TRight),
            s.Current, s.Profile.Certificate, s.Covariance, s.Seconds));
    }
}
