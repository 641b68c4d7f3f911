using LanguageExt;
using LanguageExt.Common;
using Ness.Pipeline;
using Ness.Pipeline.Ensemble;
using static LanguageExt.Prelude;

namespace Ness.Cli.Ensemble;

/// <summary>
/// <c>ness ensemble</c>: the realizations of one shard, after the memory check, into --out (locked, resumed) or
/// stdout (<see cref="LineFile"/>), by the one realization runner (<see cref="RealizationRunner"/>): every line
/// flushed as soon as its realization completes; a refused realization is written with its reason and the run goes
/// on (a rerun skips it unless <see cref="EnsembleRequest.RetryRefused"/>). On cancellation no new realization is
/// started; those in flight stop at their solver's next checkpoint or finish, and are written if they succeeded.
/// </summary>
public static class EnsembleRunner
{
    public static EnsembleOutcome Run(EnsembleRequest req, TextWriter stdout, TextWriter log,
                                      IEnsembleProgress progress, CancellationToken ct)
    {
        long total = req.Shard.Size(req.Realizations);
        return (from _ in FitsMemory(req, total)
                from output in LineFile.Open(req, stdout, log, ct)
                select output)
            .Match(
                Succ: output =>
                {
                    using (output) return Realize(req, output, progress, total, ct);
                },
                // interrupted while waiting for the lock (--wait-lock): 130/143, not an I/O failure
                Fail: e => ct.IsCancellationRequested
                    ? new EnsembleOutcome(0, 0, total, true, null)
                    : new EnsembleOutcome(0, 0, total, false, e));
    }

    /// <summary>Refuses (exit 3) more realizations at once than the memory budget holds.</summary>
    static Fin<Unit> FitsMemory(EnsembleRequest req, long total)
    {
        int atOnce = (int)Math.Max(1, Math.Min(req.Threads, total));
        double each = req.Model.BytesPerRealization;
        return MemoryBudget.Check(
            $"--threads {req.Threads}: {atOnce} realization(s) at once, each about {MemoryBudget.GB(each)},",
            atOnce * each,
            Math.Floor(MemoryBudget.Limit / Math.Max(1, each)) is var k && k >= 1
                ? $"use --threads {Math.Min(k, atOnce - 1)} or fewer"
                : "one realization alone does not fit: use a smaller --length");
    }

    /// <summary>The realizations not yet in the output, by <see cref="RealizationRunner"/>, each written as its line.</summary>
    static EnsembleOutcome Realize(EnsembleRequest req, LineFile output, IEnsembleProgress progress, long total, CancellationToken ct)
    {
        var todo = req.Shard.Realizations(req.Realizations).Where(r => !output.Done.Contains(r)).ToArray();
        var tally = new Tally(0, 0, None, false);
        progress.Run(total, output.Done.Count, tick =>
            tally = RealizationRunner.Run(req.Model, req.Seed, todo, req.Threads, req.Policy, output, _ => tick(), ct));
        bool interrupted = tally.Failure.IsNone && tally.Written + output.Done.Count < total && ct.IsCancellationRequested;
        return new EnsembleOutcome(tally.Written, output.Done.Count, total, interrupted, tally.Failure.Case as Error,
            tally.Refused + output.RefusedDone);
    }
}
