using System.Text.Json;
using System.Text.Json.Nodes;
using LanguageExt;
using Ness.Pipeline;

namespace Ness.Cli.Tables;

/// <summary>
/// <c>ness table</c>: one CSV row per realization of ensemble files (or single runs), sorted by model parameters,
/// seed and realization, with column names that are the same for every solver and both models (an observable that
/// does not apply is an empty cell): provenance, parameters (<see cref="Columns"/>), realization, n_1..n_L (the
/// profile: density, or temperature for the harmonic chain), the currents, the step metrics, the certificate and
/// the reason of a refused realization.
/// </summary>
public static class RealizationTable
{
    public static readonly string[] CurrentNames =
        ["current_left", "current_right", "current_middle_bond", "current_per_bath_coupling", "log_abs_current"];

    public static readonly string[] StepNames = ["max_jump", "end_to_end", "residual_roughness", "width", "midpoint"];

    /// <summary>Certificate columns: the solver used and the error measures any solver reports (empty where a
    /// solver has no such measure).</summary>
    public static readonly string[] CertificateNames =
    [
        "solver_used", "residual", "relative_residual", "trace_error", "hermiticity_error", "min_eigenvalue",
        "profile_error_estimate", "error_estimate", "current_continuity_error", "seconds",
    ];

    /// <summary>A realization: its object (a line or a single run) and where it came from.</summary>
    public sealed record Row(string Where, JsonObject O);

    /// <summary>The lines of an ensemble file, or the one object of a single-run JSON. A torn last line (no newline
    /// at the end, not JSON) is skipped with a warning; any other line that is not a JSON object is refused.</summary>
    public static Fin<List<Row>> Read(string path, string text, TextWriter log)
    {
        var rows = new List<Row>();
        try
        {
            if (JsonNode.Parse(text) is JsonObject single)
            {
                if (single["count"] is not null && single["profile"]?["mean"] is not null)
                    return new BadInput("FILE", $"'{path}' is an aggregate JSON (the output of ness aggregate): it has no realizations; give the ensemble files");
                rows.Add(new(path, single));
                return rows;
            }
        }
        catch (JsonException) { }   // JSON Lines
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length == 0) continue;
            bool last = i == lines.Length - 1;   // no newline after it
            try
            {
                if (JsonNode.Parse(lines[i]) is JsonObject o) { rows.Add(new($"{path} line {i + 1}", o)); continue; }
            }
            catch (JsonException) { }
            if (last) { log.WriteLine($"ness: warning: {path}: ignoring the torn last line {i + 1}"); continue; }
            return new BadInput("FILE", $"{path} line {i + 1} is not a JSON object (not an ensemble file of ness)");
        }
        if (rows.Count == 0) return new BadInput("FILE", $"'{path}' holds no realization");
        return rows;
    }

    static double? Num(JsonNode? n) => Columns.Cell(n) as double?;

    /// <summary>The CSV of the rows (<see cref="Read"/>), sorted.</summary>
    public static string Csv(IEnumerable<Row> rows, DateTime now)
    {
        var list = rows.ToList();
        int sites = list.Max(r => (r.O["profile"] as JsonArray)?.Count ?? 0);
        var header = new List<string>(Columns.ProvenanceNames);
        header.AddRange(Columns.ParameterNames);
        header.Add("realization");
        header.AddRange(Enumerable.Range(1, sites).Select(x => $"n_{x}"));
        header.AddRange(CurrentNames);
        header.AddRange(StepNames);
        header.AddRange(CertificateNames);
        header.Add("refused");
        var prov = Columns.Provenance(now);
        var sorted = list
            .Select(r => (Row: r, Params: Columns.Parameters(r.O)))
            .OrderBy(x => string.Join("\u0001", x.Params.Select(p => Output.Cell(p))), StringComparer.Ordinal)
            .ThenBy(x => Num(x.Row.O["realization"] ?? x.Row.O["provenance"]?["realization"]) ?? -1)
            .ToList();
        var body = sorted.Select(x =>
        {
            var o = x.Row.O;
            var cells = new List<object?>(prov);
            // the build that computed the realization, where the line says so; else this one
            cells[0] = Columns.Cell(o["provenance"]?["version"]) ?? cells[0];
            cells[1] = Columns.Cell(o["provenance"]?["commit"]) ?? cells[1];
            cells.AddRange(x.Params);
            cells.Add(Columns.Cell(o["realization"] ?? o["provenance"]?["realization"]));
            var profile = o["profile"] as JsonArray;
            for (int s = 0; s < sites; s++) cells.Add(profile is not null && s < profile.Count ? Columns.Cell(profile[s]) : null);
            var c = o["current"];
            var bonds = c?["bonds"] as JsonArray;
            cells.Add(Columns.Cell(c?["left"]));
            cells.Add(Columns.Cell(c?["right"]));
            cells.Add(bonds is { Count: > 0 } ? Columns.Cell(bonds[(bonds.Count - 1) / 2]) : null);
            cells.Add(Columns.Cell(c?["per_bath_coupling"]));
            cells.Add(Columns.Cell(c?["ln_abs"] ?? o["diagnostics"]?["ln_abs_current"])
                      ?? (bonds is { Count: > 0 } && Num(bonds[(bonds.Count - 1) / 2]) is double j && j != 0 ? Math.Log(Math.Abs(j)) : null));
            foreach (var k in StepNames) cells.Add(Columns.Cell(o["step"]?[k]));
            var d = o["diagnostics"];
            cells.Add(Columns.Cell(d?["solver"] ?? d?["method"]));
            foreach (var k in CertificateNames.Skip(1)) cells.Add(Columns.Cell(d?[k]));
            var refused = o["refused"];
            cells.Add(refused is JsonObject ro ? Columns.Cell(ro["reason"] ?? ro["message"]) : Columns.Cell(refused));
            return cells.ToArray();
        });
        return Output.Csv([.. header], body);
    }
}
