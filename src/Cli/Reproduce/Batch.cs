using System.Text.Json.Nodes;
using Ness.Pipeline.Ensemble;

namespace Ness.Cli.Reproduce;

/// <summary>The realizations of one ensemble that a figure needs: the lines that succeeded (each exactly an
/// <c>ness ensemble</c> line, see <see cref="Json.LineJson.Compose"/>; copied into the figure's JSON as they are) and the
/// ones the numerics refused. The figures' numbers are typed: <see cref="Observed"/> and <see cref="Average"/>.</summary>
public sealed record Batch(string Label, EnsembleModel Model, long Seed, IReadOnlyList<EnsembleLine.Parsed> Lines,
                           IReadOnlyList<(long Realization, string Reason)> Refused)
{
    IReadOnlyList<Observables>? observed;
    Lazy<EnsembleAverage?>? average;

    /// <summary>What each certified line holds, read once as typed observables (the file boundary's reader,
    /// <see cref="Json.RealizationJson"/>), in line order. A line that is not a certified realization (a data file edited
    /// by hand) is <see cref="InvalidDataException"/> (exit 2).</summary>
    public IReadOnlyList<Observables> Observed() => observed ??=
        [.. Lines.Select(l => Json.RealizationJson.Read("--out", $"{Label}: realization {l.Realization}", l).Match(
            Succ: r => r is Realization.Solved s ? s.Observables
                : throw new InvalidDataException($"{Label}: realization {l.Realization} is not a certified realization"),
            Fail: e => throw new InvalidDataException(e.Message)))];

    /// <summary>The disorder average of the certified lines, by the same code as <c>ness aggregate</c>
    /// (<see cref="Aggregate.Run"/>) on the typed <see cref="Observed"/>; null if every realization was refused.</summary>
    public EnsembleAverage? Average() => (average ??= new(() =>
    {
        if (Lines.Count == 0) return null;
        var x = Observed();
        var sources = Lines.Select((l, i) => new Ness.Pipeline.Ensemble.Aggregate.Source($"realization {l.Realization}", l, new Realization.Solved(l.Realization, x[i])));
        return Ness.Pipeline.Ensemble.Aggregate.Run([.. sources]).Match(a => a, e => throw new InvalidDataException($"{Label}: {e.Message}"));
    })).Value;

    /// <summary><see cref="Average"/> as the JSON object <c>ness aggregate</c> prints (the file boundary: with the
    /// provenance of the lines); null if every realization was refused.</summary>
    public JsonObject? Aggregate() => Average() is EnsembleAverage a ? Json.AggregateJson.Of(a, Lines.Select(l => l.Line)) : null;

    /// <summary>The refusals as a JSON array [{ "realization": r, "reason": ... }].</summary>
    public JsonArray RefusedJson() =>
        new([.. Refused.Select(x => (JsonNode?)new JsonObject { ["realization"] = x.Realization, ["reason"] = x.Reason })]);
}
