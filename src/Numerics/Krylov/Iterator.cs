namespace Ness.Numerics.Krylov;

/// <summary>
/// The stop criteria of one solve (MathNet's <c>Iterator</c>). Every criterion sees every checkpoint (some
/// keep a history); the verdict is Converged if any says so, else StoppedWithoutConvergence, else Stagnated,
/// else Continue. <see cref="Status"/> is the last verdict.
/// </summary>
public sealed class Iterator(params IStopCriterion[] criteria)
{
    public IReadOnlyList<IStopCriterion> Criteria { get; } = criteria;
    public IterationStatus Status { get; private set; } = IterationStatus.Continue;

    public IterationStatus Check(Checkpoint c)
    {
        var all = new IterationStatus[Criteria.Count];
        for (int i = 0; i < all.Length; i++) all[i] = Criteria[i].Check(c);
        Status = all.Contains(IterationStatus.Converged) ? IterationStatus.Converged
            : all.Contains(IterationStatus.StoppedWithoutConvergence) ? IterationStatus.StoppedWithoutConvergence
            : all.Contains(IterationStatus.Stagnated) ? IterationStatus.Stagnated
            : IterationStatus.Continue;
        return Status;
    }

    public void Reset()
    {
        foreach (var s in Criteria) s.Reset();
        Status = IterationStatus.Continue;
    }

    /// <summary>The largest early-exit target any criterion offers (0: run the whole cycle).</summary>
    public double CycleTarget(Checkpoint c) => Criteria.Count == 0 ? 0 : Criteria.Max(s => s.CycleTarget(c));
}
