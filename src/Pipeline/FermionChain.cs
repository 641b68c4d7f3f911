using LanguageExt;
using Ness.Pipeline.Fermion;
using static LanguageExt.Prelude;

namespace Ness.Pipeline;

/// <summary>
/// The fermion chain of section 3 as a library, and the one front door to its steady state (the CLI, ensembles,
/// <c>reproduce</c> and <c>bench</c> go through it), in the spirit of QuTiP's <c>steadystate(H, c_ops, method=...)</c>:
/// describe the chain (<see cref="Create"/> or <see cref="Disordered"/>), then <c>SteadyState</c> returns the
/// certified NESS and its observables, or an error (<see cref="BadInput"/> for parameters out of range,
/// <see cref="NumericsRefused"/> when the numerics cannot vouch for a result). The method is chosen by
/// <see cref="SolverPlan.Fermion"/>. Same defaults, generator and numbers as <c>ness fermion</c>.
/// </summary>
public static class FermionChain
{
    /// <summary>A chain with explicit fields h_1..h_L (L = fields.Length): H_F of eq. (3.2) with hopping J and
    /// interaction V, boundary rates of eq. (3.8) (default <see cref="Rates.Default"/>).</summary>
    public static Fin<FermionParameters> Create(double[] fields, double hopping = 1, double interaction = 1, Rates? rates = null) =>
        FermionParameters.Create(fields.Length, hopping, interaction, (rates ?? Rates.Default).ToArray(), fields);

    /// <summary>A chain with fields uniform in [−W, W] drawn by <see cref="Ness.Pipeline.Disorder"/> for
    /// (seed, realization): realization 0 is <c>ness fermion --disorder W --seed S</c>, realization r the r-th line
    /// of <c>ness ensemble</c>.</summary>
    public static Fin<FermionParameters> Disordered(
        int length, double disorder, long seed, long realization = 0, double hopping = 1, double interaction = 1, Rates? rates = null)
    {
        if (!(disorder >= 0 && disorder <= FermionParameters.MaxMagnitude))
            return new BadInput("--disorder", $"{disorder} is out of range; allowed: 0 <= W <= {FermionParameters.MaxMagnitude:G}");
        if (realization < 0)
            return new BadInput("realization", $"{realization} is out of range; allowed: >= 0");
        if (length < 1 || length > FermionParameters.MaxAnyLength)
            return new BadInput("--length", $"{length} is out of range; allowed: 1..{FermionParameters.MaxAnyLength}");
        return Create(Ness.Pipeline.Disorder.Uniform(seed, realization, length, -disorder, disorder), hopping, interaction, rates);
    }

    /// <summary>The NESS of <paramref name="p"/> by <paramref name="method"/> (auto: <see cref="SolverPlan.Fermion"/>):
    /// parameters → steady state → certificate → observables (profile, currents, step metrics) and, on request, the
    /// density matrix blocks and the correlation matrix. The extras need a density matrix, so with extras a V = 0
    /// chain goes through the Liouvillian solvers (L &lt;= 16).</summary>
    public static Fin<FermionSteadyState> SteadyState(
        FermionParameters p, FermionSolver method = FermionSolver.Auto, SolverOptions? options = null,
        FermionExtras extras = FermionExtras.None) =>
        SolverPlan.Fermion(p.Length, p.Interaction, method, options ?? SolverOptions.Default, extras)
            .Bind(plan => SteadyState(p, plan, extras));

    /// <summary>The NESS of <paramref name="p"/> by a plan made before (ensembles make it once for all realizations).</summary>
    public static Fin<FermionSteadyState> SteadyState(FermionParameters p, FermionPlan plan, FermionExtras extras = FermionExtras.None) =>
        plan.WeakCoupling
            ? Fermion.WeakCoupling.WeakCouplingSolver.Run(p, plan).Map(r =>
                new FermionSteadyState(p, plan, r.Profile, r.Currents, StepMetrics.Of(r.Profile), r.Certificate, None, None))
        : plan.FormsDensityMatrix
            ? Liouvillian(p, plan, extras)
            : GaussianSolver.Run(p).Map(r =>
                new FermionSteadyState(p, plan, r.Profile, r.Currents, StepMetrics.Of(r.Profile), r.Certificate, None, None));

    static Fin<FermionSteadyState> Liouvillian(FermionParameters p, FermionPlan plan, FermionExtras extras) =>
        from s in Fermion.SteadyState.Solve(p, plan)
        from c in LiouvillianCertificate.Of(s)
        let n = DensityProfile.Of(s)
        select new FermionSteadyState(p, plan, n, Currents.Of(s, n), StepMetrics.Of(n), c,
            extras.HasFlag(FermionExtras.DensityMatrix) ? Some(s.Rho) : None,
            extras.HasFlag(FermionExtras.Correlations) ? Some(OneBodyCorrelations.Of(s)) : None);
}
