using Ness.Operators.Fermion;

namespace Ness.Pipeline.Fermion;

/// <summary>How a steady state was obtained: solver name, work done and solver-specific statistics.</summary>
public sealed record SolverReport(string Solver, double Seconds, IReadOnlyDictionary<string, double> Statistics);
