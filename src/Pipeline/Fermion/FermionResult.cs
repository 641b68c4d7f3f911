using System.Collections.Immutable;

namespace Ness.Pipeline.Fermion;

/// <summary>One certified NESS of the fermion chain and its observables (docs/interface.md, `ness fermion`).</summary>
public sealed record FermionResult(
    FermionParameters Parameters, ImmutableArray<double> Profile, Currents Current, StepMetrics Step, Diagnostics Diagnostics);
