using Ness.Numerics.Krylov;

namespace Ness.Pipeline.Fermion.Krylov;

/// <summary>Stops the iteration at the next checkpoint once <paramref name="token"/> is cancelled (SIGINT/SIGTERM
/// in an ensemble), so that an interrupted run does not wait for a whole solve.</summary>
public sealed class Cancellation(CancellationToken token) : IStopCriterion
{
    public IterationStatus Check(Checkpoint c) =>
        token.IsCancellationRequested ? IterationStatus.StoppedWithoutConvergence : IterationStatus.Continue;
}
