
namespace Ness.Cli.Ensemble;

public sealed class SilentProgress : IEnsembleProgress
{
    public void Run(long total, long alreadyDone, Action<Action> body) => body(() => { });
}
