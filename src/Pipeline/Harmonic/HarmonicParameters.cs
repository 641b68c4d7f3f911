using System.Collections.Immutable;
using LanguageExt;

namespace Ness.Pipeline.Harmonic;

/// <summary>
/// A validated pinned harmonic chain (paper, section 2, eq. 2.1-2.4) on sites 1..L with baths on sites 1 and L.
/// <see cref="BathCoupling"/> is lambda of eq. (2.4), or null for the weak-coupling limit lambda -> 0 (eq. 2.9).
/// Built only through <see cref="Create"/>, which gathers every argument check in one place.
/// </summary>
public sealed record HarmonicParameters(
    int Length, double Coupling, double? BathCoupling, double TLeft, double TRight, ImmutableArray<double> Pinning)
{
    /// <summary>Default pinning range of <c>--pinning-range</c>: the paper states none; docs/numerics.md uses [1, 2].</summary>
    public static readonly (double A, double B) DefaultPinningRange = (1.0, 2.0);

    public const double DefaultCoupling = 0.1;

    /// <summary>Largest chain: the weak-coupling method is O(L^2) in time (L = 10,000 takes ~9 s, so
    /// 100,000 ~15 min); longer chains are refused rather than left running for days.</summary>
    public const int MaxLength = 100_000;

    public bool WeakCoupling => BathCoupling is null;

    /// <summary>
    /// Checks and builds the parameters. Exactly one of <paramref name="pinning"/> (explicit V_1..V_L) and
    /// <paramref name="pinningRange"/> (a,b with <paramref name="seed"/>; V_x uniform in [a, b) drawn by
    /// <see cref="Disorder.Uniform"/> as realization 0 of the seed) must be given, and exactly one of
    /// <paramref name="bathCoupling"/> and <paramref name="weakCoupling"/>.
    /// </summary>
    public static Fin<HarmonicParameters> Create(
        int length, double coupling, double? bathCoupling, bool weakCoupling, double[] temperatures,
        double[]? pinning, double[]? pinningRange, long? seed)
    {
        if (length < 2 || length > MaxLength)
            return new BadInput("--length", $"{length} is out of range; allowed: 2..{MaxLength}");
        if (!double.IsFinite(coupling) || coupling <= 0)
            return new BadInput("--coupling",
                $"{coupling} is out of range; allowed: a finite number g > 0 (g < 0 is unphysical; at g = 0 the inner " +
                "sites decouple from the baths and the steady state is not unique)");
        if (bathCoupling is null == !weakCoupling)
            return new BadInput("--bath-coupling",
                "give exactly one of --bath-coupling LAMBDA (finite lambda > 0) and --weak-coupling (the limit lambda -> 0)");
        if (bathCoupling is double lam && (!double.IsFinite(lam) || lam <= 0))
            return new BadInput("--bath-coupling", $"{lam} is out of range; allowed: a finite number lambda > 0");
        if (temperatures.Length != 2)
            return new BadInput("--temperatures", $"expected 2 comma-separated temperatures T1,TL, got {temperatures.Length}");
        if (temperatures.Any(t => !double.IsFinite(t) || t < 0))
            return new BadInput("--temperatures", "temperatures must be finite and >= 0");
        if (pinning is null == pinningRange is null)
            return new BadInput("--pinning",
                "give exactly one of --pinning V1,...,VL and --pinning-range a,b (with --seed S)");

        double[] v;
        if (pinning is not null)
        {
            if (seed is not null)
                return new BadInput("--seed", "--seed only goes with --pinning-range (explicit --pinning has no disorder to draw)");
            if (pinning.Length != length)
                return new BadInput("--pinning", $"expected {length} comma-separated values (one per site), got {pinning.Length}");
            if (pinning.Any(x => !double.IsFinite(x) || x <= 0))
                return new BadInput("--pinning", "pinning values must be finite and > 0");
            v = pinning;
        }
        else
        {
            var r = pinningRange!;
            if (r.Length != 2)
                return new BadInput("--pinning-range", $"expected 2 comma-separated bounds a,b, got {r.Length}");
            if (!double.IsFinite(r[0]) || !double.IsFinite(r[1]) || r[0] <= 0 || r[0] > r[1])
                return new BadInput("--pinning-range", $"{r[0]},{r[1]} is out of range; allowed: finite 0 < a <= b");
            if (seed is not long s)
                return new BadInput("--seed", "--pinning-range needs --seed S (an integer)");
            v = Disorder.Uniform(s, 0, length, r[0], r[1]);
        }
        return new HarmonicParameters(length, coupling, bathCoupling, temperatures[0], temperatures[1], [.. v]);
    }
}
