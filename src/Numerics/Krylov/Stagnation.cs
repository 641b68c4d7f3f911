namespace Ness.Numerics.Krylov;

/// <summary>
/// Stagnated when the true residual has not dropped below <see cref="Factor"/> × the best seen for
/// <see cref="Window"/> checkpoints in a row (restarted GMRES stalls when a slow mode needs more directions
/// than one cycle holds).
/// </summary>
public sealed class Stagnation(int window = 3, double factor = 0.9) : IStopCriterion
{
    public int Window { get; } = window;
    public double Factor { get; } = factor;
    double best = double.PositiveInfinity;
    int stall;

    public IterationStatus Check(Checkpoint c)
    {
        double rel = c.ResidualNorm / Math.Max(c.SolutionNorm + c.RhsNorm, double.Epsilon);
        if (rel < Factor * best) stall = 0; else stall++;
        best = Math.Min(best, rel);
        return stall >= Window ? IterationStatus.Stagnated : IterationStatus.Continue;
    }

    public void Reset() => stall = 0;
}
