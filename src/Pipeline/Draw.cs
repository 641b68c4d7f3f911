namespace Ness.Pipeline;

/// <summary>Where a disorder realization came from: values uniform in [A, B) drawn by <see cref="Disorder.Uniform"/>
/// for realization <see cref="Realization"/> of seed <see cref="Seed"/> (fermions: A = −W, B = W; harmonic chain:
/// the pinning range).</summary>
public sealed record Draw(long Seed, long Realization, double A, double B);
