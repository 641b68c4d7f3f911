namespace Ness.Numerics.Krylov;

/// <summary>Stops (without convergence) once <see cref="MaxIterations"/> iterations are spent.</summary>
public sealed record IterationBudget(int MaxIterations) : IStopCriterion
{
    public IterationStatus Check(Checkpoint c) =>
        c.Iterations >= MaxIterations ? IterationStatus.StoppedWithoutConvergence : IterationStatus.Continue;
}
