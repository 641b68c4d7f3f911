using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LanguageExt;
using Ness.Pipeline;
using Ness.Pipeline.Ensemble;
using static LanguageExt.Prelude;

namespace Ness.Cli.Commands;

/// <summary>
/// <c>ness aggregate FILE.jsonl... [--format json|csv|table]</c>: disorder averages over any set of ensemble
/// files (shards); <c>-</c> reads the lines from stdin (<c>ness ensemble ... | ness aggregate -</c>). Refuses mixed
/// parameters, overlapping realizations and invalid files (exit 2), unreadable ones (exit 4).
/// A torn last line (a shard still running or killed) is skipped with a warning on stderr.
/// </summary>
public static class AggregateCommand
{
    public static Command Create()
    {
        var cmd = new Command("aggregate", "Disorder-averaged profile (mean, standard error), step statistics and count over ensemble files (shards).");
        var files = new Argument<string[]>("FILE")
        {
            Description = "Ensemble files (JSON Lines) written by 'ness ensemble'; - reads stdin.",
            Arity = ArgumentArity.OneOrMore,
        };
        var format = Flags.Choice("--format", "Output format.", Output.Formats).Default("json");
        cmd.Arguments.Add(files);
        cmd.Options.Add(format);
        cmd.SetAction(p => Exit.Run(() =>
            from result in Compute(p.GetValue(files) ?? [], Console.Error)
            select Render(result, p.Value(format))));
        return cmd;
    }

    /// <summary>Reads the files and aggregates them.</summary>
    public static Fin<JsonObject> Compute(IReadOnlyList<string> paths, TextWriter log)
    {
        var lines = new List<Aggregate.Source>();
        var seenPaths = new System.Collections.Generic.HashSet<string>();
        foreach (var name in paths)
        {
            bool stdin = name == "-";
            var path = stdin ? "stdin" : name;
            if (!seenPaths.Add(stdin ? "-" : Path.GetFullPath(path)))
                return new BadInput("FILE", $"'{name}' is given twice");
            if (!stdin && Directory.Exists(path))
                return new BadInput("FILE", $"'{path}' is a directory; give the ensemble files in it (e.g. {Path.Combine(path, "*.jsonl")})");
            byte[] bytes;
            try
            {
                bytes = stdin ? Encoding.UTF8.GetBytes(Console.In.ReadToEnd()) : File.ReadAllBytes(path);
            }
            catch (FileNotFoundException)
            {
                return new IoFailure($"FILE: cannot read '{path}': no such file");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                return OutputLock.Cannot("FILE", path, "read", e);
            }
            if (WrongKind(path, bytes) is string wrong) return new BadInput("FILE", wrong);
            var scan = EnsembleFile.Read("FILE", path, bytes);
            if (scan.IsFail) return (LanguageExt.Common.Error)scan;
            var s = (EnsembleFile.Scan)scan;
            if (s.Torn is not null) log.WriteLine($"ness: warning: {path}: ignoring the torn last line ({s.Torn})");
            lines.AddRange(s.Lines.Select(l => new Aggregate.Source($"{path} line {l.Number}", l.Parsed)));
        }
        return Aggregate.Run(lines).Map(a => Json.AggregateJson.Of(a, lines.Select(l => l.Parsed.Line)));
    }

    /// <summary>A whole file that is one JSON object of another kind (a single run, an aggregate), said as such
    /// rather than as a damaged ensemble line.</summary>
    public static string? WrongKind(string path, byte[] bytes)
    {
        JsonObject? o;
        try { o = JsonNode.Parse(bytes) as JsonObject; }
        catch (JsonException) { return null; }   // several lines (an ensemble) or damage: EnsembleFile.Read judges it
        if (o is null || o["realization"] is not null) return null;   // a one-line ensemble
        if (o["profile"] is JsonArray)
            return $"'{path}' is a single-run JSON, not an ensemble file (it is the output of ness {o["model"] ?? "fermion|harmonic"}); " +
                   "aggregate the JSON Lines of 'ness ensemble ... --out FILE.jsonl' (one realization per line)";
        if (o["count"] is not null && o["profile"]?["mean"] is not null)
            return $"'{path}' is an aggregate JSON, not an ensemble file (it is the output of ness aggregate); aggregate the ensemble files it came from";
        return null;
    }

    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string Render(JsonObject a, string format) => format switch
    {
        "csv" => Csv(a),
        "table" => Table(a),
        _ => a.ToJsonString(Indented) + "\n",
    };


    /// <summary>Leading columns: provenance (version, commit of this build, date), the parameters
    /// (<see cref="Tables.Columns"/>) and the count, repeated on every row; then one row per site.</summary>
    static string Csv(JsonObject a)
    {
        var mean = (JsonArray)a["profile"]!["mean"]!;
        var se = (JsonArray)a["profile"]!["stderr"]!;
        object?[] lead = [.. Tables.Columns.Provenance(DateTime.UtcNow), .. Tables.Columns.Parameters(a), Tables.Columns.Cell(a["count"])];
        return Output.Csv([.. Tables.Columns.ProvenanceNames, .. Tables.Columns.ParameterNames, "count", "site", "mean", "stderr"],
            Enumerable.Range(0, mean.Count).Select(i => (object?[])[.. lead, i + 1, Tables.Columns.Cell(mean[i]), Tables.Columns.Cell(se[i])]));
    }

    static string G(JsonNode? n) => n is JsonValue v && v.GetValueKind() == JsonValueKind.Number
        ? double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture).ToString("G6", CultureInfo.InvariantCulture)
        : "-";

    /// <summary>"name = value, ..." for people: the members of a nested object (the ensemble's own parameters)
    /// in line, arrays as comma lists, a name given twice with the same value once.</summary>
    public static string Readable(JsonObject? o)
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(JsonObject obj, string where)
        {
            foreach (var (k, v) in obj)
            {
                if (v is JsonObject inner) { Add(inner, k); continue; }
                var text = v switch
                {
                    null => "null",
                    JsonArray arr => string.Join(",", arr.Select(x => x is JsonValue xv && xv.GetValueKind() == JsonValueKind.Number ? xv.ToJsonString() : x?.ToString() ?? "null")),
                    JsonValue val when val.GetValueKind() == JsonValueKind.Number => val.ToJsonString(),
                    _ => v.ToString(),
                };
                if (!seen.ContainsKey(k)) seen[k] = text;
                else if (seen[k] != text) seen[$"{where}.{k}"] = text;
            }
        }
        if (o is not null) Add(o, "");
        return string.Join(", ", seen.Select(kv => $"{kv.Key} = {kv.Value}"));
    }

    static string Table(JsonObject a)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"model {a["model"]}, {a["count"]} realization(s) {a["realizations"]!.ToJsonString()}\n");
        sb.Append(CultureInfo.InvariantCulture, $"parameters: {Readable(a["parameters"] as JsonObject)}\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"{"quantity",-24} {"mean",14} {"stderr",14} {"spread",14} {"count",6}\n");
        void Rows(string prefix, JsonNode? o)
        {
            if (o is not JsonObject obj) return;
            foreach (var (k, v) in obj)
                sb.Append(CultureInfo.InvariantCulture,
                    $"{prefix + k,-24} {G(v?["mean"]),14} {G(v?["stderr"]),14} {G(v?["spread"]),14} {v?["count"],6}\n");
        }
        Rows("step.", a["step"]);
        Rows("current.", a["current"]);
        foreach (var key in new[] { "log_current", "log_current_per_bath_coupling" })
            if (a[key] is JsonNode lc) Rows("", new JsonObject { [key] = lc.DeepClone() });
        sb.Append(CultureInfo.InvariantCulture, $"\n{"site",6} {"mean",14} {"stderr",14}\n");
        var mean = (JsonArray)a["profile"]!["mean"]!;
        var se = (JsonArray)a["profile"]!["stderr"]!;
        for (int i = 0; i < mean.Count; i++) sb.Append(CultureInfo.InvariantCulture, $"{i + 1,6} {G(mean[i]),14} {G(se[i]),14}\n");
        return sb.ToString();
    }
}
