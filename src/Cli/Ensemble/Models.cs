using System.Text.Json.Nodes;
using LanguageExt;
using static LanguageExt.Prelude;
using Ness.Pipeline;
using Ness.Pipeline.Ensemble;
using Ness.Pipeline.Fermion;
using Ness.Pipeline.Fermion.Krylov;

namespace Ness.Cli.Ensemble;

/// <summary>
/// The hook between the ensemble engine and the models. <see cref="Fermion"/> and <see cref="Harmonic"/>
/// fix the ensemble's parameters (the "ensemble" object of each line); <see cref="FermionRealize"/> and
/// <see cref="HarmonicRealize"/> compute one realization: the disorder drawn from (seed, realization) by
/// <see cref="Disorder.Uniform"/>, then the single-run pipeline, returning its result record with the draw
/// (<see cref="Solution"/>; the runner writes it as the object the single-run command prints, <see cref="Json.LineJson"/>).
/// </summary>
public static class Models
{
    /// <summary>The model with its plan made here: for options whose length and solver were checked before
    /// (<c>reproduce</c>'s figures, tests); a plan that fails then is a bug. The Krylov solver's settings are
    /// <paramref name="krylov"/> (the command line's `NESS_KRYLOV_*`, <see cref="KrylovFlags"/>), its defaults if none.</summary>
    public static EnsembleModel Fermion(FermionEnsembleOptions o, Option<KrylovOptions> krylov = default) =>
        Fermion(o, SolverPlan.Fermion(o.Length, o.Interaction, o.Solver, SolverOptions.Default with { Krylov = krylov.IfNone(KrylovOptions.Default) },
                weakCoupling: o.WeakCoupling)
            .IfFail(e => throw new InvalidOperationException($"the ensemble's options were checked before: {e.Message}")));

    /// <param name="plan">the method and memory estimate (<see cref="SolverPlan.Fermion"/>), the same for every realization</param>
    public static EnsembleModel Fermion(FermionEnsembleOptions o, FermionPlan plan) => new(
        "fermion",
        FermionEnsemble(o),
        (seed, r, ct) => FermionRealize(o, plan, seed, r, ct),
        plan.MemoryEstimate)
    {
        RealizeResuming = plan.Method == FermionSolver.Krylov
            ? Some<Func<long, long, string, CancellationToken, Fin<Solution>>>((seed, r, file, ct) => FermionRealize(o, plan, seed, r, ct, Some(file)))
            : None,
    };

    /// <summary>The "ensemble" object of a fermion line; "weak_coupling": true only in the weak-coupling limit (the lines
    /// of the finite-rate solvers are unchanged, so their files still resume).</summary>
    static Dictionary<string, JsonNode?> FermionEnsemble(FermionEnsembleOptions o)
    {
        var e = new Dictionary<string, JsonNode?>
        {
            ["length"] = o.Length,
            ["disorder"] = o.Disorder,
            ["hopping"] = o.Hopping,
            ["interaction"] = o.Interaction,
            ["rates"] = new JsonArray(o.Rates.Select(g => (JsonNode?)g).ToArray()),
            ["solver"] = o.Solver.ToString().ToLowerInvariant(),
        };
        if (o.WeakCoupling) e["weak_coupling"] = true;
        return e;
    }

    public static EnsembleModel Harmonic(HarmonicEnsembleOptions o) => new(
        "harmonic",
        new Dictionary<string, JsonNode?>
        {
            ["length"] = o.Length,
            ["pinning_range"] = new JsonArray(o.PinningMin, o.PinningMax),
            ["coupling"] = o.Coupling,
            ["bath_coupling"] = Output.Optional(o.BathCoupling, x => x),
            ["temperatures"] = new JsonArray(o.Temperatures.Select(t => (JsonNode?)t).ToArray()),
        },
        (seed, r, ct) => HarmonicRealize(o, seed, r, ct),
        SolverPlan.Harmonic(o.Length, o.BathCoupling.Match(l => (Ness.Pipeline.Harmonic.BathCoupling)new Ness.Pipeline.Harmonic.BathCoupling.Finite(l),
            () => Ness.Pipeline.Harmonic.BathCoupling.Weak)).MemoryEstimate);

    /// <summary>One realization of the fermion ensemble: fields h_x uniform in [-W, W] from (seed, r),
    /// then the `ness fermion` pipeline (its line: the object `ness fermion` prints). With <paramref name="keep"/> (Krylov
    /// only), the solver keeps its iterate there as `ness fermion --checkpoint` does (<see cref="IterateFile"/>), but
    /// writes it only once the solve has run for <see cref="IterateFile.DefaultInterval"/>.</summary>
    public static Fin<Solution> FermionRealize(FermionEnsembleOptions o, FermionPlan plan, long seed, long realization, CancellationToken ct,
                                               Option<string> keep = default) =>
        from p in FermionParameters.Create(o.Length, o.Hopping, o.Interaction, o.Rates,
            Disorder.Uniform(seed, realization, o.Length, -o.Disorder, o.Disorder))
        from r in FermionChain.SteadyState(p, plan with { Options = plan.Options with { Cancellation = ct, Iterates = keep.Bind(f => Store(f, p)) } })
        select (Solution)new Solution.Fermion(new Draw(seed, realization, -o.Disorder, o.Disorder), r);

    /// <summary>The realization's iterate file; one left by another problem (an ensemble of other options once wrote to
    /// this output) is replaced. None, said on stderr, when the file cannot be used: the realization starts afresh.</summary>
    static Option<IIterateStore> Store(string file, FermionParameters p)
    {
        var log = Console.Error;
        var opened = IterateFile.Open(file, p, log, keepsEveryConverged: false);
        if (opened.IsFail && File.Exists(file))
        {
            try { File.Delete(file); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
            opened = IterateFile.Open(file, p, log, keepsEveryConverged: false);
        }
        return opened.Match(
            Succ: f => Some<IIterateStore>(f),
            Fail: e =>
            {
                log.WriteLine($"ensemble: cannot keep the progress of a realization in '{file}' ({e.Message}); it runs without");
                return None;
            });
    }

    /// <summary>One realization of the harmonic ensemble: pinning V_x uniform in [a, b] from (seed, r),
    /// then the `ness harmonic` pipeline (its line: the object `ness harmonic` prints).</summary>
    public static Fin<Solution> HarmonicRealize(HarmonicEnsembleOptions o, long seed, long realization, CancellationToken ct) =>
        from p in Ness.Pipeline.Harmonic.HarmonicParameters.Create(o.Length, o.Coupling, o.BathCoupling,
            o.BathCoupling.IsNone, o.Temperatures,
            Disorder.Uniform(seed, realization, o.Length, o.PinningMin, o.PinningMax), None, None)
        from r in HarmonicChain.SteadyState(p)
        select (Solution)new Solution.Harmonic(new Draw(seed, realization, o.PinningMin, o.PinningMax), r);

}
