using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ness.Pipeline;

namespace Ness.Cli.Tables;

/// <summary>
/// The columns every CSV of ness carries, so that a row says what produced it even when files are concatenated:
/// the provenance (version, commit of the build, date of writing) and the model's parameters, with the same names
/// for every solver and both models (a parameter that does not apply is an empty cell). Values are read from a
/// single-run object, an ensemble line or an aggregate ("parameters", its "ensemble"), whichever holds them.
/// </summary>
public static class Columns
{
    /// <summary>The parameter columns, in order: model, seed, length, then the fermion chain's disorder, hopping,
    /// interaction, rates g1p, g1m, gLp, gLm, solver, then the harmonic chain's pinning_min, pinning_max, coupling,
    /// bath_coupling (empty at weak coupling), weak_coupling (1 or 0), t1, tL.</summary>
    public static readonly string[] ParameterNames =
    [
        "model", "seed", "length",
        "disorder", "hopping", "interaction", "g1p", "g1m", "gLp", "gLm", "solver",
        "pinning_min", "pinning_max", "coupling", "bath_coupling", "weak_coupling", "t1", "tL",
    ];

    public static readonly string[] ProvenanceNames = ["version", "commit", "date"];

    /// <summary>version, commit of this build and the UTC date of writing.</summary>
    public static object?[] Provenance(DateTime now) =>
        [BuildInfo.Version, Output.Cell(BuildInfo.Commit), now.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)];

    /// <summary>A key of the object, looked up where each kind of output keeps it.</summary>
    public static JsonNode? Find(JsonObject o, string key)
    {
        var p = o["parameters"] as JsonObject;
        foreach (var where in new[] { o["ensemble"], p?["ensemble"], p, o, o["provenance"] })
            if (where is JsonObject w && w.TryGetPropertyValue(key, out var v) && v is not null) return v;
        return null;
    }

    /// <summary>A JSON value as a CSV cell: a number as a double, a string as itself, null as empty.</summary>
    public static object? Cell(JsonNode? v) => v switch
    {
        null => null,
        JsonValue x when x.GetValueKind() == JsonValueKind.Number => double.Parse(x.ToJsonString(), CultureInfo.InvariantCulture),
        JsonValue x when x.GetValueKind() is JsonValueKind.True or JsonValueKind.False => x.GetValue<bool>() ? 1 : 0,
        JsonValue x => x.ToString(),
        _ => v.ToJsonString(),
    };

    static JsonNode? At(JsonNode? a, int i) => a is JsonArray arr && i < arr.Count ? arr[i] : null;

    /// <summary>The values of <see cref="ParameterNames"/> for an output of ness.</summary>
    public static object?[] Parameters(JsonObject o)
    {
        var model = (string?)Find(o, "model");
        bool fermion = model == "fermion", harmonic = model == "harmonic";
        var rates = fermion ? Find(o, "rates") : null;
        var pin = harmonic ? Find(o, "pinning_range") : null;
        var t = harmonic ? Find(o, "temperatures") : null;
        // the harmonic ensemble writes "bath_coupling": null at weak coupling
        var bath = harmonic ? Find(o, "bath_coupling") : null;
        return
        [
            model, Cell(Find(o, "seed")), Cell(Find(o, "length")),
            fermion ? Cell(Find(o, "disorder")) : null, fermion ? Cell(Find(o, "hopping")) : null, fermion ? Cell(Find(o, "interaction")) : null,
            Cell(At(rates, 0)), Cell(At(rates, 1)), Cell(At(rates, 2)), Cell(At(rates, 3)),
            fermion ? Cell(Find(o, "solver_options")?["requested"] ?? Find(o, "solver")) : null,   // as requested (auto, ...)
            Cell(At(pin, 0)), Cell(At(pin, 1)), harmonic ? Cell(Find(o, "coupling")) : null,
            Cell(bath), harmonic ? (bath is null ? 1 : 0) : null, Cell(At(t, 0)), Cell(At(t, 1)),
        ];
    }

    /// <summary>The leading columns of a CSV of one result: provenance (version, commit of this build, date),
    /// the parameters, then realization, generator and the solver used (empty where the output has none).</summary>
    public static (string[] Header, object?[] Values) Lead(JsonObject o, DateTime now) =>
        ([.. ProvenanceNames, .. ParameterNames, "realization", "generator", "solver_used"],
         [.. Provenance(now), .. Parameters(o), Cell(o["provenance"]?["realization"]), Cell(o["provenance"]?["generator"]),
          Cell(o["provenance"]?["solver"] ?? o["diagnostics"]?["solver"] ?? o["diagnostics"]?["method"])]);
}
