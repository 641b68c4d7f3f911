using System.Diagnostics;
using System.Globalization;
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

public sealed class SilentProgress : IEnsembleProgress
{
    public void Run(long total, long alreadyDone, Action<Action> body) => body(() => { });
}

/// <summary>"ensemble: 40/100 done, 12.3 s elapsed, ETA 18 s" at the start, every <c>interval</c>, and at the end.</summary>
public sealed class PlainProgress(TextWriter w, TimeSpan interval) : IEnsembleProgress
{
    public void Run(long total, long alreadyDone, Action<Action> body)
    {
        long doneNow = 0;
        var clock = Stopwatch.StartNew();
        var gate = new object();
        void Report()
        {
            long d = Interlocked.Read(ref doneNow);
            double t = clock.Elapsed.TotalSeconds;
            long left = total - alreadyDone - d;
            string eta = left <= 0 ? "" : d == 0 ? ", ETA unknown" : $", ETA {Seconds(t / d * left)}";
            lock (gate)
            {
                w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"ensemble: {alreadyDone + d}/{total} done{(alreadyDone > 0 ? $" ({alreadyDone} resumed)" : "")}, {t:F1} s elapsed{eta}"));
                w.Flush();
            }
        }
        Report();
        using (var timer = new Timer(_ => Report(), null, interval, interval))
            body(() => Interlocked.Increment(ref doneNow));
        Report();
    }

    static string Seconds(double s) => s < 100 ? string.Create(CultureInfo.InvariantCulture, $"{s:F0} s")
        : TimeSpan.FromSeconds(Math.Round(s)).ToString(s >= 86400 ? @"d\.hh\:mm\:ss" : @"hh\:mm\:ss", CultureInfo.InvariantCulture);
}

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
