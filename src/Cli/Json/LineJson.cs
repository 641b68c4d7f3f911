using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using LanguageExt;
using Ness.Pipeline;
using Ness.Pipeline.Ensemble;

namespace Ness.Cli.Json;

/// <summary>
/// The writing side of an ensemble line (docs/ensembles.md; <see cref="EnsembleLine"/> reads it back): a realization's
/// typed <see cref="Solution"/> becomes the object the single-run command prints for that draw, plus
/// <c>"realization": r</c>, <c>"seed": S</c> and <c>"ensemble": { model options }</c>; a refusal becomes a line with its
/// reason. The one place where a realization turns into text.
/// </summary>
public static class LineJson
{
    static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    /// <summary>The single-run object of a solution: what <c>ness fermion</c>, <c>ness harmonic</c> or
    /// <c>ness harmonic --shape</c> prints for that draw.</summary>
    public static JsonObject Of(Solution s) => s switch
    {
        Solution.Fermion f => FermionJson.Of(f.Result, f.Draw),
        Solution.Harmonic h => HarmonicJson.Of(h.Result, h.Draw),
        Solution.Lattice l => LatticeJson.Of(l.Result, l.Draw),
        _ => throw new UnreachableException($"no line format for {s.GetType().Name}"),
    };

    /// <summary>The line for realization r: "realization", "seed" first, then the single-run keys, then
    /// "ensemble". Fails (exit 3) if the solution is of another model than the ensemble's.</summary>
    public static Fin<JsonObject> Compose(EnsembleModel model, long seed, long realization, Solution s)
    {
        var result = Of(s);
        if (result["model"] is JsonNode m && !(m is JsonValue mv && mv.TryGetValue<string>(out var name) && name == model.Name))
            return new NumericsRefused($"realization {realization}: the model returned \"model\": {m.ToJsonString()}, expected \"{model.Name}\"");
        var line = new JsonObject
        {
            ["realization"] = realization,
            ["seed"] = seed,
        };
        if (result["model"] is null) line["model"] = model.Name;
        foreach (var (k, v) in result)
            if (k is not ("realization" or "seed" or EnsembleLine.EnsembleKey)) line[k] = v?.DeepClone();
        line[EnsembleLine.EnsembleKey] = Options(model);
        return line;
    }

    /// <summary>The line of a realization the numerics refused: "realization", "seed", "model", "refused": the
    /// reason, and the "ensemble" options (so that resume and aggregation check it like any line).</summary>
    public static JsonObject Refusal(EnsembleModel model, long seed, long realization, string reason) => new()
    {
        ["realization"] = realization,
        ["seed"] = seed,
        ["model"] = model.Name,
        [EnsembleLine.RefusedKey] = reason,
        [EnsembleLine.EnsembleKey] = Options(model),
    };

    static JsonObject Options(EnsembleModel model)
    {
        var ens = new JsonObject();
        foreach (var (k, v) in model.Parameters) ens[k] = v?.DeepClone();
        return ens;
    }

    /// <summary>The line as one line of text, without the terminating '\n'. Fails (exit 3) on values JSON
    /// cannot carry (NaN, infinities).</summary>
    public static Fin<string> Serialize(JsonObject line)
    {
        try { return line.ToJsonString(Compact); }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or JsonException)
        {
            return new NumericsRefused($"realization {line["realization"]}: result cannot be written as JSON ({e.Message})");
        }
    }
}
