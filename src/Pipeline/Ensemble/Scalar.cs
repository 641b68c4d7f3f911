namespace Ness.Pipeline.Ensemble;

/// <summary>A named scalar observable of one realization, named as in the single-run output (a step-shape
/// number such as "max_jump", a current such as "left"); null where the model has no value for it.</summary>
public sealed record Scalar(string Name, double? Value);
