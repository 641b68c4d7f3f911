using System.Globalization;
using System.Text.Json.Nodes;
using Ness.Cli.Ensemble;
using Ness.Pipeline.Ensemble;
using Ness.Pipeline.Fermion;
using Ness.Pipeline.Harmonic;

namespace Ness.Cli.Reproduce;

/// <summary>
/// Beyond the paper (issue 20, item 6): the interacting fermion chain (V = 1) in the weak-coupling limit
/// (<c>--weak-coupling</c>, the Pauli master equation, exact and certified to L = 16) beside the free chain (V = 0,
/// the one-body formula, the fermion twin of eq. 2.9) with the same fields (realization r of both ensembles draws
/// the same h_x). Mean density profiles, Figure 3's step width w and midpoint spread against L, and single draws
/// whose middle is not monotone: the breakdown of local equilibrium the paper saw only in the harmonic chain.
/// </summary>
public sealed partial class Figures
{
    public static readonly double[] WeakDisorders = [4, 10, 20];
    /// <summary>The largest default length: one draw at L = 14 takes 40 s on a quiet machine, at L = 16 about 40 min.</summary>
    public const int WeakMaxLength = 14;
    public const double WeakInteraction = 1, WeakDrawsDisorder = 10;
    public const long WeakFreeRealizations = 1000;
    public const int WeakDrawCount = 4;
    /// <summary>A density step counts as non-monotone (an increase against the bath gradient) or as outside the bath
    /// occupations only beyond this, ten times the certificate's refusal level 1e-6 for the profile.</summary>
    public const double WeakTolerance = 1e-5;

    /// <summary>Default V = 1 draws per length (the cost grows about 30x per two sites; V = 0 costs nothing).</summary>
    public static long WeakRealizations(int L) => L <= 8 ? 200 : L <= 10 ? 100 : L <= 12 ? 40 : L <= 14 ? 2 : 1;

    /// <summary>The lengths for a largest length: max − 6, max − 4, max − 2, max (those ≥ 2); default 8, 10, 12, 14.</summary>
    public static int[] WeakLengths(int max) => [.. new[] { max - 6, max - 4, max - 2, max }.Where(L => L >= 2)];

    static FermionEnsembleOptions WeakFerm(int L, double h, double V) =>
        new(L, h, 1, V, Rates, V == 0 ? FermionSolver.OneBody : FermionSolver.Pauli, WeakCoupling: true);

    /// <summary>One (h, V, L) ensemble of the figure with what it contributes: Figure 3's step shape per draw
    /// (<see cref="StepShape"/> on n_x with the bath occupations in place of T1 and TL), and per draw the largest
    /// excursion outside [nL, n1] and the number of bonds where n increases against the gradient.</summary>
    sealed record WeakPoint(double H, double V, int L, Batch B, JsonObject? Agg, IReadOnlyList<long> Realizations,
                            IReadOnlyList<StepShape> Shapes, IReadOnlyList<double> Overshoot, IReadOnlyList<int> Reversals)
    {
        public Stat? Width => Stat.Of([.. Shapes.Where(x => x.Width is not null).Select(x => (double)x.Width!.Value)]);
        public Stat? Midpoint => Stat.Of([.. Shapes.Where(x => x.Midpoint is not null).Select(x => x.Midpoint!.Value)]);
        /// <summary>Standard error of the sample standard deviation, sd / sqrt(2 (n − 1)) (normal approximation).</summary>
        public double? SpreadStderr => Midpoint is { Spread: double sd, Count: > 1 } m ? sd / Math.Sqrt(2.0 * (m.Count - 1)) : null;
        public double? OvershootFraction => Overshoot.Count > 0 ? Overshoot.Count(o => o > WeakTolerance) / (double)Overshoot.Count : null;
        public double? ReversalFraction => Reversals.Count > 0 ? Reversals.Count(k => k > 0) / (double)Reversals.Count : null;
    }

    WeakPoint Weak(double h, double V, int L, long n)
    {
        var b = Fermion($"weak-interacting h={F(h)} V={F(V)} L={L}", WeakFerm(L, h, V), n);
        var (n1, nL) = Occupations;
        var obs = b.Observed();
        var shapes = new List<StepShape>(); var over = new List<double>(); var rev = new List<int>();
        foreach (var o in obs)
        {
            var p = o.Profile;
            shapes.Add(StepShape.Of(p, n1, nL));
            double worst = 0; int up = 0;
            for (int x = 0; x < p.Length; x++)
            {
                worst = Math.Max(worst, Math.Max(p[x] - n1, nL - p[x]));
                if (x + 1 < p.Length && p[x + 1] - p[x] > WeakTolerance) up++;   // n1 > nL: n falls from left to right
            }
            over.Add(worst); rev.Add(up);
        }
        return new WeakPoint(h, V, L, b, b.Aggregate(), [.. b.Lines.Select(l => l.Realization)], shapes, over, rev);
    }

    static JsonObject WeakJson(WeakPoint p)
    {
        var o = BatchJson(p.B, p.Agg);
        o["step_shape"] = new JsonObject
        {
            ["width"] = Json.AggregateJson.Stat(p.Width),
            ["midpoint"] = Json.AggregateJson.Stat(p.Midpoint),
            ["midpoint_spread_stderr"] = p.SpreadStderr,
        };
        o["non_monotone"] = new JsonObject
        {
            ["tolerance"] = WeakTolerance,
            ["outside_bath_occupations_fraction"] = p.OvershootFraction,
            ["outside_bath_occupations"] = Json.AggregateJson.Stat(Stat.Of([.. p.Overshoot])),
            ["reversal_fraction"] = p.ReversalFraction,
            ["reversals"] = Json.AggregateJson.Stat(Stat.Of([.. p.Reversals.Select(k => (double)k)])),
        };
        return o;
    }

    /// <summary>w(V = 1) − w(V = 0) over the draws certified in both with a width: the same fields, so the
    /// difference is free of the disorder's sample-to-sample scatter common to both.</summary>
    static Stat? PairedWidth(WeakPoint interacting, WeakPoint free)
    {
        var w0 = new Dictionary<long, int>();
        for (int i = 0; i < free.Shapes.Count; i++)
            if (free.Shapes[i].Width is int w) w0[free.Realizations[i]] = w;
        var d = new List<double>();
        for (int i = 0; i < interacting.Shapes.Count; i++)
            if (interacting.Shapes[i].Width is int w && w0.TryGetValue(interacting.Realizations[i], out var v)) d.Add(w - v);
        return Stat.Of(d);
    }

    static string V(double v) => $"V = {F(v)}";

    /// <summary>The figure: every (h, V, L) ensemble, then its tables, the chosen single draws, the data files and the
    /// plots.</summary>
    public void WeakInteracting()
    {
        var Ls = WeakLengths(s.Length.IfNone(WeakMaxLength));
        long N1(int L) => N(WeakRealizations(L));
        long N0 = N(WeakFreeRealizations);
        var data = WeakHeader(Ls, N1, N0);
        var points = new List<WeakPoint>();
        foreach (double h in WeakDisorders)
            foreach (int L in Ls)
                foreach (double v in new[] { WeakInteraction, 0.0 })
                    points.Add(Weak(h, v, L, v == 0 ? N0 : N1(L)));
        WeakPoint At(double h, double v, int L) => points.Single(p => p.H == h && p.V == v && p.L == L);

        var t = WeakTabulate(Ls, At);
        data["ensembles"] = t.Ensembles;
        data["paired_width_difference"] = t.Paired;
        data["fits"] = t.Fits;
        data["refused"] = t.RefusedNote.Count;
        data["notes"] = WeakNotes();
        var captions = new WeakCaptions(
            $"draws per L (V = {F(WeakInteraction)}): {string.Join(", ", Ls.Select(L => $"{L}: {N1(L)}"))}; V = 0: {N0} per L (realization r: same fields in both)",
            t.RefusedNote.Count == 0 ? "refused by the certificate: none" : $"refused by the certificate (not averaged): {string.Join("; ", t.RefusedNote)}",
            $"weak coupling (rates × ε, ε → 0), J = 1, rates (g1p, g1m, gLp, gLm) = ({string.Join(", ", Rates.Select(F))}), fields uniform in [-h, h], seed {s.Seed}; {FermionUnits}");

        // the single draws: the largest length with certified interacting draws at h = WeakDrawsDisorder
        var single = Ls.Reverse().Select(L => At(WeakDrawsDisorder, WeakInteraction, L)).FirstOrDefault(p => p.B.Lines.Count > 0);
        var draws = single is null ? null : WeakSingleDraws(single, At(WeakDrawsDisorder, 0, single.L));
        data["draws"] = draws?.Json;

        WeakWrite(data, t, draws);
        WeakPlots(Ls, At, t, single, draws, captions);
    }

    /// <summary>The figure's JSON before its results: caption, bath occupations, lengths and draws per ensemble.</summary>
    JsonObject WeakHeader(int[] Ls, Func<int, long> N1, long N0)
    {
        var (n1, nL) = Occupations;
        var data = Header("weak-interacting",
            $"fermion chain in the weak-coupling limit: V = {F(WeakInteraction)} (Pauli master equation) beside V = 0 (one-body formula), same fields; " +
            $"h = {string.Join(", ", WeakDisorders.Select(F))}; mean density profiles, Figure 3's step width w and midpoint spread vs L, single draws; " +
            $"J = 1, rates (3,1,2,1); step thresholds 30 % and 70 % of the way from n1 = 3/4 to nL = 2/3 (the bath occupations)");
        data["bath_occupations"] = new JsonArray(n1, nL);
        data["lengths"] = new JsonArray([.. Ls.Select(L => (JsonNode?)L)]);
        data["realizations"] = new JsonObject
        {
            ["interacting"] = new JsonObject(Ls.Select(L => KeyValuePair.Create(L.ToString(CultureInfo.InvariantCulture), (JsonNode?)N1(L)))),
            ["free"] = N0,
        };
        return data;
    }

    /// <summary>The ensembles tabulated: their JSON, the rows of weak-interacting.csv and -profiles.csv, the width and
    /// midpoint-spread series against L, the sqrt(L) fits, the paired width differences and the refusals.</summary>
    sealed record WeakTables(JsonArray Ensembles, List<object?[]> Rows, List<object?[]> ProfileRows, List<Series> Widths,
                             List<Series> Spreads, JsonObject Fits, JsonArray Paired, List<string> RefusedNote);

    static WeakTables WeakTabulate(int[] Ls, Func<double, double, int, WeakPoint> At)
    {
        var t = new WeakTables([], [], [], [], [], [], [], []);
        for (int k = 0; k < WeakDisorders.Length; k++)
        {
            double h = WeakDisorders[k];
            var fitH = new JsonObject();
            foreach (double v in new[] { WeakInteraction, 0.0 })
            {
                var xs = new List<double>(); var w = new List<double>(); var we = new List<double>();
                var ms = new List<double>(); var mse = new List<double>();
                foreach (int L in Ls)
                {
                    var p = At(h, v, L);
                    var width = WeakRows(t, p, v == 0 ? null : At(h, 0, L));
                    if (width is null) continue;
                    var mid = p.Midpoint;
                    xs.Add(L); w.Add(width.Mean); we.Add(width.Stderr ?? 0);
                    if (mid?.Spread is double sd) { ms.Add(sd); mse.Add(p.SpreadStderr ?? 0); }
                }
                fitH[V(v)] = WeakFit([.. xs], [.. w], [.. we]);
                if (xs.Count == 0) continue;
                bool free = v == 0;
                t.Widths.Add(new Series($"h = {F(h)}, {V(v)}", [.. xs], [.. w], we.Any(x => x > 0) ? [.. we] : null, Dashed: free, Color: k));
                if (ms.Count == xs.Count)
                    t.Spreads.Add(new Series($"h = {F(h)}, {V(v)}", [.. xs], [.. ms], mse.Any(x => x > 0) ? [.. mse] : null, Dashed: free, Color: k));
            }
            t.Fits[F(h)] = fitH;
        }
        return t;
    }

    /// <summary>One ensemble into the tables (<paramref name="free"/>: its V = 0 twin, for an interacting one); returns
    /// its step-width statistics.</summary>
    static Stat? WeakRows(WeakTables t, WeakPoint p, WeakPoint? free)
    {
        double h = p.H, v = p.V; int L = p.L;
        var o = WeakJson(p);
        Stat? dw = null;
        if (free is not null)
        {
            dw = PairedWidth(p, free);
            t.Paired.Add(new JsonObject { ["disorder"] = h, ["length"] = L, ["width_difference"] = Json.AggregateJson.Stat(dw) });
        }
        t.Ensembles.Add(o);
        if (p.B.Refused.Count > 0) t.RefusedNote.Add($"h = {F(h)}, {V(v)}, L = {L}: {p.B.Refused.Count} of {p.B.Refused.Count + p.B.Lines.Count}");
        var width = p.Width; var mid = p.Midpoint;
        t.Rows.Add([h, v, L, v == 0 ? "onebody" : "pauli", p.B.Lines.Count, p.B.Refused.Count, width?.Count, width?.Mean, width?.Stderr,
                    mid?.Mean, mid?.Spread, p.SpreadStderr, p.OvershootFraction, p.ReversalFraction, dw?.Mean, dw?.Stderr]);
        if (p.B.Average() is EnsembleAverage avg)
        {
            var m = Means(avg.Profile); var e = Stderrs(avg.Profile);
            for (int j = 0; j < L; j++) t.ProfileRows.Add([h, v, L, j + 1, j + 1 - (L + 1) / 2.0, m[j], p.B.Lines.Count > 1 ? e[j] : null]);
        }
        return width;
    }

    static JsonArray WeakNotes() => new(
        "w and m: Figure 3's step width and midpoint (StepShape) on n_x with the bath occupations n1 = 3/4 and nL = 2/3 in place of T1 and TL; " +
        "midpoint_spread_stderr = spread / sqrt(2 (n - 1)) (normal approximation)",
        "paired_width_difference: w(V = 1) - w(V = 0) over the realizations certified in both (realization r of both ensembles has the same fields)",
        $"non_monotone: per draw the largest excursion max_x max(n_x - n1, nL - n_x, 0) and the number of bonds with n_(x+1) - n_x > {F(WeakTolerance)} " +
        "(against the gradient); at V = 0 n_x is a convex combination of the mode occupations f_k in [nL, n1], so the excursion is 0 up to rounding",
        "fits: w = a + b sqrt(L) weighted by 1/stderr^2, with the standard errors of a and b; over L = 8..14 this measures a slope, not a law");

    /// <summary>The captions' common parts: draws per ensemble, the refusals, the setting.</summary>
    sealed record WeakCaptions(string Draws, string Refused, string Setting);

    /// <summary>The single draws shown: their series (V = 1 solid, its V = 0 twin dashed), rows of -draws.csv, JSON, and
    /// why these.</summary>
    sealed record WeakDraws(List<Series> Series, List<object?[]> Rows, JsonObject Json, string Chosen);

    /// <summary>The first draws (in realization order) whose V = 1 middle is not monotone; if fewer, the first others.</summary>
    static WeakDraws WeakSingleDraws(WeakPoint single, WeakPoint free)
    {
        int L = single.L;
        var sites = Sites(L);
        var dseries = new List<Series>();
        var drows = new List<object?[]>();
        var djson = new JsonArray();
        var odd = Enumerable.Range(0, single.B.Lines.Count).Where(i => single.Reversals[i] > 0 || single.Overshoot[i] > WeakTolerance).ToList();
        var shown = odd.Concat(Enumerable.Range(0, single.B.Lines.Count).Where(i => !odd.Contains(i))).Take(WeakDrawCount).Order().ToList();
        string chosen = $"realizations {string.Join(", ", shown.Select(i => single.B.Lines[i].Realization))}: the first {Math.Min(odd.Count, WeakDrawCount)} " +
                        $"whose V = {F(WeakInteraction)} profile is not monotone or leaves [nL, n1] ({odd.Count} of the {single.B.Lines.Count} certified draws are)";
        foreach (int i in shown)
        {
            var line = single.B.Lines[i];
            long r = line.Realization;
            var f = single.B.Observed()[i].Disorder; double[] p1 = [.. single.B.Observed()[i].Profile];
            int t = free.B.Lines.ToList().FindIndex(l => l.Realization == r);
            var twin = t >= 0 ? free.B.Lines[t] : null;
            double[]? p0 = t >= 0 ? [.. free.B.Observed()[t].Profile] : null;
            int c = shown.IndexOf(i);
            dseries.Add(new Series($"realization {r}, V = {F(WeakInteraction)}", sites, p1, Color: c));
            if (p0 is not null) dseries.Add(new Series($"realization {r}, V = 0", sites, p0, Dashed: true, Color: c));
            for (int x = 0; x < L; x++) drows.Add([WeakDrawsDisorder, L, r, x + 1, f[x], p1[x], p0?[x]]);
            djson.Add(new JsonObject
            {
                ["realization"] = r, ["non_monotone"] = odd.Contains(i), ["fields"] = line.Line["fields"]?.DeepClone(),
                ["profile_interacting"] = line.Line["profile"]?.DeepClone(), ["profile_free"] = twin?.Line["profile"]?.DeepClone(),
                ["profile_error_estimate"] = line.Line["diagnostics"]?["profile_error_estimate"]?.DeepClone(),
            });
        }
        var json = new JsonObject { ["disorder"] = WeakDrawsDisorder, ["length"] = L, ["chosen"] = chosen, ["realizations"] = djson };
        return new WeakDraws(dseries, drows, json, chosen);
    }

    /// <summary>weak-interacting.csv, -profiles.csv, -draws.csv and .json.</summary>
    void WeakWrite(JsonObject data, WeakTables t, WeakDraws? draws)
    {
        WriteData("weak-interacting.csv", Output.Csv(["h", "V", "L", "solver", "realizations", "refused", "width_count", "width_mean", "width_stderr",
            "midpoint_mean", "midpoint_spread", "midpoint_spread_stderr", "outside_bath_fraction", "reversal_fraction",
            "paired_width_difference_mean", "paired_width_difference_stderr"], t.Rows));
        WriteData("weak-interacting-profiles.csv", Output.Csv(["h", "V", "L", "site", "x_from_centre", "n_mean", "n_stderr"], t.ProfileRows));
        WriteData("weak-interacting-draws.csv", Output.Csv(["h", "L", "realization", "site", "field", "n_interacting", "n_free"], draws?.Rows ?? []));
        WriteData("weak-interacting.json", Output.Json(data));
    }

    /// <summary>The plots: width and midpoint spread vs L, the mean profiles per h, the single draws.</summary>
    void WeakPlots(int[] Ls, Func<double, double, int, WeakPoint> At, WeakTables t, WeakPoint? single, WeakDraws? draws, WeakCaptions c)
    {
        Plot("weak-interacting", $"Weak coupling: step width w vs L, V = {F(WeakInteraction)} (solid) and V = 0 (dashed)", "chain length L", "mean step width w (sites)", t.Widths,
             $"error bars: ± one standard error of the mean; {c.Draws}; {c.Refused}; {c.Setting}");
        Plot("weak-interacting-midpoint", $"Weak coupling: spread of the step midpoint m vs L, V = {F(WeakInteraction)} (solid) and V = 0 (dashed)", "chain length L", "standard deviation of m (sites)", t.Spreads,
             $"error bars: ± sd/√(2(n − 1)); {c.Draws}; {c.Refused}; {c.Setting}");
        foreach (double h in WeakDisorders)
        {
            var prof = new List<Series>();
            for (int i = 0; i < Ls.Length; i++)
                foreach (double v in new[] { WeakInteraction, 0.0 })
                {
                    var p = At(h, v, Ls[i]);
                    if (p.B.Average() is not EnsembleAverage avg) continue;
                    var x = Sites(Ls[i]).Select(site => site - (Ls[i] + 1) / 2.0).ToArray();
                    var e = Stderrs(avg.Profile);
                    prof.Add(new Series($"L = {Ls[i]}, {V(v)}", x, Means(avg.Profile), p.B.Lines.Count > 1 && e.Length == x.Length ? e : null,
                                        Dashed: v == 0, Color: i));
                }
            Plot($"weak-interacting-profiles-h{F(h)}", $"Weak coupling, h = {F(h)}: mean n_x, V = {F(WeakInteraction)} (solid) and V = 0 (dashed)", "site x − (L + 1)/2", "mean n_x", prof,
                 $"error bars: ± one standard error of the mean; {c.Draws}; {c.Refused}; {c.Setting}");
        }
        Plot("weak-interacting-draws", single is null ? "Weak coupling: single draws (none certified)"
                : $"Weak coupling: single draws, L = {single.L}, h = {F(WeakDrawsDisorder)}, V = {F(WeakInteraction)} (solid) and V = 0 (dashed, same fields)",
             "site x", "n_x", draws?.Series ?? [],
             $"{draws?.Chosen ?? ""}; bath occupations n1 = 3/4 (left), nL = 2/3 (right); at V = 0 every n_x lies between them; each profile certified to 1e-6 (profile_error_estimate); {c.Setting}");
    }

    static JsonObject? WeakFit(double[] L, double[] w, double[] se)
    {
        if (Fit.WeightedLinear([.. L.Select(Math.Sqrt)], w, se) is not { } f) return null;
        return new JsonObject
        {
            ["model"] = "a + b*sqrt(L), weighted by 1/stderr^2",
            ["a"] = f.A, ["a_stderr"] = f.SeA, ["b"] = f.B, ["b_stderr"] = f.SeB, ["chi2"] = f.Chi2, ["points"] = L.Length,
        };
    }
}
