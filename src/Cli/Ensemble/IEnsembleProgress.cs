using Spectre.Console;

namespace Ness.Cli.Ensemble;

/// <summary>Progress of an ensemble run. <see cref="Run"/> calls <c>body(tick)</c> once; the body calls
/// <c>tick()</c> (from any thread) each time a realization completes.</summary>
public interface IEnsembleProgress
{
    void Run(long total, long alreadyDone, Action<Action> body);

    /// <summary>Spectre.Console bar with ETA on stderr if it is a terminal; plain periodic lines otherwise.</summary>
    public static IEnsembleProgress ForStderr() =>
        Console.IsErrorRedirected ? new PlainProgress(Console.Error, TimeSpan.FromSeconds(10)) : new SpectreProgress();
}
