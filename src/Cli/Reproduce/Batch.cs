using System.Text.Json.Nodes;
using Ness.Pipeline.Ensemble;

namespace Ness.Cli.Reproduce;

/// <summary>The realizations of one ensemble that a figure needs: the lines that succeeded (each exactly an
/// <c>ness ensemble</c> line, see <see cref="EnsembleLine.Compose"/>) and the ones the numerics refused.</summary>
public sealed record Batch(string Label, EnsembleModel Model, long Seed, IReadOnlyList<EnsembleLine.Parsed> Lines,
                           IReadOnlyList<(long Realization, string Reason)> Refused)
{
    /// <summary>The disorder average of the successful lines, by the same code as <c>ness aggregate</c>;
    /// null if every realization was refused.</summary>
    public EnsembleAverage? Average()
    {
        if (Lines.Count == 0) return null;
        return Json.RealizationJson.Average("--out", Lines.Select(l => ($"realization {l.Realization}", l))).Case as EnsembleAverage;
    }

    /// <summary>What each certified line holds, read as typed observables (the file boundary's reader), in line order.</summary>
    public IReadOnlyList<Observables> Observed() =>
        [.. Lines.Select(l => Json.RealizationJson.Read("--out", $"realization {l.Realization}", l))
                 .Select(r => r.Case is Realization.Solved s ? s.Observables
                     : throw new InvalidOperationException($"{Label}: a line computed by this run is not a certified realization: {r}"))];

    /// <summary><see cref="Average"/> as the JSON object <c>ness aggregate</c> prints; null if every realization was refused.</summary>
    public JsonObject? Aggregate() => Average() is EnsembleAverage a ? Json.AggregateJson.Of(a, Lines.Select(l => l.Line)) : null;

    /// <summary>The refusals as a JSON array [{ "realization": r, "reason": ... }].</summary>
    public JsonArray RefusedJson() =>
        new([.. Refused.Select(x => (JsonNode?)new JsonObject { ["realization"] = x.Realization, ["reason"] = x.Reason })]);
}
