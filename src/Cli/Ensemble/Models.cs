using System.Text.Json.Nodes;
using LanguageExt;
using Ness.Pipeline;
using Ness.Pipeline.Ensemble;
using Ness.Pipeline.Fermion;

namespace Ness.Cli.Ensemble;

/// <summary>Options of <c>ness ensemble fermion</c> (validated by the command).</summary>
public sealed record FermionEnsembleOptions(
    int Length, double Disorder, double Hopping, double Interaction, double[] Rates, FermionSolver Solver);

/// <summary>Options of <c>ness ensemble harmonic</c> (validated by the command). BathCoupling null = --weak-coupling.</summary>
public sealed record HarmonicEnsembleOptions(
    int Length, double PinningMin, double PinningMax, double Coupling, double? BathCoupling, double[] Temperatures);

/// <summary>
/// The hook between the ensemble engine and the models. <see cref="Fermion"/> and <see cref="Harmonic"/>
/// fix the ensemble's parameters (the "ensemble" object of each line); <see cref="FermionRealize"/> and
/// <see cref="HarmonicRealize"/> compute one realization.
///
/// INTEGRATION: the two *Realize bodies below are a TEST MODEL (a cheap, deterministic fake profile built
/// from the disorder draw), written so that the ensemble machinery could be built and tested before the
/// physics existed. Replace each body by the real single-run pipeline: draw the disorder with
/// Disorder.Uniform(seed, realization, ...) exactly as below, run the model, and return the JSON object that
/// `ness fermion` / `ness harmonic` print. Then set the matching *IsTestModel to false.
/// </summary>
public static class Models
{
    /// <summary>True while <see cref="FermionRealize"/> is the fake; the command warns on stderr.</summary>
    public static bool FermionIsTestModel => false;
    /// <summary>True while <see cref="HarmonicRealize"/> is the fake; the command warns on stderr.</summary>
    public static bool HarmonicIsTestModel => true;

    public static EnsembleModel Fermion(FermionEnsembleOptions o) => new(
        "fermion",
        new Dictionary<string, JsonNode?>
        {
            ["length"] = o.Length,
            ["disorder"] = o.Disorder,
            ["hopping"] = o.Hopping,
            ["interaction"] = o.Interaction,
            ["rates"] = new JsonArray(o.Rates.Select(g => (JsonNode?)g).ToArray()),
            ["solver"] = o.Solver.ToString().ToLowerInvariant(),
        },
        (seed, r, ct) => FermionRealize(o, seed, r, ct));

    public static EnsembleModel Harmonic(HarmonicEnsembleOptions o) => new(
        "harmonic",
        new Dictionary<string, JsonNode?>
        {
            ["length"] = o.Length,
            ["pinning_range"] = new JsonArray(o.PinningMin, o.PinningMax),
            ["coupling"] = o.Coupling,
            ["bath_coupling"] = o.BathCoupling,
            ["temperatures"] = new JsonArray(o.Temperatures.Select(t => (JsonNode?)t).ToArray()),
        },
        (seed, r, ct) => HarmonicRealize(o, seed, r, ct));

    /// <summary>One realization of the fermion ensemble: fields h_x uniform in [-W, W] from (seed, r),
    /// then the `ness fermion` pipeline; the line is the object `ness fermion` prints.</summary>
    public static Fin<JsonObject> FermionRealize(FermionEnsembleOptions o, long seed, long realization, CancellationToken ct) =>
        from p in FermionParameters.Create(o.Length, o.Hopping, o.Interaction, o.Rates,
            Disorder.Uniform(seed, realization, o.Length, -o.Disorder, o.Disorder), o.Solver)
        from r in FermionNess.Run(p)
        select Json.FermionJson.Of(r);

    /// <summary>TEST MODEL — replace with the real harmonic pipeline (see class summary).
    /// Pinning V_x uniform in [a, b] from (seed, r); a smooth fake step in T(x); width and midpoint as in
    /// the paper's Figure 3 definition.</summary>
    public static Fin<JsonObject> HarmonicRealize(HarmonicEnsembleOptions o, long seed, long realization, CancellationToken ct)
    {
        int L = o.Length;
        var v = Disorder.Uniform(seed, realization, L, o.PinningMin, o.PinningMax);
        double t1 = o.Temperatures[0], tL = o.Temperatures[1];
        double mid = (o.PinningMin + o.PinningMax) / 2, span = o.PinningMax - o.PinningMin + 1e-300;
        double centre = (L + 1) / 2.0 + (v.Average() - mid) / span * Math.Sqrt(L) * 2;
        var T = new double[L];
        for (int x = 1; x <= L; x++)
            T[x - 1] = t1 + (tL - t1) * (1 / (1 + Math.Exp(-(x - centre) / Math.Sqrt(L) * 2)) + 0.05 * (v[x - 1] - mid) / span);
        int? xm = null, xp = null;
        for (int x = 1; x <= L; x++) if (xm is null && T[x - 1] > t1 + 0.3 * (tL - t1)) xm = x;
        for (int x = L; x >= 1; x--) if (xp is null && T[x - 1] < tL - 0.3 * (tL - t1)) xp = x;
        double? lam = o.BathCoupling;
        return new JsonObject
        {
            ["model"] = "harmonic",
            ["length"] = L,
            ["coupling"] = o.Coupling,
            ["bath_coupling"] = lam,
            ["temperatures"] = new JsonArray(t1, tL),
            ["pinning"] = Array(v),
            ["profile"] = Array(T),
            ["step"] = new JsonObject
            {
                ["width"] = xm is int a && xp is int b ? b - a + 1 : null,
                ["midpoint"] = xm is int c && xp is int d ? (c + d) / 2.0 : null,
            },
            ["current"] = new JsonObject
            {
                ["left"] = lam is double l1 ? l1 * (t1 - T[0]) : null,
                ["right"] = lam is double l2 ? -l2 * (tL - T[L - 1]) : null,
            },
            ["diagnostics"] = new JsonObject { ["method"] = "TEST MODEL (src/Cli/Ensemble/Models.cs), not physics" },
        };
    }

    static JsonArray Array(double[] x) => new(x.Select(v => (JsonNode?)v).ToArray());
}
