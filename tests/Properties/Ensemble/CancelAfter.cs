using Ness.Cli.Ensemble;

namespace Ness.Tests.Ensemble;

/// <summary>Progress sink that cancels a token after a number of completed realizations.</summary>
sealed class CancelAfter(CancellationTokenSource cts, int after) : IEnsembleProgress
{
    public void Run(long total, long alreadyDone, Action<Action> body)
    {
        int done = 0;
        body(() => { if (Interlocked.Increment(ref done) >= after) cts.Cancel(); });
    }
}
