using System.Globalization;
using System.Text.Json.Nodes;
using LanguageExt;
using Ness.Cli.Ensemble;
using Ness.Pipeline;
using Ness.Pipeline.Ensemble;
using Ness.Pipeline.Fermion;

namespace Ness.Cli.Reproduce;

/// <summary>
/// The paper's figures and Table 1. Every figure writes <c>figN.png</c>, <c>figN.svg</c>, <c>figN.csv</c> (the
/// plotted numbers) and <c>figN.json</c> (settings, disorder averages as produced by <see cref="Aggregate"/>,
/// fits, refused realizations, notes). See docs/reproduction.md.
/// </summary>
public sealed partial class Figures(ReproduceSettings s, Realizer realizer, TextWriter log)
{
    public readonly List<string> Files = [];
    /// <summary>Figures for which nothing could be plotted (every realization refused).</summary>
    public readonly List<string> Failed = [];

    // ---- paper settings -------------------------------------------------------------------------------
    public const int HarmonicBase = 100;          // Fig. 1 and 5: L = 100; other lengths scale with it
    public const int FermionLength = 9;           // Fig. 6, 7, Table 1: L = 9; Fig. 8: L = 2..9
    public const double PaperCoupling = 0.1, PinMin = 1, PinMax = 2;
    public static readonly double[] Temperatures = [1, 2];
    public static readonly double[] Fig2Lambdas = [1, 0.3, 0.1];
    public static readonly double[] Fig3Scale = [0.5, 1, 2, 4, 8];   // x base: 50..800
    public static readonly double[] Fig4Scale = [0.5, 1, 2, 4];      // x base: 50..400
    public static readonly double[] Fig5Couplings = [0.05, 0.1, 0.2, 0.4];
    public static readonly double[] Disorders = [1, 2, 4, 10, 20];
    public const double Fig7Disorder = 20, Fig8Disorder = 10;
    public static readonly double[] Rates = [3, 1, 2, 1];
    public const int HarmonicRealizations = 1000, FermionRealizations = 50, Fig7Count = 4;
    public static readonly double[] FreeDisorders = [10, 2];           // fermion-free: V = 0, fields in [-h, h]
    public static readonly double[] FreeScale = [0.5, 1, 2, 4];        // x base: 50..400
    public const int FreeRealizations = 1000;
    public static readonly double?[] PaperMaxJump = [0.026, 0.051, 0.061, 0.072, 0.071];
    public static readonly double?[] PaperEndToEnd = [0.079, 0.083, null, null, null];
    public static readonly double?[] PaperRoughness = [0.0082, 0.0075, 0.0059, 0.0033, 0.0026];

    int Base => s.Length.IfNone(HarmonicBase);
    int FLength => s.Length.IfNone(FermionLength);
    long N(long paper) => s.Realizations.IfNone(paper);

    static HarmonicEnsembleOptions Harm(int L, double g, double? lam) => new(L, PinMin, PinMax, g, Prelude.Optional(lam), Temperatures);
    FermionEnsembleOptions Ferm(int L, double h) => new(L, h, 1, 1, Rates, s.Solver);
    Batch Harmonic(string label, HarmonicEnsembleOptions o, long n) => realizer.Run(label, Models.Harmonic(o), s.Seed, n);
    Batch Fermion(string label, FermionEnsembleOptions o, long n) => realizer.Run(label, Models.Fermion(o, s.Krylov), s.Seed, n);

    static int Scaled(int b, double f) => Math.Max(2, (int)Math.Round(b * f));
    static string F(double x) => x.ToString("R", CultureInfo.InvariantCulture);
    static double[] Sites(int L) => [.. Enumerable.Range(1, L).Select(x => (double)x)];
    static double[] Means(IEnumerable<Stat> profile) => [.. profile.Select(x => x.Mean)];
    static double[] Stderrs(IEnumerable<Stat> profile) => [.. profile.Select(x => x.Stderr ?? double.NaN)];
    /// <summary>The statistic of a named step number or current of an average (null where no realization has it).</summary>
    static Stat? Named(IEnumerable<(string Name, Stat? Stat)> stats, string name) => stats.FirstOrDefault(x => x.Name == name).Stat;

    JsonObject Header(string figure, string caption) => new()
    {
        ["figure"] = figure,
        ["caption"] = caption,
        ["seed"] = s.Seed,
        ["overrides"] = new JsonObject { ["realizations"] = Output.Optional(s.Realizations, x => x), ["length"] = Output.Optional(s.Length, x => x) },
        ["fermion_solver"] = s.Solver.ToString().ToLowerInvariant(),
        ["provenance"] = Provenance(),
    };

    /// <summary>The build and the settings of this run (the per-realization provenance is in DIR/data).</summary>
    JsonObject Provenance() => new()
    {
        ["version"] = Ness.Pipeline.BuildInfo.Version,
        ["commit"] = Json.ProvenanceJson.Commit,
        ["seed"] = s.Seed,
        ["generator"] = Ness.Pipeline.Disorder.GeneratorName,
        ["fermion_solver"] = s.Solver.ToString().ToLowerInvariant(),
    };

    static readonly System.Text.Json.JsonSerializerOptions Readable = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Data files: JSON is re-serialised readably (no \u escapes for '+', '−', '√').</summary>
    void WriteData(string name, string text) =>
        Write(name, name.EndsWith(".json") ? System.Text.Json.Nodes.JsonNode.Parse(text)!.ToJsonString(Readable) + "\n" : text);

    void Write(string name, string text)
    {
        var path = Path.Combine(s.OutDir, name);
        File.WriteAllText(path, text);
        Files.Add(path);
    }

    /// <summary>Units of the two models, printed on every figure.</summary>
    const string HarmonicUnits = "units: unit masses, k_B = 1", FermionUnits = "units: J = ħ = k_B = 1";

    string HarmonicSetting(double g = PaperCoupling) => $"g = {F(g)}, pinning uniform in [{F(PinMin)}, {F(PinMax)}], T1 = {F(Temperatures[0])}, TL = {F(Temperatures[1])}, seed {s.Seed}";
    string FermionSetting => $"J = V = 1, rates (g1p, g1m, gLp, gLm) = ({string.Join(", ", Rates.Select(F))}), seed {s.Seed}";
    static string ErrorBars(long n) => n > 1 ? $"error bars: ± one standard error of the mean over {n} realizations" : "one realization: no error bars";

    /// <summary>Told every figure before it is rendered (name, model): the tests check the plotted data.</summary>
    public Action<string, Figure>? Drawn { get; init; }

    void Plot(string name, string title, string x, string y, IEnumerable<Series> series, string? caption = null)
    {
        var list = series.ToList();
        if (list.Count == 0) { Failed.Add(name); log.WriteLine($"reproduce: {name}: nothing certified to plot; no image written"); return; }
        var figure = new Figure(title, x, y, list, caption ?? "units: J = ħ = k_B = 1 (fermion chain); unit masses, k_B = 1 (harmonic chain)");
        Drawn?.Invoke(name, figure);
        Files.AddRange(Plots.SaveAs(Path.Combine(s.OutDir, name), figure));
    }

    static JsonObject BatchJson(Batch b, JsonObject? agg, bool withProfile = true)
    {
        var o = new JsonObject
        {
            ["label"] = b.Label,
            ["parameters"] = new JsonObject(b.Model.Parameters.Select(kv => KeyValuePair.Create(kv.Key, kv.Value?.DeepClone()))),
            ["realizations_requested"] = b.Lines.Count + b.Refused.Count,
            ["realizations_used"] = b.Lines.Count,
            ["refused"] = b.RefusedJson(),
        };
        if (agg is not null)
        {
            var a = (JsonObject)agg.DeepClone();
            if (!withProfile) a.Remove("profile");
            o["aggregate"] = a;
        }
        return o;
    }

    // ---- Fig. 1 --------------------------------------------------------------------------------------
    public void Fig1()
    {
        int L = Base;
        var weak = Harmonic("fig1 weak coupling", Harm(L, PaperCoupling, null), 1);
        var lam = Harmonic("fig1 lambda=1", Harm(L, PaperCoupling, 1), 1);
        var data = Header("1", $"single T(x) profile, harmonic chain L = {L}, g = 0.1, pinning uniform in [1,2], T1 = 1, TL = 2, realization 0");
        data["weak_coupling"] = BatchJson(weak, weak.Aggregate());
        data["lambda_1"] = BatchJson(lam, lam.Aggregate());
        var notes = new JsonArray();
        if (lam.Lines.Count == 0)
            notes.Add("finite lambda = 1 was refused by the numerics (double precision cannot vouch for it on this localized chain, see docs/harmonic.md); only the weak-coupling profile (lambda -> 0, as in the paper) is plotted");
        data["notes"] = notes;
        var series = new List<Series>();
        var rows = new List<object?[]>();
        double[]? tw = weak.Lines.Count > 0 ? [.. weak.Observed()[0].Profile] : null;
        double[]? tl = lam.Lines.Count > 0 ? [.. lam.Observed()[0].Profile] : null;
        double[]? pin = weak.Lines.Count > 0 ? [.. weak.Observed()[0].Disorder] : null;
        if (tw is not null) series.Add(new Series("λ → 0 (weak coupling)", Sites(L), tw));
        if (tl is not null) series.Add(new Series("λ = 1", Sites(L), tl, Markers: false));
        for (int x = 0; x < L; x++) rows.Add([x + 1, pin?[x], tw?[x], tl?[x]]);
        WriteData("fig1.csv", Output.Csv(["site", "pinning", "T_weak_coupling", "T_lambda_1"], rows));
        WriteData("fig1.json", Output.Json(data));
        Plot("fig1", $"Fig. 1: T(x), L = {L}, g = 0.1, one realization", "site x", "T(x) = <p_x^2>", series, $"{HarmonicSetting()}, realization 0; {HarmonicUnits}");
    }

    // ---- Fig. 2 --------------------------------------------------------------------------------------
    /// <summary>The diagnostics that certify a Fig. 2 curve, copied into fig2.json beside "certified": for finite
    /// lambda the damped-mode engine's error estimate, the flatness of the equilibrium control and the current's
    /// errors; at weak coupling the completeness and residual of the eigenvectors (eq. 2.9).</summary>
    static readonly string[] Fig2Certificate =
    [
        "method", "error_estimate", "equilibrium_error", "max_mode_residual", "current_relative_error", "current_continuity_error",
        "completeness_error", "max_eigenvector_residual", "min_eigenvalue_gap",
    ];

    public void Fig2()
    {
        int L = Scaled(Base, 0.7);
        var data = Header("2", $"T(x) for one realization at L = {L}, g = 0.1, lambda = 1, 0.3, 0.1 (exact NESS, eq. 2.7) against lambda -> 0 (eq. 2.9)");
        var series = new List<Series>();
        var rows = new List<object?[]>();
        var status = new JsonArray();
        foreach (double? lam in new double?[] { null }.Concat(Fig2Lambdas.Select(x => (double?)x)))
        {
            var b = Harmonic($"fig2 L={L} " + (lam is double l ? $"lambda={F(l)}" : "weak coupling"), Harm(L, PaperCoupling, lam), 1);
            var st = new JsonObject { ["lambda"] = lam, ["certified"] = b.Lines.Count > 0 };
            if (b.Lines.Count > 0)
            {
                var line = b.Lines[0].Line;
                double[] t = [.. b.Observed()[0].Profile];
                series.Add(new Series(lam is double l2 ? $"λ = {F(l2)}" : "λ → 0 (eq. 2.9)", Sites(L), t, Markers: lam is null));
                for (int x = 0; x < L; x++) rows.Add([lam is double l3 ? F(l3) : "0 (weak coupling)", x + 1, t[x]]);
                var diag = line["diagnostics"] as JsonObject;
                st["certificate"] = new JsonObject(Fig2Certificate.Where(k => diag?.ContainsKey(k) == true)
                                                                  .Select(k => KeyValuePair.Create(k, diag![k]?.DeepClone())));
                st["current"] = line["current"]?.DeepClone();
                st["diagnostics"] = diag?.DeepClone();
            }
            else st["reason"] = b.Refused[0].Reason;
            status.Add(st);
        }
        bool all = status.All(x => x!["certified"]!.GetValue<bool>());
        data["length"] = L;
        data["all_certified"] = all;
        data["lambdas"] = status;
        data["notes"] = all
            ? new JsonArray()
            : new JsonArray("some profiles were refused by the numerics (listed under \"lambdas\" with the reason) and are not plotted; only certified profiles are ever plotted");
        WriteData("fig2.csv", Output.Csv(["lambda", "site", "T"], rows));
        WriteData("fig2.json", Output.Json(data));
        Plot("fig2", $"Fig. 2: T(x), L = {L}, g = 0.1, one realization, finite λ and λ → 0", "site x", "T(x)", series,
             $"{HarmonicSetting()}, realization 0; {(all ? "every curve certified" : "refused curves not plotted")} (fig2.json); {HarmonicUnits}");
    }

    // ---- Fig. 3, 4, 5 (weak-coupling ensembles; shared through the cache) ------------------------------
    int[] Lengths(double[] scale) => [.. scale.Select(f => Scaled(Base, f)).Distinct().Order()];

    public void Fig3()
    {
        var Ls = Lengths(Fig3Scale);
        long n = N(HarmonicRealizations);
        var data = Header("3", "mean step width w and spread (standard deviation) of the step midpoint m vs L; weak coupling, g = 0.1; fits a + b sqrt(L)");
        var ens = new JsonArray();
        var rows = new List<object?[]>();
        var xs = new List<double>(); var w = new List<double>(); var we = new List<double>(); var ms = new List<double>();
        foreach (int L in Ls)
        {
            var b = Harmonic($"fig3 L={L}", Harm(L, PaperCoupling, null), n);
            var avg = b.Average();
            ens.Add(BatchJson(b, b.Aggregate(), withProfile: false));
            if (avg is null) continue;
            Stat? width = Named(avg.Step, "width"), mid = Named(avg.Step, "midpoint");
            double wm = width?.Mean ?? double.NaN, wse = width?.Stderr ?? double.NaN;
            double mm = mid?.Mean ?? double.NaN, msd = mid?.Spread ?? double.NaN;
            rows.Add([L, b.Lines.Count, b.Refused.Count, wm, wse, mm, msd]);
            xs.Add(L); w.Add(wm); we.Add(wse); ms.Add(msd);
        }
        data["ensembles"] = ens;
        var series = new List<Series>();
        var fits = new JsonObject();
        if (xs.Count > 0)
        {
            series.Add(new Series("mean step width w", [.. xs], [.. w], [.. we], Line: false));
            series.Add(new Series("spread of midpoint m", [.. xs], [.. ms], Line: false));
            var fine = Enumerable.Range(0, 101).Select(i => xs[0] + (xs[^1] - xs[0]) * i / 100.0).ToArray();
            foreach (var (name, ys, c) in new[] { ("width", w, 0), ("midpoint_spread", ms, 1) })
            {
                var fit = Fit.SqrtLaw([.. xs], [.. ys]);
                if (fit is null) { fits[name] = null; continue; }
                var (a, bb) = fit.Value;
                fits[name] = new JsonObject { ["model"] = "a + b*sqrt(L)", ["a"] = a, ["b"] = bb, ["points"] = xs.Count };
                series.Add(new Series($"fit {F(Math.Round(a, 3))} + {F(Math.Round(bb, 3))}√L", fine,
                    [.. fine.Select(L => a + bb * Math.Sqrt(L))], Markers: false, Dashed: true, Color: c));
            }
        }
        data["fits"] = fits;
        WriteData("fig3.csv", Output.Csv(["L", "realizations", "refused", "width_mean", "width_stderr", "midpoint_mean", "midpoint_spread"], rows));
        WriteData("fig3.json", Output.Json(data));
        Plot("fig3", $"Fig. 3: step width and midpoint spread, g = 0.1, {n} realizations per L", "chain length L", "sites", series, $"{ErrorBars(n)} (width; the spread is a standard deviation, no bar); weak coupling, {HarmonicSetting()}; {HarmonicUnits}");
    }

    public void Fig4()
    {
        var Ls = Lengths(Fig4Scale);
        long n = N(HarmonicRealizations);
        var data = Header("4", "disorder-averaged T(x) for several L (weak coupling, g = 0.1), against x/L");
        var ens = new JsonArray();
        var rows = new List<object?[]>();
        var series = new List<Series>();
        foreach (int L in Ls)
        {
            var b = Harmonic($"fig4 L={L}", Harm(L, PaperCoupling, null), n);
            var avg = b.Average();
            ens.Add(BatchJson(b, b.Aggregate()));
            if (avg is null) continue;
            var m = Means(avg.Profile); var e = Stderrs(avg.Profile);
            var x = Sites(L).Select(v => v / L).ToArray();
            series.Add(new Series($"L = {L}", x, m, n > 1 ? e : null, Markers: L <= 100));
            for (int i = 0; i < L; i++) rows.Add([L, i + 1, x[i], m[i], n > 1 ? e[i] : null]);
        }
        data["ensembles"] = ens;
        WriteData("fig4.csv", Output.Csv(["L", "site", "x_over_L", "T_mean", "T_stderr"], rows));
        WriteData("fig4.json", Output.Json(data));
        Plot("fig4", $"Fig. 4: mean T(x), g = 0.1, {n} realizations per L", "x / L", "mean T(x)", series, $"{ErrorBars(n)}; weak coupling, {HarmonicSetting()}; {HarmonicUnits}");
    }

    public void Fig5()
    {
        int L = Base;
        long n = N(HarmonicRealizations);
        var data = Header("5", $"disorder-averaged T(x) at L = {L} for several couplings g (weak coupling)");
        var ens = new JsonArray();
        var rows = new List<object?[]>();
        var series = new List<Series>();
        foreach (double g in Fig5Couplings)
        {
            var b = Harmonic($"fig5 g={F(g)}", Harm(L, g, null), n);
            var avg = b.Average();
            ens.Add(BatchJson(b, b.Aggregate()));
            if (avg is null) continue;
            var m = Means(avg.Profile); var e = Stderrs(avg.Profile);
            series.Add(new Series($"g = {F(g)}", Sites(L), m, n > 1 ? e : null));
            for (int i = 0; i < L; i++) rows.Add([g, i + 1, m[i], n > 1 ? e[i] : null]);
        }
        data["ensembles"] = ens;
        WriteData("fig5.csv", Output.Csv(["g", "site", "T_mean", "T_stderr"], rows));
        WriteData("fig5.json", Output.Json(data));
        Plot("fig5", $"Fig. 5: mean T(x), L = {L}, {n} realizations per g", "site x", "mean T(x)", series, $"{ErrorBars(n)}; weak coupling, pinning uniform in [{F(PinMin)}, {F(PinMax)}], T1 = {F(Temperatures[0])}, TL = {F(Temperatures[1])}, seed {s.Seed}; {HarmonicUnits}");
    }

    // ---- Fig. 6, 7, 8, Table 1 (fermion chain) ----------------------------------------------------------
    public void Fig6()
    {
        int L = FLength;
        long n = N(FermionRealizations);
        var data = Header("6", $"disorder-averaged density profile <n_x>, fermion chain L = {L}, J = V = 1, rates (3,1,2,1), fields uniform in [-h, h]");
        var ens = new JsonArray();
        var rows = new List<object?[]>();
        var series = new List<Series>();
        foreach (double h in Disorders)
        {
            var b = Fermion($"fig6 h={F(h)}", Ferm(L, h), n);
            var avg = b.Average();
            ens.Add(BatchJson(b, b.Aggregate()));
            if (avg is null) continue;
            var m = Means(avg.Profile); var e = Stderrs(avg.Profile);
            series.Add(new Series($"h = {F(h)}", Sites(L), m, n > 1 ? e : null));
            for (int i = 0; i < L; i++) rows.Add([h, i + 1, m[i], n > 1 ? e[i] : null]);
        }
        data["ensembles"] = ens;
        WriteData("fig6.csv", Output.Csv(["h", "site", "n_mean", "n_stderr"], rows));
        WriteData("fig6.json", Output.Json(data));
        Plot("fig6", $"Fig. 6: mean density profile, L = {L}, {n} realizations per h", "site x", "<n_x>", series, $"{ErrorBars(n)}; fields uniform in [-h, h], {FermionSetting}; {FermionUnits}");
    }

    public void Fig7()
    {
        int L = FLength;
        long n = Math.Min(Fig7Count, N(Fig7Count));
        var b = Fermion($"fig7 h={F(Fig7Disorder)}", Ferm(L, Fig7Disorder), n);
        var data = Header("7", $"single-realization density profiles, L = {L}, h = {F(Fig7Disorder)} (realizations 0..{n - 1})");
        data["ensemble"] = BatchJson(b, null);
        var lines = new JsonArray();
        var rows = new List<object?[]>();
        var series = new List<Series>();
        int k = 0;
        foreach (var l in b.Lines)
        {
            var o = b.Observed()[k++];
            var p = o.Profile; var f = o.Disorder;
            lines.Add(new JsonObject { ["realization"] = l.Realization, ["fields"] = l.Line["fields"]?.DeepClone(), ["profile"] = l.Line["profile"]?.DeepClone(), ["step"] = l.Line["step"]?.DeepClone() });
            series.Add(new Series($"realization {l.Realization}", Sites(L), [.. p]));
            for (int i = 0; i < L; i++) rows.Add([l.Realization, i + 1, f[i], p[i]]);
        }
        data["realizations"] = lines;
        WriteData("fig7.csv", Output.Csv(["realization", "site", "field", "n"], rows));
        WriteData("fig7.json", Output.Json(data));
        Plot("fig7", $"Fig. 7: single realizations, L = {L}, h = {F(Fig7Disorder)}", "site x", "n_x", series, $"realizations 0..{n - 1}, fields uniform in [-h, h], {FermionSetting}; {FermionUnits}");
    }

    public void Table1()
    {
        int L = FLength;
        long n = N(FermionRealizations);
        var rows = new JsonArray();
        var md = new System.Text.StringBuilder();
        md.Append($"# Table 1: step shape, fermion chain L = {L}, {n} realizations per h (seed {s.Seed})\n\n");
        md.Append("Disorder averages ± standard error; in parentheses the paper's value (L = 9, 50 realizations).\n\n");
        md.Append("| quantity |" + string.Concat(Disorders.Select(h => $" h = {F(h)} |")) + "\n");
        md.Append("|---|" + string.Concat(Disorders.Select(_ => "---|")) + "\n");
        var cells = new Dictionary<string, List<string>> { ["max_jump"] = [], ["end_to_end"] = [], ["residual_roughness"] = [] };
        var refusedNote = new List<string>();
        for (int k = 0; k < Disorders.Length; k++)
        {
            double h = Disorders[k];
            var b = Fermion($"table1 h={F(h)}", Ferm(L, h), n);
            var avg = b.Average();
            var row = new JsonObject { ["disorder"] = h };
            foreach (var (name, paper) in new[] { ("max_jump", PaperMaxJump[k]), ("end_to_end", PaperEndToEnd[k]), ("residual_roughness", PaperRoughness[k]) })
            {
                var st = avg is null ? null : Named(avg.Step, name);
                double? mean = st?.Mean, se = st?.Stderr;
                row[name] = mean;
                row[name + "_stderr"] = se;
                cells[name].Add((mean is double m ? m.ToString("0.0000", CultureInfo.InvariantCulture) : "n/a") +
                                (se is double e ? " ± " + e.ToString("0.0000", CultureInfo.InvariantCulture) : "") +
                                (paper is double pv ? $" ({F(pv)})" : " (–)"));
            }
            row["realizations_used"] = b.Lines.Count;
            row["refused"] = b.RefusedJson();
            if (b.Refused.Count > 0) refusedNote.Add($"h = {F(h)}: {b.Refused.Count} refused");
            rows.Add(row);
        }
        md.Append("| max_i \\|n_i − n_{i+1}\\| |" + string.Concat(cells["max_jump"].Select(c => $" {c} |")) + "\n");
        md.Append("| \\|n_L − n_1\\| |" + string.Concat(cells["end_to_end"].Select(c => $" {c} |")) + "\n");
        md.Append("| (Σ\\|n_i − n_{i+1}\\| − max)/(L − 2) |" + string.Concat(cells["residual_roughness"].Select(c => $" {c} |")) + "\n");
        md.Append(refusedNote.Count > 0 ? $"\nRealizations refused by the numerics (not averaged): {string.Join("; ", refusedNote)}.\n" : "\nNo realization was refused.\n");
        var table = new JsonObject { ["length"] = L, ["realizations"] = n, ["rows"] = rows, ["seed"] = s.Seed, ["provenance"] = Provenance() };
        WriteData("table1.json", Output.Json(table));
        Write("table1.md", md.ToString());
    }

    public void Fig8()
    {
        int Lmax = FLength;
        var data = Header("8", $"mean of ln|J| over realizations vs L (fermion chain, h = {F(Fig8Disorder)} (the paper does not state h; assumption), J = V = 1, rates (3,1,2,1)); J = bond current at the middle bond (full relative accuracy); linear fit ln J = a + b L");
        var ens = new JsonArray();
        var pts = new LogCurrentVsLength();
        for (int L = 2; L <= Lmax; L++)
        {
            long n = N(L <= 8 ? 1000 : 100);
            var b = Fermion($"fig8 L={L}", Ferm(L, Fig8Disorder), n);
            var avg = b.Average();
            var st = avg?.LogCurrent;   // ln|J| of the middle bond current (Observables.TransportCurrent)
            var o = BatchJson(b, avg is null ? null : Json.AggregateJson.Of(avg), withProfile: false);
            o["ln_abs_bond_current"] = st is null ? null : Json.AggregateJson.Stat(st);
            ens.Add(o);
            pts.Add(L, b, st);
        }
        data["ensembles"] = ens;
        var (xs, ys) = (pts.L, pts.Mean);
        var series = new List<Series>();
        if (xs.Count > 0) series.Add(pts.Points("mean ln|J|"));
        var fit = Fit.Linear([.. xs], [.. ys]);
        if (fit is (double a, double slope))
        {
            data["fit"] = new JsonObject { ["model"] = "a + b*L", ["a"] = a, ["b"] = slope, ["points"] = xs.Count };
            series.Add(new Series($"fit {F(Math.Round(a, 3))} {(slope < 0 ? "−" : "+")} {F(Math.Round(Math.Abs(slope), 3))} L",
                [xs[0], xs[^1]], [a + slope * xs[0], a + slope * xs[^1]], Markers: false, Dashed: true, Color: 0));
        }
        else data["fit"] = null;
        WriteData("fig8.csv", Output.Csv(["L", "realizations", "refused", "mean_ln_abs_J", "stderr", "spread"], pts.Rows));
        WriteData("fig8.json", Output.Json(data));
        Plot("fig8", $"Fig. 8: ln|J| vs L, h = {F(Fig8Disorder)}", "chain length L", "mean ln|J|", series, $"error bars: ± one standard error of the mean of ln|J| over the realizations; J = bond current at the middle bond; {FermionSetting}; {FermionUnits}");
    }

    // ---- beyond the paper: fermion-free (V = 0, Gaussian solver) and conductance (harmonic, weak coupling) ----
    /// <summary>Bath occupations g1p/(g1p + g1m) and gLp/(gLp + gLm): the densities the two ends relax to, the
    /// fermion counterparts of T1 and TL in the step width and midpoint of Figure 3.</summary>
    static (double N1, double NL) Occupations => (Rates[0] / (Rates[0] + Rates[1]), Rates[2] / (Rates[2] + Rates[3]));

    static FermionEnsembleOptions FreeFerm(int L, double h) => new(L, h, 1, 0, Rates, FermionSolver.Gaussian);

    /// <summary>
    /// Beyond the paper: the Anderson-localized fermion chain (V = 0, exact Gaussian NESS at any L) on the grid
    /// of Fig. 4, for h = 10 and h = 2: mean density profiles against x/L, and Figure 3's step width w and
    /// midpoint spread (<see cref="Ness.Pipeline.Harmonic.StepShape"/> applied to n_x, with the bath occupations
    /// in place of T1 and TL) against L, with fits a + b √L and a + b L.
    /// </summary>
    public void FermionFree()
    {
        var Ls = Lengths(FreeScale);
        long n = N(FreeRealizations);
        var (n1, nL) = Occupations;
        var data = Header("fermion-free",
            $"free fermions (V = 0, Gaussian solver): mean density profile and Figure 3's step width w and midpoint spread vs L, h = {string.Join(", ", FreeDisorders.Select(F))}; " +
            $"J = 1, rates (3,1,2,1); step thresholds 30 % and 70 % of the way from n1 = 3/4 to nL = 2/3 (the bath occupations)");
        data["bath_occupations"] = new JsonArray(n1, nL);
        var ens = new JsonArray();
        var rows = new List<object?[]>();
        var prows = new List<object?[]>();
        var fits = new JsonObject();
        var steps = new List<Series>();
        var profiles = new List<Series>();
        for (int k = 0; k < FreeDisorders.Length; k++)
        {
            double h = FreeDisorders[k];
            var xs = new List<double>(); var w = new List<double>(); var we = new List<double>(); var ms = new List<double>();
            for (int i = 0; i < Ls.Length; i++)
            {
                int L = Ls[i];
                var b = Fermion($"fermion-free h={F(h)} L={L}", FreeFerm(L, h), n);
                var avg = b.Average();
                var o = BatchJson(b, b.Aggregate());
                var shapes = b.Observed().Select(o => Ness.Pipeline.Harmonic.StepShape.Of(o.Profile, n1, nL)).ToList();
                var width = Stat.Of([.. shapes.Where(x => x.Width is not null).Select(x => (double)x.Width!.Value)]);
                var mid = Stat.Of([.. shapes.Where(x => x.Midpoint is not null).Select(x => x.Midpoint!.Value)]);
                o["step_shape"] = new JsonObject { ["width"] = Json.AggregateJson.Stat(width), ["midpoint"] = Json.AggregateJson.Stat(mid) };
                ens.Add(o);
                if (avg is null) continue;
                var m = Means(avg.Profile); var e = Stderrs(avg.Profile);
                var x = Sites(L).Select(v => v / L).ToArray();
                profiles.Add(new Series($"h = {F(h)}, L = {L}", x, m, null, Markers: false, Dashed: k > 0, Color: i));
                for (int j = 0; j < L; j++) prows.Add([h, L, j + 1, x[j], m[j], n > 1 ? e[j] : null]);
                rows.Add([h, L, b.Lines.Count, b.Refused.Count, width?.Mean, width?.Stderr, mid?.Mean, mid?.Spread]);
                if (width is null || mid?.Spread is not double sd) continue;
                xs.Add(L); w.Add(width.Mean); we.Add(width.Stderr ?? 0); ms.Add(sd);
            }
            fits[F(h)] = new JsonObject
            {
                ["width"] = FitsJson([.. xs], [.. w]),
                ["midpoint_spread"] = FitsJson([.. xs], [.. ms]),
            };
            if (xs.Count == 0) continue;
            steps.Add(new Series($"h = {F(h)}: mean width w", [.. xs], [.. w], n > 1 ? [.. we] : null, Line: false, Color: 2 * k));
            steps.Add(new Series($"h = {F(h)}: spread of m", [.. xs], [.. ms], Line: false, Color: 2 * k + 1));
            var fine = Enumerable.Range(0, 101).Select(i => xs[0] + (xs[^1] - xs[0]) * i / 100.0).ToArray();
            foreach (var (ys, c) in new[] { (w, 2 * k), (ms, 2 * k + 1) })
                if (Fit.SqrtLaw([.. xs], [.. ys]) is (double a, double bb))
                    steps.Add(new Series($"fit {F(Math.Round(a, 2))} + {F(Math.Round(bb, 3))}√L", fine,
                        [.. fine.Select(L => a + bb * Math.Sqrt(L))], Markers: false, Dashed: true, Color: c));
        }
        data["ensembles"] = ens;
        data["fits"] = fits;
        WriteData("fermion-free.csv", Output.Csv(["h", "L", "realizations", "refused", "width_mean", "width_stderr", "midpoint_mean", "midpoint_spread"], rows));
        WriteData("fermion-free-profiles.csv", Output.Csv(["h", "L", "site", "x_over_L", "n_mean", "n_stderr"], prows));
        WriteData("fermion-free.json", Output.Json(data));
        string setting = $"V = 0 (Gaussian solver), J = 1, rates (g1p, g1m, gLp, gLm) = ({string.Join(", ", Rates.Select(F))}), fields uniform in [-h, h], seed {s.Seed}; {FermionUnits}";
        Plot("fermion-free", $"Free fermions (V = 0): step width and midpoint spread, {n} realizations per (h, L)", "chain length L", "sites", steps,
             $"{ErrorBars(n)} (width; the spread is a standard deviation, no bar); step: 30 % / 70 % thresholds between the bath occupations n1 = 3/4, nL = 2/3; {setting}");
        Plot("fermion-free-profiles", $"Free fermions (V = 0): mean density profile, {n} realizations per (h, L)", "x / L", "mean n_x", profiles,
             $"solid h = {F(FreeDisorders[0])}, dashed h = {F(FreeDisorders[1])}; {setting}");
    }

    /// <summary>
    /// Beyond the paper: mean ln(J/λ) of the harmonic chain at weak coupling (J/λ = (T1 − TL) Σ_k ψk(1)²ψk(L)²/(ψk(1)² + ψk(L)²),
    /// from eq. 2.9) on Fig. 3's L grid and ensembles, and its decay rate: the slope of a straight-line fit to the
    /// means weighted by their standard errors, with the slope's standard error.
    /// </summary>
    public void Conductance()
    {
        var Ls = Lengths(Fig3Scale);
        long n = N(HarmonicRealizations);
        var data = Header("conductance", "mean ln(J/lambda) of the harmonic chain at weak coupling vs L (g = 0.1, T1 = 1, TL = 2); J/lambda from eq. (2.9) (current.ln_abs); weighted linear fit a + b L");
        var ens = new JsonArray();
        var pts = new LogCurrentVsLength();
        foreach (int L in Ls)
        {
            var b = Harmonic($"fig3 L={L}", Harm(L, PaperCoupling, null), n);   // the ensembles of Fig. 3
            var avg = b.Average();
            var st = avg?.LogCurrent;
            var o = BatchJson(b, null);
            o["ln_current_per_bath_coupling"] = st is null ? null : Json.AggregateJson.Stat(st);
            ens.Add(o);
            pts.Add(L, b, st);
        }
        data["ensembles"] = ens;
        var (xs, ys, es) = (pts.L, pts.Mean, pts.Stderr);
        var series = new List<Series>();
        if (xs.Count > 0) series.Add(pts.Points("mean ln|J/λ|"));
        var fit = es.Count > 0 && es.All(e => e > 0) ? Fit.WeightedLinear([.. xs], [.. ys], [.. es]) : null;
        var plain = Fit.Linear([.. xs], [.. ys]);
        if (fit is { } f)
        {
            data["fit"] = new JsonObject
            {
                ["model"] = "a + b*L, weighted by 1/stderr^2",
                ["a"] = f.A, ["a_stderr"] = f.SeA, ["b"] = f.B, ["b_stderr"] = f.SeB,
                ["decay_rate"] = -f.B, ["decay_rate_stderr"] = f.SeB,
                ["chi2"] = f.Chi2, ["points"] = xs.Count,
            };
            series.Add(new Series($"fit {F(Math.Round(f.A, 2))} − ({F(Math.Round(-f.B, 4))} ± {F(Math.Round(f.SeB, 4))}) L",
                [xs[0], xs[^1]], [f.A + f.B * xs[0], f.A + f.B * xs[^1]], Markers: false, Dashed: true, Color: 0));
        }
        else data["fit"] = null;
        data["fit_unweighted"] = plain is (double pa, double pb) ? new JsonObject { ["model"] = "a + b*L", ["a"] = pa, ["b"] = pb, ["points"] = xs.Count } : null;
        WriteData("conductance.csv", Output.Csv(["L", "realizations", "refused", "mean_ln_J_per_lambda", "stderr", "spread"], pts.Rows));
        WriteData("conductance.json", Output.Json(data));
        Plot("conductance", $"Harmonic chain, weak coupling: mean ln|J/λ| vs L, {n} realizations per L", "chain length L", "mean ln|J/λ|", series,
             $"{ErrorBars(n)}; J/λ from eq. (2.9), T1 − TL = −1 (|J| plotted); weak coupling, {HarmonicSetting()}; {HarmonicUnits}");
    }

    static JsonObject FitsJson(double[] L, double[] y) => new()
    {
        ["sqrt"] = Fit.SqrtLaw(L, y) is (double a, double b) ? new JsonObject { ["model"] = "a + b*sqrt(L)", ["a"] = a, ["b"] = b, ["points"] = L.Length } : null,
        ["linear"] = Fit.Linear(L, y) is (double c, double d) ? new JsonObject { ["model"] = "a + b*L", ["a"] = c, ["b"] = d, ["points"] = L.Length } : null,
    };
}
