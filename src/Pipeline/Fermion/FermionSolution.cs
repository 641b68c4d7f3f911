using System.Collections.Immutable;

namespace Ness.Pipeline.Fermion;

/// <summary>What a fermion solver returns to the front door (<c>FermionChain.SteadyState</c>): the density
/// profile n_x (index 0 = site 1), the currents and the certificate the result passed.</summary>
public sealed record FermionSolution(ImmutableArray<double> Profile, Currents Currents, Certificate Certificate);
