using System.Text.Json.Nodes;
using LanguageExt;
using Ness.Cli.Ensemble;
using Ness.Operators.Harmonic;
using Ness.Pipeline;
using Ness.Pipeline.Ensemble;
using Ness.Pipeline.Harmonic;

namespace Ness.Cli.Reproduce;

/// <summary>
/// Beyond the paper: the d = 3 argument after eq. (2.10) as a figure (issue 21). The disorder-averaged temperature,
/// averaged over the directions transverse to x ("profile_x"), against (x − 1)/(NX − 1), for a chain (d = 1, the
/// chain engine) and boxes NX x NX (d = 2) and NX x NX x NX (d = 3, <see cref="HarmonicBox"/>), baths on the faces
/// x = 1 (T1 = 1) and x = NX (T2 = 2), weak disorder (delocalized at these sizes) and strong disorder (localized), at
/// weak coupling (eq. 2.10, <c>lattice-weak.png</c>) and at lambda = 1 (eqs. 2.5–2.6, <c>lattice-lambda.png</c>).
/// Per ensemble <c>lattice.json</c> carries the <c>ness aggregate</c> average, the refusals, and per-draw statistics
/// of the interior span T(2) − T(NX−1), the largest interior jump between neighbouring slices, the same jump per column
/// (y, z) averaged over the columns, and the contact jumps at the baths (mean ± standard error over the certified draws).
/// </summary>
public sealed partial class Figures
{
    /// <summary>Default NX per dimension d = 1, 2, 3 (d = 3 is smaller: at NX = 7, 8 the certificate refuses a fifth
    /// of the strongly disordered boxes at lambda = 1, and refusals that frequent would bias the average).</summary>
    public static readonly int[] LatticeNX = [8, 8, 6];
    /// <summary>Weak disorder: g = 0.5 (pinning width / hopping = 2) in every d.</summary>
    public const double LatticeWeakDisorder = 0.5;
    /// <summary>Strong disorder per d: g = 0.1 (width / hopping = 10) in d = 1, 2; g = 0.05 (20) in d = 3, above the
    /// band-centre Anderson transition of the cubic lattice (about 16.5).</summary>
    public static readonly double[] LatticeStrongDisorder = [0.1, 0.1, 0.05];
    public const double LatticeLambda = 1;
    public const int LatticeRealizations = 100;

    /// <summary>NX of dimension d (1-based): the paper-less default or <c>--length</c> in every d.</summary>
    int LatticeSize(int d) => s.Length.IfNone(LatticeNX[d - 1]);

    /// <summary>One lattice ensemble: its model (chain engine in d = 1, box solvers in d = 2, 3).</summary>
    static EnsembleModel LatticeEnsemble(int d, int nx, double g, double? lambda)
    {
        if (d == 1) return Models.Harmonic(Harm(nx, g, lambda));
        var box = new Box(nx, nx, d == 3 ? nx : 1);
        var bath = lambda is double l ? (BathCoupling)new BathCoupling.Finite(l) : BathCoupling.Weak;
        var template = HarmonicBox.Disordered(box, 1, bath, 0, PinMin, PinMax, g, Temperatures[0], Temperatures[1])
            .IfFail(e => throw new InvalidOperationException($"the lattice figure's boxes are valid: {e.Message}"));
        return LatticeModel.Of(new LatticeEnsembleOptions(template, PinMin, PinMax));
    }

    /// <summary>The slice profile of a certified line: "profile_x" of a box, "profile" of the chain.</summary>
    static double[] Slices(Observables o) => o.ProfileX.IsEmpty ? [.. o.Profile] : [.. o.ProfileX];

    /// <summary>Per-draw shape of a slice profile T(1..NX): interior span T(2) − T(NX−1) (0 when flat, about
    /// (NX−3)/(NX−1) (T2 − T1) when linear, about T2 − T1 for a step), the largest jump |T(x+1) − T(x)| over the interior
    /// bonds x = 2..NX−2, and the contact jumps T(2) − T(1) and T(NX) − T(NX−1).</summary>
    public static (double Span, double InteriorJump, double LeftContact, double RightContact) Shape(double[] t)
    {
        int n = t.Length;
        return (t[n - 2] - t[1], InteriorJump(t, 0, n), t[1] - t[0], t[n - 1] - t[n - 2]);
    }

    /// <summary>max |T(x+1) − T(x)| over the interior bonds x = 2..NX−2 of the row t[start .. start + nx).</summary>
    static double InteriorJump(IReadOnlyList<double> t, int start, int nx)
    {
        double jump = 0;
        for (int x = 1; x + 2 < nx; x++) jump = Math.Max(jump, Math.Abs(t[start + x + 1] - t[start + x]));
        return jump;
    }

    /// <summary>The largest interior jump along x of each column (y, z) of the per-site profile (x fastest), averaged
    /// over the columns: the step of a single column, which the slice mean blurs when the columns' steps sit at
    /// different x. In d = 1 it is the interior jump of the chain.</summary>
    public static double ColumnJump(IReadOnlyList<double> profile, int nx)
    {
        int columns = profile.Count / nx;
        double sum = 0;
        for (int c = 0; c < columns; c++) sum += InteriorJump(profile, c * nx, nx);
        return sum / columns;
    }

    /// <summary>The straight line a + b s through the mean interior slices x = 2..NX−1 (s = (x − 1)/(NX − 1)) and the
    /// rms residual about it: how linear the mean profile is away from the contacts (b ≈ T2 − T1 for Fourier's law
    /// without contact jumps, b ≈ 0 when flat).</summary>
    static JsonObject? InteriorFit(double[] s, double[] t)
    {
        if (s.Length < 4) return null;
        double[] xs = s[1..^1], ys = t[1..^1];
        if (Fit.Linear(xs, ys) is not (double a, double b)) return null;
        double rss = 0;
        for (int i = 0; i < xs.Length; i++) rss += Math.Pow(ys[i] - a - b * xs[i], 2);
        return new JsonObject { ["model"] = "a + b*(x-1)/(NX-1), slices x = 2..NX-1", ["a"] = a, ["b"] = b, ["rms_residual"] = Math.Sqrt(rss / xs.Length) };
    }

    public void Lattice()
    {
        long n = N(LatticeRealizations);
        var data = Header("lattice",
            "the d = 3 argument after eq. (2.10): disorder-averaged T over each slice x = const against (x - 1)/(NX - 1), " +
            "chain (d = 1) and boxes NX^d (d = 2, 3), faces x = 1 at T1 = 1 and x = NX at T2 = 2, weak and strong disorder, " +
            "weak coupling (eq. 2.10) and lambda = 1 (eqs. 2.5-2.6)");
        data["sizes"] = new JsonArray([.. Enumerable.Range(1, 3).Select(d => (JsonNode?)LatticeSize(d))]);
        data["weak_disorder_coupling"] = LatticeWeakDisorder;
        data["strong_disorder_coupling"] = new JsonArray([.. LatticeStrongDisorder.Select(g => (JsonNode?)g)]);
        data["bath_coupling"] = LatticeLambda;
        var ens = new JsonArray();
        var rows = new List<object?[]>();
        var weakSeries = new List<Series>();
        var lambdaSeries = new List<Series>();
        int refused = 0;
        foreach (double? lambda in new double?[] { null, LatticeLambda })
            for (int d = 1; d <= 3; d++)
                foreach (bool strong in new[] { false, true })
                {
                    int nx = LatticeSize(d);
                    double g = strong ? LatticeStrongDisorder[d - 1] : LatticeWeakDisorder;
                    string coupling = lambda is double l ? $"lambda={F(l)}" : "weak coupling";
                    string shape = string.Join("x", Enumerable.Repeat(nx, d));
                    var b = realizer.Run($"lattice d={d} {shape} g={F(g)} {coupling}", LatticeEnsemble(d, nx, g, lambda), s.Seed, n);
                    refused += b.Refused.Count;
                    var avg = b.Average();
                    var o = BatchJson(b, b.Aggregate());
                    o["d"] = d;
                    o["shape"] = shape;
                    o["disorder"] = strong ? "strong" : "weak";
                    var observed = b.Observed();
                    var shapes = observed.Select(x => Shape(Slices(x))).ToList();
                    o["slice_statistics"] = new JsonObject
                    {
                        ["interior_span"] = Json.AggregateJson.Stat(Stat.Of([.. shapes.Select(x => x.Span)])),
                        ["interior_max_jump"] = Json.AggregateJson.Stat(Stat.Of([.. shapes.Select(x => x.InteriorJump)])),
                        ["column_max_jump"] = Json.AggregateJson.Stat(Stat.Of([.. observed.Select(x => ColumnJump(x.Profile, nx))])),
                        ["left_contact_jump"] = Json.AggregateJson.Stat(Stat.Of([.. shapes.Select(x => x.LeftContact)])),
                        ["right_contact_jump"] = Json.AggregateJson.Stat(Stat.Of([.. shapes.Select(x => x.RightContact)])),
                    };
                    ens.Add(o);
                    if (avg is null) continue;
                    var slices = d == 1 ? avg.Profile : avg.ProfileX;
                    var m = Means(slices);
                    var e = Stderrs(slices);
                    var x = Enumerable.Range(0, nx).Select(i => (double)i / (nx - 1)).ToArray();
                    o["interior_fit"] = InteriorFit(x, m);
                    string legend = $"d = {d} ({shape}), g = {F(g)}{(strong ? " strong" : " weak")}";
                    (lambda is null ? weakSeries : lambdaSeries).Add(new Series(legend, x, m, b.Lines.Count > 1 ? e : null,
                        Dashed: strong, Color: d - 1));
                    for (int i = 0; i < nx; i++)
                        rows.Add([d, shape, g, strong ? "strong" : "weak", lambda is double l2 ? F(l2) : "weak coupling",
                                  i + 1, x[i], m[i], b.Lines.Count > 1 ? e[i] : null, b.Lines.Count, b.Refused.Count]);
                }
        data["ensembles"] = ens;
        data["realizations_refused"] = refused;
        data["notes"] = new JsonArray(
            "strong disorder uses a smaller g in d = 3 (0.05) than in d = 1, 2 (0.1): at pinning width / hopping = 10 a cubic box is below the Anderson transition in the band centre",
            "refused realizations (the certificate cannot vouch for the profile: modes localized away from the baths) are listed per ensemble under \"refused\" and not averaged");
        WriteData("lattice.csv", Output.Csv(["d", "shape", "g", "disorder", "bath_coupling", "x", "x_scaled", "T_mean", "T_stderr", "realizations", "refused"], rows));
        WriteData("lattice.json", Output.Json(data));
        string sizes = $"NX = {LatticeSize(1)} (d = 1), {LatticeSize(2)} (d = 2), {LatticeSize(3)} (d = 3)";
        string setting = $"faces x = 1 at T1 = {F(Temperatures[0])}, x = NX at T2 = {F(Temperatures[1])}; pinning uniform in [{F(PinMin)}, {F(PinMax)}]; " +
                         $"solid: weak disorder, dashed: strong; T averaged over y, z and over {n} draws per curve (seed {s.Seed}; refused draws: {refused}, listed in lattice.json); " +
                         $"{ErrorBars(n)}; {HarmonicUnits}";
        const string xLabel = "(x − 1) / (NX − 1)";
        Plot("lattice-weak", $"Boxes in Z^d, weak coupling (eq. 2.10): mean T over each slice x, {sizes}", xLabel, "mean T(x) over y, z and disorder", weakSeries, setting);
        Plot("lattice-lambda", $"Boxes in Z^d, λ = {F(LatticeLambda)} (eqs. 2.5–2.6): mean T over each slice x, {sizes}", xLabel, "mean T(x) over y, z and disorder", lambdaSeries, setting);
    }
}
