using System.Collections.Immutable;

namespace Ness.Pipeline.Harmonic;

/// <summary>
/// The kinetic temperature profile T(x) = &lt;p_x^2&gt; of the NESS on sites 1..L (index 0 = site 1) and its
/// certificate (the method that produced it and the checks it passed).
/// </summary>
public sealed record TemperatureProfile(ImmutableArray<double> Temperatures, Certificate Certificate);
