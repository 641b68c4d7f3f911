using System.Collections.Immutable;

namespace Ness.Pipeline.Lattice;

/// <summary>One number of a lattice certificate: <see cref="Value"/> must not exceed <see cref="Limit"/>
/// (+infinity: reported, not judged). NaN never passes.</summary>
public sealed record Gate(string Name, double Value, double Limit)
{
    public bool Passes => double.IsPositiveInfinity(Limit) || Value <= Limit;

    public static Gate Reported(string name, double value) => new(name, value, double.PositiveInfinity);
}

/// <summary>What a lattice solver returns: T(x) = &lt;p_x^2&gt; per site (x fastest), the energy current into each bath
/// (in the order of <see cref="LatticeParameters.Baths"/>; at weak coupling divided by lambda, since it vanishes with
/// lambda), the method and the certificate (every <see cref="Gate"/> has passed when a solution exists).</summary>
public sealed record LatticeSolution(
    ImmutableArray<double> Temperatures, ImmutableArray<double> BathCurrents, string Method, ImmutableArray<Gate> Certificate);
