namespace Ness.Pipeline.Harmonic;

/// <summary>One certification number of a solver (a residual, an error estimate, a count), named as in the JSON.</summary>
public sealed record Check(string Name, double Value);
