using System.Collections.Immutable;

namespace Ness.Pipeline.Lattice;

/// <summary>What a box solver returns: T(x) = &lt;p_x^2&gt; per site (x fastest), the energy current into each bath
/// (in the order of <see cref="LatticeParameters.Baths"/>; at weak coupling divided by lambda, since it vanishes with
/// lambda) and the certificate (its method and checks; a solution exists only when every check has passed).</summary>
public sealed record LatticeSolution(ImmutableArray<double> Temperatures, ImmutableArray<double> BathCurrents, Certificate Certificate);
