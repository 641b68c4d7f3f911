using System.Diagnostics;
using System.Globalization;

namespace Ness.Cli.Ensemble;

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
