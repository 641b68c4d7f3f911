using LanguageExt;

namespace Ness.Pipeline.Fermion;

/// <summary>The fermion pipeline: parameters → steady state → certificate → observables; at V = 0 (auto or
/// --solver gaussian) the exact Gaussian state (<see cref="GaussianSolver"/>) instead of the density matrix.</summary>
public static class FermionNess
{
    public static Fin<FermionResult> Run(FermionParameters p) =>
        p.UsesGaussian ? GaussianSolver.Run(p)
        : Exact(p);

    /// <summary>The exact Liouvillian solvers: rho in the q = 0 sector, certified blockwise.</summary>
    static Fin<FermionResult> Exact(FermionParameters p) =>
        from s in SteadyState.Solve(p)
        from d in Certificate.Of(s)
        let n = DensityProfile.Of(s)
        select new FermionResult(p, n, Currents.Of(s, n), StepMetrics.Of(n), d);
}
