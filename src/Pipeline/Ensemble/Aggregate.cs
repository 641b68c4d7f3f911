using System.Text.Json;
using System.Text.Json.Nodes;
using LanguageExt;

namespace Ness.Pipeline.Ensemble;

/// <summary>
/// Disorder averages over the lines of one or more ensemble files (shards). Pure: the caller reads the files.
/// Refuses (exit 2) lines with different parameters, a realization that appears twice, and no lines at all.
/// </summary>
public static class Aggregate
{
    /// <summary>A line and where it came from (for messages).</summary>
    public sealed record Source(string Where, EnsembleLine.Parsed Parsed);

    public static Fin<JsonObject> Run(IReadOnlyList<Source> lines)
    {
        if (lines.Count == 0) return new BadInput("FILE", "no complete realizations in the given files");
        var first = lines[0];
        var seen = new Dictionary<long, string>();
        foreach (var s in lines)
        {
            if (s.Parsed.ParameterKey != first.Parsed.ParameterKey)
                return new BadInput("FILE", $"mixed parameters: {s.Where} differs from {first.Where} in " +
                    EnsembleLine.Difference(EnsembleLine.ParametersOf(s.Parsed.Line), EnsembleLine.ParametersOf(first.Parsed.Line), s.Where, first.Where) +
                    "; aggregate only files of one ensemble");
            if (seen.TryGetValue(s.Parsed.Realization, out var other))
                return new BadInput("FILE", $"overlapping realizations: realization {s.Parsed.Realization} is in {other} and in {s.Where}");
            seen[s.Parsed.Realization] = s.Where;
        }
        var sorted = lines.OrderBy(s => s.Parsed.Realization).Select(s => s.Parsed).ToList();
        int n = sorted.Count;

        // profile
        var profiles = new List<double[]>(n);
        foreach (var p in sorted)
        {
            var prof = Numbers(p.Line["profile"]);
            if (prof is null)
                return new BadInput("FILE", $"realization {p.Realization}: \"profile\" is missing or not an array of numbers");
            if (profiles.Count > 0 && prof.Length != profiles[0].Length)
                return new BadInput("FILE", $"realization {p.Realization}: profile has {prof.Length} sites, realization {sorted[0].Realization} has {profiles[0].Length}");
            profiles.Add(prof);
        }
        int sites = profiles[0].Length;
        var mean = new JsonArray();
        var stderr = new JsonArray();
        for (int x = 0; x < sites; x++)
        {
            var st = Stat.Of(profiles.Select(p => p[x]).ToList())!;
            mean.Add(st.Mean);
            stderr.Add(st.Stderr);
        }

        var result = new JsonObject
        {
            ["model"] = sorted[0].Model,
            ["count"] = n,
            ["realizations"] = Ranges(sorted.Select(p => p.Realization)),
            ["parameters"] = EnsembleLine.ParametersOf(sorted[0].Line),
            ["profile"] = new JsonObject { ["mean"] = mean, ["stderr"] = stderr },
            ["step"] = Scalars(sorted, "step"),
            ["current"] = Scalars(sorted, "current"),
        };
        var logs = sorted.Select(p => Number(p.Line["current"]?["left"]))
                         .Where(v => v is double d && d != 0).Select(v => Math.Log(Math.Abs(v!.Value))).ToList();
        if (logs.Count > 0) result["log_current"] = StatNode(Stat.Of(logs), n);
        return result;
    }

    /// <summary>For every numeric scalar key of the object <paramref name="key"/> (in first-seen order):
    /// { "mean", "stderr", "spread", "count" } over the lines where it is a number (null if none).</summary>
    static JsonObject Scalars(IReadOnlyList<EnsembleLine.Parsed> lines, string key)
    {
        var names = new List<string>();
        foreach (var p in lines)
            if (p.Line[key] is JsonObject o)
                foreach (var (k, v) in o)
                    if (!names.Contains(k) && v is not JsonArray && v is not JsonObject) names.Add(k);
        var result = new JsonObject();
        foreach (var k in names)
        {
            var values = lines.Select(p => Number(p.Line[key]?[k])).Where(v => v is not null).Select(v => v!.Value).ToList();
            result[k] = StatNode(Stat.Of(values), lines.Count);
        }
        return result;
    }

    static JsonObject StatNode(Stat? s, int total) => new()
    {
        ["mean"] = s?.Mean,
        ["stderr"] = s?.Stderr,
        ["spread"] = s?.Spread,
        ["count"] = s?.Count ?? 0,
    };

    /// <summary>A JSON number as a double, whatever its in-memory representation (int, long, double,
    /// parsed text); null for anything else.</summary>
    public static double? Number(JsonNode? n) =>
        n is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            ? double.Parse(v.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture)
            : null;

    static double[]? Numbers(JsonNode? n)
    {
        if (n is not JsonArray a) return null;
        var x = new double[a.Count];
        for (int i = 0; i < a.Count; i++)
        {
            if (Number(a[i]) is not double d) return null;
            x[i] = d;
        }
        return x;
    }

    /// <summary>Sorted realizations as inclusive ranges [[first, last], ...].</summary>
    public static JsonArray Ranges(IEnumerable<long> sortedRealizations)
    {
        var ranges = new JsonArray();
        long? a = null, b = null;
        foreach (var r in sortedRealizations)
        {
            if (a is null) { a = b = r; continue; }
            if (r == b + 1) { b = r; continue; }
            ranges.Add(new JsonArray(a.Value, b!.Value));
            a = b = r;
        }
        if (a is not null) ranges.Add(new JsonArray(a.Value, b!.Value));
        return ranges;
    }
}
