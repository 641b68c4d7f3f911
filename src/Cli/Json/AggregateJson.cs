using System.Text.Json.Nodes;
using Ness.Pipeline.Ensemble;

namespace Ness.Cli.Json;

/// <summary>The `ness aggregate` output object (docs/ensembles.md): model, count, realizations as inclusive
/// ranges, the count and ranges of the realizations the numerics refused (not averaged), parameters, profile { mean, stderr }, step and current { name: { mean, stderr, spread, count } },
/// log_current (ln|J|; log_current_per_bath_coupling, ln|J/λ|, for the harmonic chain at weak coupling; absent
/// when no realization has J ≠ 0).</summary>
public static class AggregateJson
{
    /// <param name="lines">the lines averaged, for the provenance (builds and seeds found in them)</param>
    public static JsonObject Of(EnsembleAverage a, IEnumerable<JsonObject>? lines = null)
    {
        var o = new JsonObject
        {
            ["model"] = a.Model,
            ["count"] = a.Count,
            ["realizations"] = Ranges(a.Realizations),
            ["refused"] = a.RefusedCount,
            ["refused_realizations"] = Ranges(a.Refused),
            ["parameters"] = a.Parameters.DeepClone(),
            ["profile"] = new JsonObject
            {
                ["mean"] = new JsonArray([.. a.Profile.Select(s => (JsonNode?)s.Mean)]),
                ["stderr"] = new JsonArray([.. a.Profile.Select(s => (JsonNode?)s.Stderr)]),
            },
            ["step"] = Named(a.Step),
            ["current"] = Named(a.Current),
        };
        if (!a.BySeed.IsEmpty)   // several seeds: each seed's realizations
            o["realizations_by_seed"] = new JsonArray([.. a.BySeed.Select(b => (JsonNode?)new JsonObject { ["seed"] = b.Seed, ["realizations"] = Ranges(b.Realizations) })]);
        if (!a.ProfileX.IsEmpty)   // boxes (--shape): the mean of T over each x-slice
            o["profile_x"] = new JsonObject
            {
                ["mean"] = new JsonArray([.. a.ProfileX.Select(s => (JsonNode?)s.Mean)]),
                ["stderr"] = new JsonArray([.. a.ProfileX.Select(s => (JsonNode?)s.Stderr)]),
            };
        if (a.LogCurrent is Stat lc) o[LogCurrentKey(a.Model, a.Parameters)] = Stat(lc);
        o["provenance"] = ProvenanceJson.Aggregate(lines ?? []);
        return o;
    }

    /// <summary>"log_current", the mean of ln|J|; for the harmonic chain at weak coupling (no bath_coupling) the
    /// current is proportional to λ and what is averaged is ln|J/λ|: "log_current_per_bath_coupling"; for the fermion
    /// chain at weak coupling ("weak_coupling": true) it is ln|J/eps|, "log_current_per_coupling".</summary>
    public static string LogCurrentKey(string model, JsonObject parameters) =>
        model == "harmonic" && parameters["bath_coupling"] is null ? "log_current_per_bath_coupling"
        : model == "fermion" && parameters["weak_coupling"] is JsonValue w && w.TryGetValue<bool>(out var weak) && weak ? "log_current_per_coupling"
        : "log_current";

    public static JsonArray Ranges(IEnumerable<(long First, long Last)> ranges) =>
        new([.. ranges.Select(r => (JsonNode?)new JsonArray(r.First, r.Last))]);

    static JsonObject Named(IEnumerable<(string Name, Stat? Stat)> stats)
    {
        var o = new JsonObject();
        foreach (var (name, s) in stats) o[name] = Stat(s);
        return o;
    }

    /// <summary>{ mean, stderr, spread, count } (nulls and count 0 for no values).</summary>
    public static JsonObject Stat(Stat? s) => new()
    {
        ["mean"] = s?.Mean,
        ["stderr"] = s?.Stderr,
        ["spread"] = s?.Spread,
        ["count"] = s?.Count ?? 0,
    };
}
