using Ness.Operators.Fermion;

namespace Ness.Pipeline.Fermion;

/// <summary>The diagnostics every fermion result carries (docs/interface.md, "diagnostics"). MinEigenvalue is
/// null where the solver never forms rho.</summary>
public sealed record Diagnostics(
    string Solver, long Dimension, double Residual, double RelativeResidual, double TraceError,
    double HermiticityError, double? MinEigenvalue, double Seconds, IReadOnlyDictionary<string, double> Statistics);
