using Spectre.Console;

namespace Ness.Cli.Ensemble;

/// <summary>A Spectre.Console progress bar (with elapsed time and ETA) on stderr.</summary>
public sealed class SpectreProgress : IEnsembleProgress
{
    public void Run(long total, long alreadyDone, Action<Action> body)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                     new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                // The bar counts this run's realizations only, so that the ETA is not skewed by resumed ones.
                string Label(long d) => $"ensemble {alreadyDone + d}/{total}" + (alreadyDone > 0 ? $" ({alreadyDone} resumed)" : "");
                var task = ctx.AddTask(Markup.Escape(Label(0)), maxValue: Math.Max(1, total - alreadyDone));
                if (total - alreadyDone <= 0) task.Value = task.MaxValue;
                long done = 0;
                var gate = new object();
                body(() =>
                {
                    lock (gate)
                    {
                        done++;
                        task.Increment(1);
                        task.Description = Markup.Escape(Label(done));
                    }
                });
            });
    }
}
