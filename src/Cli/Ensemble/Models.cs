using System.Text.Json.Nodes;
using LanguageExt;
using static LanguageExt.Prelude;
using Ness.Pipeline;
using Ness.Pipeline.Ensemble;
using Ness.Pipeline.Fermion;

namespace Ness.Cli.Ensemble;

/// <summary>
/// The hook between the ensemble engine and the models. <see cref="Fermion"/> and <see cref="Harmonic"/>
/// fix the ensemble's parameters (the "ensemble" object of each line); <see cref="FermionRealize"/> and
/// <see cref="HarmonicRealize"/> compute one realization: the disorder drawn from (seed, realization) by
/// <see cref="Disorder.Uniform"/>, then the single-run pipeline, returning the object the single-run command prints.
/// </summary>
public static class Models
{
    public static EnsembleModel Fermion(FermionEnsembleOptions o) => new(
        "fermion",
        FermionEnsemble(o),
        (seed, r, ct) => FermionRealize(o, seed, r, ct),
        SteadyState.MemoryEstimate(o.Length, o.Solver, interaction: o.Interaction));

    /// <summary>The "ensemble" object of a fermion line.</summary>
    static Dictionary<string, JsonNode?> FermionEnsemble(FermionEnsembleOptions o) =>
        new()
        {
            ["length"] = o.Length,
            ["disorder"] = o.Disorder,
            ["hopping"] = o.Hopping,
            ["interaction"] = o.Interaction,
            ["rates"] = new JsonArray(o.Rates.Select(g => (JsonNode?)g).ToArray()),
            ["solver"] = o.Solver.ToString().ToLowerInvariant(),
        };

    public static EnsembleModel Harmonic(HarmonicEnsembleOptions o) => new(
        "harmonic",
        new Dictionary<string, JsonNode?>
        {
            ["length"] = o.Length,
            ["pinning_range"] = new JsonArray(o.PinningMin, o.PinningMax),
            ["coupling"] = o.Coupling,
            ["bath_coupling"] = o.BathCoupling.MatchUnsafe(Some: x => (JsonNode?)x, None: () => null),
            ["temperatures"] = new JsonArray(o.Temperatures.Select(t => (JsonNode?)t).ToArray()),
        },
        (seed, r, ct) => HarmonicRealize(o, seed, r, ct),
        Ness.Pipeline.Harmonic.HarmonicNess.MemoryEstimate(o.Length, o.BathCoupling.IsNone));

    /// <summary>One realization of the fermion ensemble: fields h_x uniform in [-W, W] from (seed, r),
    /// then the `ness fermion` pipeline; the line is the object `ness fermion` prints.</summary>
    public static Fin<JsonObject> FermionRealize(FermionEnsembleOptions o, long seed, long realization, CancellationToken ct) =>
        from p in FermionParameters.Create(o.Length, o.Hopping, o.Interaction, o.Rates,
            Disorder.Uniform(seed, realization, o.Length, -o.Disorder, o.Disorder), o.Solver)
        from r in FermionNess.Run(p)
        select Json.FermionJson.Of(r, new Draw(seed, realization, -o.Disorder, o.Disorder));

    /// <summary>One realization of the harmonic ensemble: pinning V_x uniform in [a, b] from (seed, r),
    /// then the `ness harmonic` pipeline; the line is the object `ness harmonic` prints.</summary>
    public static Fin<JsonObject> HarmonicRealize(HarmonicEnsembleOptions o, long seed, long realization, CancellationToken ct) =>
        from p in Ness.Pipeline.Harmonic.HarmonicParameters.Create(o.Length, o.Coupling, o.BathCoupling,
            o.BathCoupling.IsNone, o.Temperatures,
            Disorder.Uniform(seed, realization, o.Length, o.PinningMin, o.PinningMax), None, None)
        from r in Ness.Pipeline.Harmonic.HarmonicNess.Run(p)
        select Json.HarmonicJson.Of(r, new Draw(seed, realization, o.PinningMin, o.PinningMax));

}
