namespace Ness.Numerics.Krylov;

/// <summary>A stop rule, evaluated on the true residual at every restart (MathNet's
/// <c>IIterationStopCriterion</c>).</summary>
public interface IStopCriterion
{
    IterationStatus Check(Checkpoint c);

    /// <summary>Forget what was seen (called after the solver changes strategy, e.g. a longer cycle).</summary>
    void Reset() { }

    /// <summary>A residual norm at which a GMRES cycle may end early (its own estimate; the checkpoint that
    /// follows decides), or 0 when this criterion has none.</summary>
    double CycleTarget(Checkpoint c) => 0;
}
