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
            ["bath_coupling"] = p.Bath is Ness.Pipeline.Harmonic.BathCoupling.Finite f ? f.Lambda : null,
        };
        if (p.Faces)
            parameters["temperatures"] = new JsonArray(p.Baths[0].Temperature, p.Baths[^1].Temperature);
        else
            parameters["baths"] = new JsonArray([.. p.Baths.Select(b => (JsonNode?)new JsonArray(b.Site, b.Temperature))]);
        return new EnsembleModel("harmonic", parameters, (seed, r, ct) => Realize(o, seed, r), SolverPlan.HarmonicBox(p.Sites, p.Bath).MemoryEstimate);
    }

    /// <summary>Realization r of seed S: pinning uniform in [A, B) from (S, r), then the `ness harmonic --shape`
    /// pipeline (one BLAS thread: the ensemble runs realizations side by side).</summary>
    public static Fin<Solution> Realize(LatticeEnsembleOptions o, long seed, long realization)
    {
        var t = o.Template;
        return
            from p in HarmonicBox.Disordered(t.Box, seed, t.Bath, realization, o.A, o.B, t.Coupling,
                t.Baths[0].Temperature, t.Baths[^1].Temperature, t.Faces ? None : Some(t.Baths))
            from r in HarmonicBox.SteadyState(p, 1)
            select (Solution)new Solution.Lattice(new Draw(seed, realization, o.A, o.B), r);
    }
}
