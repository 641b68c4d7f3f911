using System.Text.Json.Nodes;
using LanguageExt;
using Ness.Pipeline;
using Ness.Pipeline.Fermion;

namespace Ness.Cli.Json;

/// <summary>The `ness fermion` output object of docs/interface.md.</summary>
public static class FermionJson
{
    /// <param name="draw">the disorder draw the fields came from; None for explicit --fields</param>
    public static JsonObject Of(FermionResult r, Option<Draw> draw = default)
    {
        var p = r.Parameters;
        var d = r.Diagnostics;
        var diag = new JsonObject
        {
            ["solver"] = d.Solver,
            ["dimension"] = d.Dimension,
            ["residual"] = d.Residual,
            ["relative_residual"] = d.RelativeResidual,
            ["trace_error"] = d.TraceError,
            ["hermiticity_error"] = d.HermiticityError,
            ["min_eigenvalue"] = d.MinEigenvalue,
            ["seconds"] = d.Seconds,
        };
        // a solver statistic may be undefined (e.g. a defect relative to a current that is exactly 0): JSON null
        foreach (var (k, v) in d.Statistics) diag[k] = double.IsFinite(v) ? v : null;
        var c = r.Current;
        return new JsonObject
        {
            ["model"] = "fermion",
            ["length"] = p.Length,
            ["hopping"] = p.Hopping,
            ["interaction"] = p.Interaction,
            ["rates"] = Output.Array(p.Rates.ToArray()),
            ["fields"] = Output.Array(p.Fields),
            ["profile"] = Output.Array(r.Profile),
            ["current"] = new JsonObject
            {
                ["left"] = c.Left,
                ["right"] = c.Right,
                ["bonds"] = Output.Array(c.Bonds),
            },
            ["step"] = new JsonObject
            {
                ["max_jump"] = r.Step.MaxJump,
                ["end_to_end"] = r.Step.EndToEnd,
                ["residual_roughness"] = r.Step.ResidualRoughness,
            },
            ["diagnostics"] = diag,
            ["provenance"] = ProvenanceJson.Fermion(r, draw),
        };
    }
}
