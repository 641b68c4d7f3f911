using System.Text.Json.Nodes;
using LanguageExt;
using LanguageExt.Common;
using static LanguageExt.Prelude;
using Ness.Pipeline;
using Ness.Pipeline.Ensemble;

namespace Ness.Cli.Ensemble;

/// <summary>What a run does at a refusal of the numerics: always record it as a line (with its reason) and count it;
/// then go on (<c>ness ensemble</c>, <c>ness reproduce</c>) or start no further realization (<see cref="StopAtRefusal"/>).
/// <see cref="RetryRefused"/>: the realizations an output records as refused are computed again (<c>--retry-refused</c>);
/// it is applied when the output is opened (<see cref="LineFile"/>).</summary>
public sealed record RunPolicy(bool StopAtRefusal = false, bool RetryRefused = false)
{
    public static readonly RunPolicy GoOn = new();
}

/// <summary>What a run did: lines written (certified and refused), of which refused, the failure that stopped it (an
/// I/O failure, a bug), and whether it stopped at a refusal (<see cref="RunPolicy.StopAtRefusal"/>).</summary>
public sealed record Tally(long Written, long Refused, Option<Error> Failure, bool StoppedAtRefusal);

/// <summary>
/// The one realization runner, of <c>ness ensemble</c> and <c>ness reproduce</c>: the realizations <c>todo</c> of
/// an ensemble on <c>threads</c> worker threads (taken in order), each realization solved and written to its
/// <see cref="LineFile"/> as one line (its typed <see cref="Solution"/> turned into text here, by
/// <see cref="Json.LineJson"/>), by one writer under a lock, flushed as soon as it completes (lines are in completion
/// order). A realization the numerics refuse is written as a line with its reason
/// (<see cref="Json.LineJson.Refusal"/>) and counted; the <see cref="RunPolicy"/> says whether the run goes on. On
/// cancellation no new realization is started; those in flight stop at their solver's next checkpoint (not written,
/// redone on resume, from the progress they kept if they ran long: <see cref="EnsembleModel.RealizeResuming"/>) or
/// finish and are written. Any other failure (I/O, a bug) stops the run the same way and is
/// returned. <c>written</c> is told every line written (from the worker threads).
/// </summary>
public static class RealizationRunner
{
    public static Tally Run(EnsembleModel model, long seed, IReadOnlyList<long> todo, int threads, RunPolicy policy,
                            LineFile output, Action<EnsembleLine.Parsed> written, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var sink = new Sink(output, policy, stop);
        long next = -1;
        void Work()
        {
            try
            {
                while (!stop.IsCancellationRequested && Interlocked.Increment(ref next) is var i && i < todo.Count)
                    if (One(model, seed, sink, todo[(int)i], stop.Token) is { } line) written(line);
            }
            catch (Exception e) { sink.Fail(Exit.Internal(e)); }
        }
        int k = (int)Math.Max(1, Math.Min(threads, todo.Count));
        var workers = Enumerable.Range(0, k).Select(j => new Thread(Work) { IsBackground = true, Name = $"realization-{j}" }).ToList();
        foreach (var t in workers) t.Start();
        foreach (var t in workers) t.Join();
        return new Tally(sink.Written, sink.Refused, sink.Failure, sink.StoppedAtRefusal);
    }

    /// <summary>Realization <paramref name="r"/>: solved and written, refused and written with its reason, or (after
    /// cancellation, or a failure) not done: null.</summary>
    static EnsembleLine.Parsed? One(EnsembleModel model, long seed, Sink sink, long r, CancellationToken ct)
    {
        var delay = Seams.RealizationDelay;   // tests only: zero in ness
        if (delay > TimeSpan.Zero && ct.WaitHandle.WaitOne(delay)) return null;
        // a long realization keeps its solver's progress beside the output, so that a killed run resumes it
        Option<string> keep = sink.Resumable && model.RealizeResuming.IsSome ? Some(KeptAt(sink.Where, r)) : None;
        Fin<Solution> result;
        try
        {
            result = (from f in model.RealizeResuming from k in keep select f(seed, r, k, ct)).IfNone(() => model.Realize(seed, r, ct));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { return null; }
        catch (OutOfMemoryException) { result = new NumericsRefused("out of memory; the problem is too large for this machine"); }
        var line = result.Match<Fin<(JsonObject Line, bool Refused)>>(
            Succ: s => Json.LineJson.Compose(model, seed, r, s).Map(l => (l, false)),
            Fail: e => ct.IsCancellationRequested || e is Interrupted
                ? new Interrupted()                                                    // not done: redone on resume
                : e is NumericsRefused
                    ? (Json.LineJson.Refusal(model, seed, r, e.Message), true)         // recorded; the policy decides
                    : WithRealization(e, r));
        return line.Bind(l => Json.LineJson.Serialize(l.Line).Map(text => (l.Line, l.Refused, Text: text))).Match(
            Succ: l =>
            {
                var p = new EnsembleLine.Parsed(r, seed, model.Name, l.Line);
                if (!sink.Write(p, l.Text, l.Refused)) return null;
                Forget(keep);
                return p;
            },
            Fail: e =>
            {
                if (e is not Interrupted) sink.Fail(e);
                return null;
            });
    }

    /// <summary>Where realization <paramref name="r"/> of the output <paramref name="where"/> keeps its solver's progress
    /// while it runs (<see cref="EnsembleModel.RealizeResuming"/>): FILE.rR.iterate beside it.</summary>
    public static string KeptAt(string where, long r) => $"{where}.r{r}.iterate";

    /// <summary>Removes a realization's progress file once its line is written (a file that cannot be removed stays: the
    /// line is written either way, and a rerun skips the realization).</summary>
    static void Forget(Option<string> keep)
    {
        foreach (var f in keep)
            try { File.Delete(f); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    static Error WithRealization(Error e, long r) =>
        e.Message.Contains("realization", StringComparison.OrdinalIgnoreCase) ? e
        : e is BadInput b ? new BadInput(b.Flag, $"realization {r}: {b.Detail}")
        : e is InternalError ie ? new InternalError($"realization {r}: {ie.Detail}", ie.Trace)
        : e;

    /// <summary>The one writer of a run's lines: whole lines only, under a lock, flushed at once; the first failure
    /// stops the run.</summary>
    sealed class Sink(LineFile output, RunPolicy policy, CancellationTokenSource stop)
    {
        public bool Resumable => output.Resumable;
        public string Where => output.Where;
        readonly object gate = new();
        Option<string> parameters = output.Parameters;
        public long Written, Refused;
        public bool StoppedAtRefusal;
        public Option<Error> Failure { get; private set; }

        public void Fail(Error e)
        {
            lock (gate) if (Failure.IsNone) Failure = e;
            stop.Cancel();
        }

        public bool Write(EnsembleLine.Parsed line, string text, bool refused)
        {
            lock (gate)
            {
                if (Failure.IsSome) return false;
                if (!refused)
                {
                    if (parameters.IsNone) parameters = line.ParameterKey;
                    if (parameters != line.ParameterKey)
                        return Stop(new InternalError($"internal error (a bug in ness): realization {line.Realization} produced parameters that " +
                            "differ from the other lines (a per-realization key missing from EnsembleLine.PerRealizationKeys?); not written", ""));
                }
                try { output.Append(text); }
                catch (IOException e)
                {
                    return Stop(new IoFailure($"cannot write {output.Where}: {e.Message}" +
                        (output.Resumable ? "; the lines written before are intact: rerun the same command to resume" : "")));
                }
                Written++;
                if (refused) Refused++;
                if (refused && policy.StopAtRefusal)
                {
                    StoppedAtRefusal = true;
                    stop.Cancel();
                }
                return true;
            }
        }

        bool Stop(Error e)
        {
            Failure = e;
            stop.Cancel();
            return false;
        }
    }
}
