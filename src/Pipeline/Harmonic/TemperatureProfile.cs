using System.Collections.Immutable;

namespace Ness.Pipeline.Harmonic;

/// <summary>
/// The kinetic temperature profile T(x) = &lt;p_x^2&gt; of the NESS on sites 1..L (index 0 = site 1),
/// the method that produced it and its certification numbers.
/// </summary>
public sealed record TemperatureProfile(ImmutableArray<double> Temperatures, string Method, ImmutableArray<Check> Certificates);
