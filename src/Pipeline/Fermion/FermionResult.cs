using System.Collections.Immutable;
using LanguageExt;

namespace Ness.Pipeline.Fermion;

/// <summary>One certified NESS of the fermion chain and its observables (docs/interface.md, `ness fermion`).</summary>
public sealed record FermionResult(
    FermionParameters Parameters, ImmutableArray<double> Profile, Currents Current, StepMetrics Step, Diagnostics Diagnostics);

/// <summary>The fermion pipeline: parameters → steady state → certificate → observables.</summary>
public static class FermionNess
{
    public static Fin<FermionResult> Run(FermionParameters p) =>
        from s in SteadyState.Solve(p)
        from d in Certificate.Of(s)
        let n = DensityProfile.Of(s)
        select new FermionResult(p, n, Currents.Of(s, n), StepMetrics.Of(n), d);
}
