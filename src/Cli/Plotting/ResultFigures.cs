using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LanguageExt;
using Ness.Cli.Reproduce;
using Ness.Pipeline;
using Ness.Pipeline.Ensemble;

namespace Ness.Cli.Plotting;

/// <summary>
/// The figures of <c>ness plot</c>. A single run gives PREFIX.profile (n_x or T(x) against the site) and, for the
/// fermion chain, PREFIX.currents (|j_x| of each bond on a log scale). An ensemble gives the mean profile with
/// standard-error bars, the mean of log10|j_x| per bond with its standard error (fermions) and PREFIX.steps, the
/// distribution of the step size over the realizations (max jump for fermions, step width for the harmonic
/// chain). An aggregate gives the mean profile with standard-error bars. Every figure states the model's
/// parameters, the units and what its error bars are.
/// </summary>
public static class ResultFigures
{
    public static Fin<IReadOnlyList<string>> Of(string path, string text, string stem)
    {
        JsonObject? single = null;
        try { single = JsonNode.Parse(text) as JsonObject; }
        catch (JsonException) { }   // several lines: an ensemble file
        try
        {
            if (single is not null && single["count"] is not null && single["profile"]?["mean"] is JsonArray)
                return Fin<IReadOnlyList<string>>.Succ(Aggregate(single, stem));
            if (single is not null && single["realization"] is null && single["profile"] is JsonArray)
                return Fin<IReadOnlyList<string>>.Succ(Single(single, stem));
            var scan = EnsembleFile.Read("FILE", path, Encoding.UTF8.GetBytes(text));
            if (scan.IsFail) return (LanguageExt.Common.Error)scan;
            var lines = ((EnsembleFile.Scan)scan).Lines;
            if (lines.Count == 0) return new BadInput("FILE", $"'{path}' holds no complete ensemble line");
            return Pipeline.Ensemble.Aggregate.Run([.. lines.Select(l => new Pipeline.Ensemble.Aggregate.Source($"{path} line {l.Number}", l.Parsed))])
                .Map(avg => (IReadOnlyList<string>)Ensemble(avg, [.. lines.Select(l => l.Parsed.Line)], stem));
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or NullReferenceException or KeyNotFoundException)
        {
            return new BadInput("FILE", $"'{path}' is not a result of ness fermion/harmonic, ness ensemble or ness aggregate ({e.Message})");
        }
    }

    static string F(double x) => x.ToString("G6", CultureInfo.InvariantCulture);
    static double[] Nums(JsonNode? a) => a is JsonArray arr ? [.. arr.Select(v => EnsembleLine.Number(v) ?? double.NaN)] : [];
    static double[] Sites(int n, int first = 1) => [.. Enumerable.Range(first, n).Select(x => (double)x)];
    static bool Fermion(JsonObject o) => (string?)o["model"] == "fermion";

    static string Units(bool fermion) => fermion ? "units: J = ħ = k_B = 1" : "units: unit masses, k_B = 1";
    static string ProfileLabel(bool fermion) => fermion ? "density <n_x>" : "temperature T(x) = <p_x^2>";

    /// <summary>The model's parameters in words, from a single-run object or the "parameters" of an aggregate.</summary>
    static string Parameters(JsonObject o)
    {
        var pv = o["provenance"];
        string draw = pv?["seed"] is JsonNode s ? $", seed {s}, realization {pv["realization"]}" : "";
        if (Fermion(o))
        {
            string w = pv?["disorder"] is JsonNode d ? $", fields uniform in [-{d}, {d}]" :
                       o["ensemble"]?["disorder"] is JsonNode d2 ? $", fields uniform in [-{d2}, {d2}]" : "";
            return $"fermion chain L = {o["length"]}, J = {o["hopping"]}, V = {o["interaction"]}, rates (g1p, g1m, gLp, gLm) = ({string.Join(", ", Nums(o["rates"]).Select(F))}){w}{draw}";
        }
        var lam = o["bath_coupling"] is JsonNode l ? $"λ = {l}" : "λ → 0 (weak coupling, eq. 2.9)";
        var range = pv?["pinning_range"] ?? o["ensemble"]?["pinning_range"];
        string pin = range is JsonArray r ? $", pinning uniform in [{r[0]}, {r[1]}]" : "";
        var t = Nums(o["temperatures"]);
        return $"harmonic chain L = {o["length"]}, g = {o["coupling"]}, {lam}, T1 = {(t.Length > 0 ? F(t[0]) : "?")}, TL = {(t.Length > 1 ? F(t[1]) : "?")}{pin}{draw}";
    }

    static List<string> Single(JsonObject o, string stem)
    {
        bool fermion = Fermion(o);
        var profile = Nums(o["profile"]);
        var files = new List<string>();
        string what = $"{Parameters(o)}; {Units(fermion)}";
        files.AddRange(Plots.SaveAs(stem + ".profile", fermion ? "Density profile of the steady state" : "Temperature profile of the steady state",
            "site x", ProfileLabel(fermion), [new Series("", Sites(profile.Length), profile)], $"one realization, no error bars; {what}"));
        var bonds = Nums(o["current"]?["bonds"]);
        if (fermion && bonds.Length > 0)
            files.AddRange(Plots.SaveAs(stem + ".currents", "Bond currents |j_x| (from site x to x + 1)",
                "bond x", "|j_x|", [new Series("", Sites(bonds.Length), [.. bonds.Select(Math.Abs)])],
                $"one realization; all bonds carry the same current in a steady state; {what}", logY: true));
        return files;
    }

    static List<string> Aggregate(JsonObject a, string stem)
    {
        var p = (JsonObject)a["parameters"]!;
        bool fermion = (string?)a["model"] == "fermion";
        var mean = Nums(a["profile"]!["mean"]);
        var se = a["profile"]!["stderr"] is JsonArray e && e.All(v => v is not null) ? Nums(e) : null;
        long n = (long)(EnsembleLine.Number(a["count"]) ?? 0);
        string bars = se is null ? "one realization, no error bars" : $"error bars: ± one standard error of the mean over {n} realizations";
        string lc = a["log_current"]?["mean"] is JsonNode m ? $"; mean ln|J| = {F((double)m)}" : "";
        return [.. Plots.SaveAs(stem + ".profile", $"Disorder-averaged {(fermion ? "density" : "temperature")} profile, {n} realizations",
            "site x", "mean " + ProfileLabel(fermion), [new Series("", Sites(mean.Length), mean, se)],
            $"{bars}; {Parameters(p)}{lc}; {Units(fermion)}")];
    }

    static List<string> Ensemble(EnsembleAverage avg, IReadOnlyList<JsonObject> lines, string stem)
    {
        var agg = Json.AggregateJson.Of(avg, lines);
        var files = Aggregate(agg, stem);
        bool fermion = avg.Model == "fermion";
        var p = avg.Parameters;
        string what = $"{Parameters(p)}; {Units(fermion)}";
        if (fermion)
        {
            // per bond: mean and standard error of log10|j_x| over the realizations
            var logs = lines.Select(l => Nums(l["current"]?["bonds"])).Where(b => b.Length > 0)
                            .Select(b => b.Select(j => Math.Log10(Math.Abs(j))).ToArray()).ToList();
            if (logs.Count > 0)
            {
                int nb = logs[0].Length;
                var stats = Enumerable.Range(0, nb).Select(x => Stat.Of([.. logs.Select(l => l[x]).Where(double.IsFinite)])).ToArray();
                var mean = stats.Select(s => Math.Pow(10, s?.Mean ?? double.NaN)).ToArray();
                bool bars = stats.All(s => s?.Stderr is not null);
                // the error bar of log10|j| (stderr) drawn on the log axis: convert to the linear scale Plots expects
                var err = bars ? stats.Select((s, k) => s!.Stderr!.Value * Math.Log(10) * mean[k]).ToArray() : null;
                files.AddRange(Plots.SaveAs(stem + ".currents", $"Bond currents: geometric mean of |j_x| over {logs.Count} realizations",
                    "bond x", "10^<log10 |j_x|>", [new Series("", Sites(nb), mean, err)],
                    $"{(bars ? "error bars: ± one standard error of the mean of log10|j_x|" : "one realization, no error bars")}; {what}", logY: true));
            }
        }
        var key = fermion ? "max_jump" : "width";
        var values = lines.Select(l => EnsembleLine.Number(l["step"]?[key])).Where(v => v is double).Select(v => v!.Value).ToArray();
        if (values.Length > 0)
        {
            var (x, count) = Histogram(values, integer: !fermion);
            files.AddRange(Plots.SaveAs(stem + ".steps",
                fermion ? $"Distribution of the largest density jump max_x |n_x − n_x+1| over {values.Length} realizations"
                        : $"Distribution of the step width w (paper, Figure 3) over {values.Length} realizations",
                fermion ? "max jump" : "step width w (sites)", "realizations",
                [new Series("", x, count, Bars: true)],
                $"{(fermion ? "bins of equal width" : "one bar per width")}; realizations without a step are left out; {what}"));
        }
        return files;
    }

    /// <summary>Bin centres and counts: one bin per integer for integer data, else 20 equal bins.</summary>
    static (double[] X, double[] Count) Histogram(double[] v, bool integer)
    {
        double lo = v.Min(), hi = v.Max();
        if (integer)
        {
            var xs = Enumerable.Range((int)lo, (int)(hi - lo) + 1).Select(i => (double)i).ToArray();
            return (xs, [.. xs.Select(x => (double)v.Count(y => y == x))]);
        }
        int bins = 20;
        double w = hi > lo ? (hi - lo) / bins : 1;
        var c = new double[bins];
        foreach (var y in v) c[Math.Min(bins - 1, (int)((y - lo) / w))]++;
        return ([.. Enumerable.Range(0, bins).Select(k => lo + (k + 0.5) * w)], c);
    }
}
