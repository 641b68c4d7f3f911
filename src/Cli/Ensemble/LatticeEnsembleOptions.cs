using System.Text.Json.Nodes;
using LanguageExt;
using Ness.Pipeline;
using Ness.Pipeline.Ensemble;
using Ness.Pipeline.Lattice;
using static LanguageExt.Prelude;

namespace Ness.Cli.Ensemble;

/// <summary>Options of <c>ness ensemble harmonic --shape</c>: the validated model of realization 0 (box, g, lambda,
/// bath set) and the pinning range [A, B) each realization draws from.</summary>
public sealed record LatticeEnsembleOptions(LatticeParameters Template, double A, double B);

/// <summary>The hook of the harmonic model on boxes into the ensemble engine (like <see cref="Models"/>).</summary>
public static class LatticeModel
{
    public static EnsembleModel Of(LatticeEnsembleOptions o)
    {
        var p = o.Template;
        var parameters = new Dictionary<string, JsonNode?>
        {
            ["shape"] = new JsonArray([.. p.Box.Extents.Select(e => (JsonNode?)e)]),
            ["pinning_range"] = new JsonArray(o.A, o.B),
            ["coupling"] = p.Coupling,
            ["bath_coupling"] = p.BathCoupling.MatchUnsafe(Some: x => (JsonNode?)x, None: () => null),
        };
        if (p.Faces)
            parameters["temperatures"] = new JsonArray(p.Baths[0].Temperature, p.Baths[^1].Temperature);
        else
            parameters["baths"] = new JsonArray([.. p.Baths.Select(b => (JsonNode?)new JsonArray(b.Site, b.Temperature))]);
        return new EnsembleModel("harmonic", parameters, (seed, r, ct) => Realize(o, seed, r), LatticeNess.MemoryEstimate(p));
    }

    /// <summary>Realization r of seed S: pinning uniform in [A, B) from (S, r), then the `ness harmonic --shape`
    /// pipeline (one BLAS thread: the ensemble runs realizations side by side).</summary>
    public static Fin<JsonObject> Realize(LatticeEnsembleOptions o, long seed, long realization)
    {
        var t = o.Template;
        return
            from p in LatticeParameters.Create(t.Box, t.Coupling, t.BathCoupling, t.WeakCoupling,
                [t.Baths[0].Temperature, t.Baths[^1].Temperature], t.Faces ? None : Some(t.Baths), None,
                Some(new[] { o.A, o.B }), Some(seed), realization)
            from r in LatticeNess.Run(p, 1)
            select Json.LatticeJson.Of(r, new Draw(seed, realization, o.A, o.B));
    }
}
