
namespace Ness.Pipeline.Harmonic;

/// <summary>One NESS of the pinned harmonic chain with everything the output reports.</summary>
public sealed record HarmonicResult(
    HarmonicParameters Parameters, TemperatureProfile Profile, StepShape Step, EnergyCurrent Current, double Seconds);
