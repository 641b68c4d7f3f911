using System.Collections.Immutable;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Ness.Pipeline.Harmonic;

/// <summary>
/// A validated pinned harmonic chain (paper, section 2, eq. 2.1-2.4) on sites 1..L with baths on sites 1 and L.
/// <see cref="Bath"/> is lambda of eq. (2.4), or the weak-coupling limit lambda -> 0 (eq. 2.9).
/// Built only through <see cref="Create"/>, which gathers every argument check in one place.
/// </summary>
public sealed record HarmonicParameters(
    int Length, double Coupling, BathCoupling Bath, double TLeft, double TRight, ImmutableArray<double> Pinning)
{
    /// <summary>Default pinning range, used when a seed is given without a range: the paper states none;
    /// docs/numerics.md uses [1, 2].</summary>
    public static readonly (double A, double B) DefaultPinningRange = (1.0, 2.0);

    /// <summary>Default harmonic coupling g (the paper's figures use g = 0.1).</summary>
    public const double DefaultCoupling = 0.1;

    /// <summary>Default bath temperatures T1, TL.</summary>
    public static readonly (double T1, double TL) DefaultTemperatures = (1.0, 2.0);

    /// <summary>Largest chain: the weak-coupling method is O(L^2) in time (L = 10,000 takes ~9 s, so
    /// 100,000 ~15 min); longer chains are refused rather than left running for days.</summary>
    public const int MaxLength = 100_000;

    public bool WeakCoupling => Bath is BathCoupling.WeakLimit;

    /// <summary>
    /// Checks and builds the parameters. The pinning is either <paramref name="pinning"/> (explicit V_1..V_L) or
    /// drawn from <paramref name="seed"/>: V_x uniform in [a, b) of <paramref name="pinningRange"/> (default
    /// <see cref="DefaultPinningRange"/>) by <see cref="Disorder.Uniform"/> as realization 0 of the seed.
    /// Exactly one of <paramref name="bathCoupling"/> and <paramref name="weakCoupling"/> must be given.
    /// </summary>
    public static Fin<HarmonicParameters> Create(
        int length, double coupling, Option<double> bathCoupling, bool weakCoupling, double[] temperatures,
        Option<double[]> pinning, Option<double[]> pinningRange, Option<long> seed)
    {
        if (length < 2 || length > MaxLength)
            return new BadInput("--length", $"{length} is out of range; allowed: 2..{MaxLength}");
        if (!double.IsFinite(coupling) || coupling <= 0)
            return new BadInput("--coupling",
                $"{coupling} is out of range; allowed: a finite number g > 0 (g < 0 is unphysical; at g = 0 the inner " +
                "sites decouple from the baths and the steady state is not unique)");
        if (bathCoupling.IsSome == weakCoupling)
            return new BadInput("--bath-coupling",
                "give exactly one of --bath-coupling LAMBDA (finite lambda > 0) and --weak-coupling (the limit lambda -> 0)");
        if (bathCoupling.Exists(lam => !double.IsFinite(lam) || lam <= 0))
            return new BadInput("--bath-coupling", $"{bathCoupling.IfNone(0)} is out of range; allowed: a finite number lambda > 0");
        if (temperatures.Length != 2)
            return new BadInput("--temperatures", $"expected 2 comma-separated temperatures T1,TL, got {temperatures.Length}");
        if (temperatures.Any(t => !double.IsFinite(t) || t < 0))
            return new BadInput("--temperatures", "temperatures must be finite and >= 0");
        var (a0, b0) = DefaultPinningRange;
        var bath = bathCoupling.Match(l => (BathCoupling)new BathCoupling.Finite(l), () => BathCoupling.Weak);
        var drawn = pinning.Match(
            Some: v => pinningRange.IsSome
                ? FinFail<double[]>(new BadInput("--pinning",
                    "give either --pinning V1,...,VL or --pinning-range a,b (with --seed S), not both"))
                : seed.IsSome
                    ? FinFail<double[]>(new BadInput("--seed",
                        "--seed only goes with a drawn pinning (explicit --pinning has no disorder to draw)"))
                    : Explicit(length, v),
            None: () => seed.Match(
                Some: s => Drawn(length, pinningRange.IfNone([a0, b0]), s),
                None: () => pinningRange.IsSome
                    ? FinFail<double[]>(new BadInput("--seed", "--pinning-range needs --seed S (an integer)"))
                    : FinFail<double[]>(new BadInput("--seed",
                        $"required: --seed S draws the pinning uniformly in [{a0}, {b0}) (or --pinning-range a,b); " +
                        "or give it explicitly with --pinning V1,...,VL"))));
        return drawn.Map(v => new HarmonicParameters(length, coupling, bath, temperatures[0], temperatures[1], [.. v]));
    }

    static Fin<double[]> Explicit(int length, double[] v) =>
        v.Length != length
            ? new BadInput("--pinning", $"expected {length} comma-separated values (one per site), got {v.Length}")
            : v.Any(x => !double.IsFinite(x) || x <= 0)
                ? new BadInput("--pinning", "pinning values must be finite and > 0")
                : v;

    static Fin<double[]> Drawn(int length, double[] r, long seed) =>
        r.Length != 2
            ? new BadInput("--pinning-range", $"expected 2 comma-separated bounds a,b, got {r.Length}")
            : !double.IsFinite(r[0]) || !double.IsFinite(r[1]) || r[0] <= 0 || r[0] > r[1]
                ? new BadInput("--pinning-range", $"{r[0]},{r[1]} is out of range; allowed: finite 0 < a <= b")
                : Disorder.Uniform(seed, 0, length, r[0], r[1]);
}
