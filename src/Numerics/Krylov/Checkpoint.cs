namespace Ness.Numerics.Krylov;

/// <summary>
/// The state of an iterative solve at a restart, where the stop criteria are evaluated: the TRUE residual
/// R = b − A X recomputed from the iterate (not the GMRES estimate), its norm, ||X||, ||b||.
/// <see cref="X"/> and <see cref="R"/> are the solver's own arrays: read them during the call only.
/// </summary>
public sealed record Checkpoint(int Iterations, int Restarts, double ResidualNorm, double SolutionNorm, double RhsNorm,
    double[] X, double[] R, TimeSpan Elapsed);
