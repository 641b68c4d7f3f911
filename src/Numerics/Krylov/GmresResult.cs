namespace Ness.Numerics.Krylov;

/// <summary>The outcome of <see cref="FlexibleGmres.Solve"/>: the final verdict of the stop criteria, the work done
/// and the last true residual.</summary>
public sealed record GmresResult(IterationStatus Status, int Iterations, int Restarts, int Cycle, int Growths,
    double ResidualNorm, double SolutionNorm);
