using System.Text.Json.Nodes;
using LanguageExt;
using Ness.Pipeline;

namespace Ness.Cli.Json;

/// <summary>The `ness fermion` output object of docs/interface.md, written from the front door's result.</summary>
public static class FermionJson
{
    /// <param name="draw">the disorder draw the fields came from; None for explicit --fields</param>
    public static JsonObject Of(FermionSteadyState r, Option<Draw> draw = default)
    {
        var p = r.Parameters;
        var c = r.Currents;
        var current = new JsonObject
        {
            ["left"] = c.Left,
            ["right"] = c.Right,
            ["bonds"] = Output.Array(c.Bonds),
        };
        // the weak-coupling limit: currents per unit coupling, the one to quote (null: not one certified digit) and ln|J/eps|
        if (r.Plan.WeakCoupling)
        {
            current["per_coupling"] = c.PerCoupling;
            current["ln_abs"] = c.LnAbs;
        }
        var o = new JsonObject
        {
            ["model"] = "fermion",
            ["length"] = p.Length,
            ["hopping"] = p.Hopping,
            ["interaction"] = p.Interaction,
            ["rates"] = Output.Array(p.Rates.ToArray()),
            ["fields"] = Output.Array(p.Fields),
            ["profile"] = Output.Array(r.Profile),
            ["current"] = current,
            ["step"] = new JsonObject
            {
                ["max_jump"] = r.Step.MaxJump,
                ["end_to_end"] = r.Step.EndToEnd,
                ["residual_roughness"] = r.Step.ResidualRoughness,
            },
            ["diagnostics"] = CertificateJson.AddTo(new JsonObject { ["solver"] = r.Certificate.Method }, r.Certificate),
            ["provenance"] = ProvenanceJson.Fermion(r, draw),
        };
        if (r.Plan.WeakCoupling) o.Insert(6, "weak_coupling", true);
        return o;
    }
}
