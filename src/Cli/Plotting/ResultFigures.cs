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
/// The figures of <c>ness plot</c>, as <see cref="Figure"/> models (drawn by <see cref="Plots"/>). A single run
/// gives "profile" (n_x or T(x) against the site) and, for the fermion chain, "currents" (|j_x| of each bond on a
/// log scale). An ensemble gives the mean profile with standard-error bars, the mean of log10|j_x| per bond with
/// its standard error (fermions) and "steps", the histogram of the step size over the realizations (max jump for
/// fermions, step width for the harmonic chain). An aggregate gives the mean profile with standard-error bars.
/// Several files (<see cref="Overlay"/>) give their profiles in one figure, labelled by the parameters that differ,
/// and, when one numeric parameter differs, the step size and ln|J| against it. Every figure states the model's
/// parameters, the units and what its error bars are.
/// </summary>
public static class ResultFigures
{
    /// <summary>A figure and its kind (the file is PREFIX.kind.png).</summary>
    public sealed record Named(string Kind, Figure Figure);

    /// <summary>A result reduced to what the figures need: an aggregate-shaped object (model, count, parameters,
    /// profile {mean, stderr}, step, log_current) and, for an ensemble, its lines.</summary>
    sealed record Input(string Path, JsonObject Aggregate, IReadOnlyList<JsonObject> Lines, bool SingleRun);

    /// <summary>The figures of one file; a box (<c>ness harmonic --shape</c>, its ensembles and aggregates) gets
    /// <see cref="BoxFigures"/>.</summary>
    public static Fin<IReadOnlyList<Named>> Of(string path, string text) =>
        Read(path, text).Bind(i => BoxFigures.IsBox(i.Aggregate)
            ? BoxFigures.Of(path, i.Aggregate, i.SingleRun)
            : Fin<IReadOnlyList<Named>>.Succ(i.SingleRun ? Single(i.Aggregate) : i.Lines.Count > 0 ? Ensemble(i.Aggregate, i.Lines) : Aggregate(i.Aggregate)));

    /// <summary>The figures of several files in one: "profile" (every input's profile, ± one standard error), and
    /// when exactly one numeric parameter differs between them, "steps" and "log_current" against it.</summary>
    public static Fin<IReadOnlyList<Named>> Overlay(IReadOnlyList<(string Path, string Text)> files)
    {
        var inputs = new List<Input>();
        foreach (var (path, text) in files)
        {
            var r = Read(path, text);
            if (r.IsFail) return (LanguageExt.Common.Error)r;
            inputs.Add((Input)r);
            // boxes: a profile against the flattened site index would mislead, and slice profiles of different boxes
            // are not one x axis; plot each box on its own
            if (BoxFigures.IsBox(((Input)r).Aggregate))
                return new BadInput("FILE", $"'{path}' is a result of ness harmonic --shape (a box); ness plot overlays chains only: " +
                                            "plot each box file on its own (slice means and, in d = 2, 3, the temperature map)");
        }
        var models = inputs.Select(i => (string?)i.Aggregate["model"]).Distinct().ToList();
        if (models.Count > 1)
            return new BadInput("FILE", $"cannot overlay a fermion and a harmonic result ({string.Join(", ", inputs.Select(i => $"{i.Path}: {i.Aggregate["model"]}"))})");
        bool fermion = models[0] == "fermion";
        var parameters = inputs.Select(i => Describe(i.Aggregate)).ToList();
        var differ = parameters.SelectMany(p => p.Keys).Distinct()
            .Where(k => parameters.Select(p => p.GetValueOrDefault(k, "?")).Distinct().Count() > 1).ToList();
        string Label(int k) => differ.Count == 0 ? System.IO.Path.GetFileName(inputs[k].Path)
                                                  : string.Join(", ", differ.Select(d => $"{d} = {parameters[k].GetValueOrDefault(d, "?")}"));
        var common = parameters[0].Where(kv => !differ.Contains(kv.Key)).Select(kv => $"{kv.Key} = {kv.Value}");
        string what = $"{string.Join(", ", common)}; {Units(fermion)}";
        var profiles = inputs.Select((i, k) =>
        {
            var (mean, se, _) = Profile(i.Aggregate);
            return new Series(Label(k), Sites(mean.Length), mean, se, Markers: mean.Length <= 100, Color: k);
        }).ToList();
        var counts = inputs.Select(i => (long)(EnsembleLine.Number(i.Aggregate["count"]) ?? 0)).ToList();
        string bars = counts.All(c => c <= 1) ? "single realizations, no error bars"
                    : $"error bars: ± one standard error of the mean over {Counts(counts)} realizations";
        var figures = new List<Named>
        {
            new("profile", new Figure($"{(fermion ? "Density" : "Temperature")} profiles of {inputs.Count} results",
                "site x", ProfileLabel(fermion), profiles, $"{bars}; {what}")),
        };
        if (differ.Count == 1 && parameters.All(p => double.TryParse(p.GetValueOrDefault(differ[0]), NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
        {
            var x = parameters.Select(p => double.Parse(p[differ[0]], CultureInfo.InvariantCulture)).ToArray();
            var key = fermion ? "max_jump" : "width";
            var step = inputs.Select(i => MeanSe(i.Aggregate["step"]?[key])).ToList();
            if (step.All(s => s.Mean is not null))
                figures.Add(new("steps", new Figure(
                    fermion ? $"Mean largest density jump max_x |n_x − n_x+1| against {differ[0]}" : $"Mean step width w against {differ[0]}",
                    differ[0], fermion ? "mean max jump" : "mean step width w (sites)",
                    [new Series("", x, [.. step.Select(s => s.Mean!.Value)], step.All(s => s.Se is not null) ? [.. step.Select(s => s.Se!.Value)] : null)],
                    $"{bars}; realizations without a step left out; {what}")));
            var lc = inputs.Select(i => MeanSe(i.Aggregate["log_current"] ?? i.Aggregate["log_current_per_bath_coupling"])).ToList();
            if (lc.All(s => s.Mean is not null))
            {
                var name = LogCurrentName(inputs[0].Aggregate);
                figures.Add(new("log_current", new Figure($"Disorder average of {name} against {differ[0]}", differ[0], $"mean {name}",
                    [new Series("", x, [.. lc.Select(s => s.Mean!.Value)], lc.All(s => s.Se is not null) ? [.. lc.Select(s => s.Se!.Value)] : null)],
                    $"{bars}; {what}")));
            }
        }
        return figures;
    }

    static string Counts(List<long> counts) =>
        counts.Distinct().Count() == 1 ? counts[0].ToString(CultureInfo.InvariantCulture) : $"{counts.Min()}–{counts.Max()}";

    /// <summary>Recognises the kind of file and reduces it to an <see cref="Input"/>.</summary>
    static Fin<Input> Read(string path, string text)
    {
        JsonObject? single = null;
        try { single = JsonNode.Parse(text) as JsonObject; }
        catch (JsonException) { }   // several lines: an ensemble file
        try
        {
            if (single is not null && single["count"] is not null && single["profile"]?["mean"] is JsonArray)
                return new Input(path, single, [], false);
            if (single is not null && single["realization"] is null && single["profile"] is JsonArray)
                return new Input(path, single, [], true);
            var scan = EnsembleFile.Read("FILE", path, Encoding.UTF8.GetBytes(text));
            if (scan.IsFail) return (LanguageExt.Common.Error)scan;
            var lines = ((EnsembleFile.Scan)scan).Lines;
            if (lines.Count == 0) return new BadInput("FILE", $"'{path}' holds no complete ensemble line");
            return Json.RealizationJson.Average("FILE", lines.Select(l => ($"{path} line {l.Number}", l.Parsed)))
                .Map(avg => new Input(path, Json.AggregateJson.Of(avg, lines.Select(l => l.Parsed.Line)), [.. lines.Select(l => l.Parsed.Line)], false));
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
    static (double? Mean, double? Se) MeanSe(JsonNode? s) => (EnsembleLine.Number(s?["mean"]), EnsembleLine.Number(s?["stderr"]));

    static string Units(bool fermion) => fermion ? "units: J = ħ = k_B = 1" : "units: unit masses, k_B = 1";
    static string ProfileLabel(bool fermion) => fermion ? "density <n_x>" : "temperature T(x) = <p_x^2>";

    /// <summary>What the aggregate's log_current is the mean of: ln|J|, or ln|J/λ| for the harmonic chain at weak
    /// coupling (its current is proportional to λ).</summary>
    static string LogCurrentName(JsonObject agg) =>
        agg["log_current_per_bath_coupling"] is null ? "ln|J|" : "ln|J/λ|";

    /// <summary>A parameter of a single run (top level or provenance) or of an aggregate ("parameters", its "ensemble").</summary>
    static JsonNode? Param(JsonObject o, string key)
    {
        var p = o["parameters"] as JsonObject;
        return p?["ensemble"]?[key] ?? p?[key] ?? o[key] ?? o["provenance"]?[key];
    }

    /// <summary>The model's parameters as name → value text (the legend of an overlay names those that differ).</summary>
    static SortedDictionary<string, string> Describe(JsonObject o)
    {
        string[] keys = Fermion(o)
            ? ["length", "disorder", "hopping", "interaction", "rates", "seed", "realization", "solver"]
            : ["length", "pinning_range", "coupling", "bath_coupling", "temperatures", "seed", "realization"];
        var d = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var k in keys)
        {
            var v = k == "realization" ? o["provenance"]?[k] : Param(o, k);
            if (v is not null) d[k] = v is JsonArray a ? string.Join(",", Nums(a).Select(F)) : EnsembleLine.Number(v) is double x ? F(x) : v.ToString();
        }
        if (!Fermion(o) && !d.ContainsKey("bath_coupling")) d["bath_coupling"] = "0 (weak coupling)";
        return d;
    }

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

    static (double[] Mean, double[]? Se, long Count) Profile(JsonObject a)
    {
        if (a["profile"] is JsonArray single) return (Nums(single), null, 1);
        var mean = Nums(a["profile"]!["mean"]);
        var se = a["profile"]!["stderr"] is JsonArray e && e.All(v => v is not null) ? Nums(e) : null;
        return (mean, se, (long)(EnsembleLine.Number(a["count"]) ?? 0));
    }

    static List<Named> Single(JsonObject o)
    {
        bool fermion = Fermion(o);
        var profile = Nums(o["profile"]);
        var figures = new List<Named>();
        string what = $"{Parameters(o)}; {Units(fermion)}";
        figures.Add(new("profile", new Figure(fermion ? "Density profile of the steady state" : "Temperature profile of the steady state",
            "site x", ProfileLabel(fermion), [new Series("", Sites(profile.Length), profile)], $"one realization, no error bars; {what}")));
        var bonds = Nums(o["current"]?["bonds"]);
        if (fermion && bonds.Length > 0)
            figures.Add(new("currents", new Figure("Bond currents |j_x| (from site x to x + 1)",
                "bond x", "|j_x|", [new Series("", Sites(bonds.Length), [.. bonds.Select(Math.Abs)])],
                $"one realization; all bonds carry the same current in a steady state; {what}", LogY: true)));
        return figures;
    }

    static List<Named> Aggregate(JsonObject a)
    {
        var p = (JsonObject)a["parameters"]!;
        bool fermion = (string?)a["model"] == "fermion";
        var (mean, se, n) = Profile(a);
        string bars = se is null ? "one realization, no error bars" : $"error bars: ± one standard error of the mean over {n} realizations";
        string lc = (a["log_current"] ?? a["log_current_per_bath_coupling"])?["mean"] is JsonNode m ? $"; mean {LogCurrentName(a)} = {F((double)m)}" : "";
        return [new("profile", new Figure($"Disorder-averaged {(fermion ? "density" : "temperature")} profile, {n} realizations",
            "site x", "mean " + ProfileLabel(fermion), [new Series("", Sites(mean.Length), mean, se)],
            $"{bars}; {Parameters(p)}{lc}; {Units(fermion)}"))];
    }

    static List<Named> Ensemble(JsonObject agg, IReadOnlyList<JsonObject> lines)
    {
        var figures = Aggregate(agg);
        bool fermion = Fermion(agg);
        var p = (JsonObject)agg["parameters"]!;
        string what = $"{Parameters(p)}; {Units(fermion)}";
        if (fermion)
        {
            // per bond: mean and standard error of log10|j_x| over the realizations
            var logs = lines.Select(l => Nums(l["current"]?["bonds"])).Where(b => b.Length > 0)
                            .Select(b => b.Select(j => Math.Log10(Math.Abs(j))).ToArray()).ToList();
            if (logs.Count > 0)
            {
                int nb = logs[0].Length;
                var stats = Enumerable.Range(0, nb).Select(x => Pipeline.Ensemble.Stat.Of([.. logs.Select(l => l[x]).Where(double.IsFinite)])).ToArray();
                var mean = stats.Select(s => Math.Pow(10, s?.Mean ?? double.NaN)).ToArray();
                bool bars = stats.All(s => s?.Stderr is not null);
                // the error bar of log10|j| (stderr) drawn on the log axis: convert to the linear scale Plots expects
                var err = bars ? stats.Select((s, k) => s!.Stderr!.Value * Math.Log(10) * mean[k]).ToArray() : null;
                figures.Add(new("currents", new Figure($"Bond currents: geometric mean of |j_x| over {logs.Count} realizations",
                    "bond x", "10^<log10 |j_x|>", [new Series("", Sites(nb), mean, err)],
                    $"{(bars ? "error bars: ± one standard error of the mean of log10|j_x|" : "one realization, no error bars")}; {what}", LogY: true)));
            }
        }
        var key = fermion ? "max_jump" : "width";
        var values = lines.Select(l => EnsembleLine.Number(l["step"]?[key])).OfType<double>().ToArray();
        if (values.Length > 0)
        {
            var h = Histogram.Of(values, integer: !fermion);
            figures.Add(new("steps", new Figure(
                fermion ? $"Distribution of the largest density jump max_x |n_x − n_x+1| over {values.Length} realizations"
                        : $"Distribution of the step width w (paper, Figure 3) over {values.Length} realizations",
                fermion ? "max jump" : "step width w (sites)", "realizations",
                [new Series("", h.Centres, h.Counts, Bars: true, BarWidth: h.Width)],
                $"{(fermion ? $"{h.Centres.Length} bins of width {F(h.Width)}" : "one bar per width")}; realizations without a step are left out; {what}")));
        }
        return figures;
    }
}

/// <summary>Counts of values in bins of equal width: bin k is [Lo + k·Width, Lo + (k+1)·Width) (the last bin
/// closed), centred at <see cref="Centres"/>[k]. Integer data get one bin per integer (width 1).</summary>
public sealed record Histogram(double[] Centres, double[] Counts, double Width)
{
    public static Histogram Of(double[] v, bool integer)
    {
        double lo = v.Min(), hi = v.Max();
        if (integer)
        {
            var xs = Enumerable.Range((int)lo, (int)(hi - lo) + 1).Select(i => (double)i).ToArray();
            var c = new double[xs.Length];
            foreach (var y in v) c[(int)(y - lo)]++;
            return new(xs, c, 1);
        }
        if (hi == lo) return new([lo], [v.Length], lo != 0 ? Math.Abs(lo) / 10 : 1);
        // about √n bins (5..30): enough to show the shape, few enough that the bins are not mostly empty
        int bins = Math.Clamp((int)Math.Ceiling(Math.Sqrt(v.Length)), 5, 30);
        double w = (hi - lo) / bins;
        var count = new double[bins];
        foreach (var y in v) count[Math.Min(bins - 1, (int)((y - lo) / w))]++;
        return new([.. Enumerable.Range(0, bins).Select(k => lo + (k + 0.5) * w)], count, w);
    }
}
