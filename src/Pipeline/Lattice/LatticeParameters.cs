using System.Collections.Immutable;
using System.Globalization;
using LanguageExt;
using Ness.Operators.Harmonic;
using Ness.Pipeline.Harmonic;
using static LanguageExt.Prelude;

namespace Ness.Pipeline.Lattice;

/// <summary>
/// A validated harmonic model on a box in Z^d (paper, section 2, eqs. 2.1–2.6 in their general form): the box,
/// the pinning V (one value per site, x fastest), the coupling g of H = V − g Laplacian, the boundary set with
/// one bath and temperature per site, and the bath coupling: <see cref="BathCoupling.Finite"/> lambda &gt; 0 (eq. 2.6)
/// or <see cref="BathCoupling.Weak"/>, the weak-coupling limit (eq. 2.10). <see cref="Faces"/>: the bath set is the default faces x = 1 (T1) and x = NX (T2).
/// Built only through <see cref="Create"/>.
/// </summary>
public sealed record LatticeParameters(
    Box Box, double Coupling, BathCoupling Bath, ImmutableArray<Bath> Baths, ImmutableArray<double> Pinning,
    bool Faces)
{
    /// <summary>Largest box (sites): the dense methods need n^2 doubles several times over; larger boxes are
    /// refused by the memory budget before that (24^3 = 13,824 sites take ~4.6 GB at weak coupling).</summary>
    public const int MaxSites = 40_000;

    public bool WeakCoupling => Bath is BathCoupling.WeakLimit;

    /// <summary>lambda of a finite bath coupling (an error at weak coupling: a bug of the caller).</summary>
    public double Lambda => Bath is BathCoupling.Finite f ? f.Lambda : throw new InvalidOperationException("weak coupling has no lambda");

    public int Sites => Box.Sites;

    /// <summary>Parses --shape NX[xNY[xNZ]]: 1 to 3 positive integers separated by 'x', NX &gt;= 2 (a single site has no
    /// profile), at most <see cref="MaxSites"/> sites.</summary>
    public static Fin<Box> ParseShape(string shape)
    {
        var parts = shape.Trim().ToLowerInvariant().Split('x');
        if (parts.Length is < 1 or > 3)
            return new BadInput("--shape", $"'{shape}' is not NX, NXxNY or NXxNYxNZ");
        var n = new[] { 1, 1, 1 };
        for (int k = 0; k < parts.Length; k++)
            if (!int.TryParse(parts[k], NumberStyles.None, CultureInfo.InvariantCulture, out n[k]) || n[k] < 1)
                return new BadInput("--shape", $"'{shape}': each size must be an integer >= 1 (NX, NXxNY or NXxNYxNZ)");
        if (n[0] < 2)
            return new BadInput("--shape", $"'{shape}': NX must be >= 2 (the baths sit on the faces x = 1 and x = NX)");
        if ((long)n[0] * n[1] * n[2] > MaxSites)
            return new BadInput("--shape", $"'{shape}' has {(long)n[0] * n[1] * n[2]} sites; allowed: at most {MaxSites}");
        return new Box(n[0], n[1], n[2]);
    }

    /// <summary>
    /// Checks and builds the parameters. Pinning: explicit (one value &gt; 0 per site, x fastest) or drawn uniformly in
    /// [a, b) (default [1, 2]) by <see cref="Disorder.Uniform"/> as realization <paramref name="realization"/> of the seed.
    /// Baths: <paramref name="baths"/> (from a file, <see cref="Lattice.Baths.Parse"/>) or the faces at
    /// <paramref name="temperatures"/> T1, T2. Exactly one of <paramref name="bathCoupling"/> and
    /// <paramref name="weakCoupling"/>.
    /// </summary>
    public static Fin<LatticeParameters> Create(
        Box box, double coupling, Option<double> bathCoupling, bool weakCoupling, double[] temperatures,
        Option<ImmutableArray<Bath>> baths, Option<double[]> pinning, Option<double[]> pinningRange, Option<long> seed,
        long realization = 0)
    {
        if (!double.IsFinite(coupling) || coupling <= 0)
            return new BadInput("--coupling", $"{coupling} is out of range; allowed: a finite number g > 0");
        if (bathCoupling.IsSome == weakCoupling)
            return new BadInput("--bath-coupling",
                "give exactly one of --bath-coupling LAMBDA (finite lambda > 0) and --weak-coupling (the limit lambda -> 0)");
        if (bathCoupling.Exists(l => !double.IsFinite(l) || l <= 0))
            return new BadInput("--bath-coupling", $"{bathCoupling.IfNone(0)} is out of range; allowed: a finite number lambda > 0");
        if (temperatures.Length != 2)
            return new BadInput("--temperatures", $"expected 2 comma-separated temperatures T1,T2, got {temperatures.Length}");
        if (temperatures.Any(t => !double.IsFinite(t) || t < 0))
            return new BadInput("--temperatures", "temperatures must be finite and >= 0");
        int n = box.Sites;
        Fin<double[]> v = (pinning.IsSome, pinningRange.IsSome, seed.IsSome) switch
        {
            (true, true, _) => new BadInput("--pinning", "give either --pinning (one value per site) or --pinning-range a,b with --seed S, not both"),
            (true, false, true) => new BadInput("--seed", "--seed only goes with a drawn pinning (explicit --pinning has no disorder to draw)"),
            (true, false, false) => Explicit(n, (double[])pinning),
            (false, _, true) => Drawn(n, pinningRange.IfNone([1.0, 2.0]), (long)seed, realization),
            (false, true, false) => new BadInput("--seed", "--pinning-range needs --seed S (an integer)"),
            _ => new BadInput("--seed", "required: --seed S draws the pinning uniformly in [1, 2) (or --pinning-range a,b); " +
                                        $"or give it explicitly with --pinning (one value per site, {n} values, x fastest)"),
        };
        var set = baths.IfNone(() => Lattice.Baths.Faces(box, temperatures[0], temperatures[1]));
        foreach (var b in set)
            if (b.Site < 0 || b.Site >= n || !double.IsFinite(b.Temperature) || b.Temperature < 0)
                return new BadInput("--baths", $"bath {b} is outside the box or has a negative temperature");
        if (set.Select(b => b.Site).Distinct().Count() != set.Length)
            return new BadInput("--baths", "a site is listed twice");
        if (set.Length == 0) return new BadInput("--baths", "no bath site");
        BathCoupling bath = bathCoupling.Match(l => (BathCoupling)new BathCoupling.Finite(l), () => BathCoupling.Weak);
        return v.Map(p => new LatticeParameters(box, coupling, bath, set, [.. p], baths.IsNone));
    }

    static Fin<double[]> Explicit(int n, double[] v) =>
        v.Length != n
            ? new BadInput("--pinning", $"expected {n} comma-separated values (one per site, x fastest), got {v.Length}")
            : v.Any(x => !double.IsFinite(x) || x <= 0)
                ? new BadInput("--pinning", "pinning values must be finite and > 0")
                : v;

    static Fin<double[]> Drawn(int n, double[] r, long seed, long realization) =>
        r.Length != 2
            ? new BadInput("--pinning-range", $"expected 2 comma-separated bounds a,b, got {r.Length}")
            : !double.IsFinite(r[0]) || !double.IsFinite(r[1]) || r[0] <= 0 || r[0] > r[1]
                ? new BadInput("--pinning-range", $"{r[0]},{r[1]} is out of range; allowed: finite 0 < a <= b")
                : realization < 0
                    ? new BadInput("realization", $"{realization} is out of range; allowed: >= 0")
                    : Disorder.Uniform(seed, realization, n, r[0], r[1]);

    /// <summary>H = V − g Laplacian of eq. (2.1) on the box.</summary>
    public BoxHamiltonian Hamiltonian() => BoxHamiltonian.Of(Box, Pinning, Coupling);

    /// <summary>The same model reflected x -> NX + 1 − x (pinning and baths mirrored).</summary>
    public LatticeParameters MirroredX() => this with
    {
        Pinning = [.. Enumerable.Range(0, Sites).Select(i => Pinning[Box.MirrorX(i)])],
        Baths = [.. Baths.Select(b => b with { Site = Box.MirrorX(b.Site) })],
        Faces = false,
    };
}
