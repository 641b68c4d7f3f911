using System.Collections.Immutable;

namespace Ness.Pipeline.Fermion;

/// <summary>How a density matrix was obtained: the solver's name, its wall time and its own facts (checks it already
/// passed, work done), which <see cref="LiouvillianCertificate"/> appends to the certificate of rho.</summary>
public sealed record SolverReport(string Solver, double Seconds, ImmutableArray<Fact> Facts);
