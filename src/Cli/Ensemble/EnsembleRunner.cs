using System.Text;
using System.Text.Json.Nodes;
using LanguageExt;
using LanguageExt.Common;
using Ness.Pipeline;
using Ness.Pipeline.Ensemble;
using static LanguageExt.Prelude;

namespace Ness.Cli.Ensemble;

/// <summary>
/// Runs the realizations of one shard on <c>Threads</c> worker threads — the one realization runner of
/// <c>ness ensemble</c>. Every line is written by one writer under a lock, as one write, and flushed (fsync for files)
/// as soon as its realization completes; lines are in completion order. A realization the numerics refuse is written
/// as a line with its reason and the run goes on (<see cref="EnsembleLine.Refusal"/>; a rerun skips it unless
/// <see cref="EnsembleRequest.RetryRefused"/>). On cancellation no new realization is started; those in flight stop
/// at their solver's next checkpoint or finish, and are written if they succeeded. Any other failure (I/O, a bug)
/// stops the run the same way and is reported.
/// </summary>
public static class EnsembleRunner
{
    public static EnsembleOutcome Run(EnsembleRequest req, TextWriter stdout, TextWriter log,
                                      IEnsembleProgress progress, CancellationToken ct)
    {
        long total = req.Shard.Size(req.Realizations);
        return (from _ in FitsMemory(req, total)
                from output in Output.Open(req, stdout, log, ct)
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

    /// <summary>The realizations not yet in the output, on worker threads, each written as its line.</summary>
    static EnsembleOutcome Realize(EnsembleRequest req, Output output, IEnsembleProgress progress, long total, CancellationToken ct)
    {
        var todo = req.Shard.Realizations(req.Realizations).Where(r => !output.Done.Contains(r)).ToArray();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var sink = new Sink(req, output, stop);
        progress.Run(total, output.Done.Count, tick =>
        {
            long next = -1;
            void Work()
            {
                try
                {
                    while (!stop.IsCancellationRequested && Interlocked.Increment(ref next) is var i && i < todo.Length)
                        if (One(req, sink, todo[i], stop.Token)) tick();
                }
                catch (Exception e) { sink.Fail(Exit.Internal(e)); }
            }
            int k = (int)Math.Max(1, Math.Min(req.Threads, todo.Length));
            var threads = Enumerable.Range(0, k).Select(j => new Thread(Work) { IsBackground = true, Name = $"ensemble-{j}" }).ToList();
            foreach (var t in threads) t.Start();
            foreach (var t in threads) t.Join();
        });
        bool interrupted = sink.Failure.IsNone && sink.Written + output.Done.Count < total && ct.IsCancellationRequested;
        return new EnsembleOutcome(sink.Written, output.Done.Count, total, interrupted, sink.Failure.Case as Error,
            sink.Refused + output.RefusedDone);
    }

    /// <summary>Realization <paramref name="r"/>: solved and written, refused and written with its reason, or (after
    /// cancellation) not done. False when nothing was written.</summary>
    static bool One(EnsembleRequest req, Sink sink, long r, CancellationToken ct)
    {
        Fin<JsonObject> result;
        try { result = req.Model.Realize(req.Seed, r, ct); }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { return false; }
        catch (OutOfMemoryException) { result = new NumericsRefused("out of memory; the problem is too large for this machine"); }
        var line = result.Match<Fin<(JsonObject Line, bool Refused)>>(
            Succ: o => EnsembleLine.Compose(req.Model, req.Seed, r, o).Map(l => (l, false)),
            Fail: e => ct.IsCancellationRequested || e is Interrupted
                ? new Interrupted()                                                        // not done: redone on resume
                : e is NumericsRefused
                    ? (EnsembleLine.Refusal(req.Model, req.Seed, r, e.Message), true)     // recorded, the run goes on
                    : WithRealization(e, r));
        return line.Bind(l => EnsembleLine.Serialize(l.Line).Map(text => (l.Line, l.Refused, Text: text))).Match(
            Succ: l => sink.Write(new EnsembleLine.Parsed(r, req.Seed, req.Model.Name, l.Line), l.Text, l.Refused),
            Fail: e =>
            {
                if (e is not Interrupted) sink.Fail(e);
                return false;
            });
    }

    static Error WithRealization(Error e, long r) =>
        e.Message.Contains("realization", StringComparison.OrdinalIgnoreCase) ? e
        : e is BadInput b ? new BadInput(b.Flag, $"realization {r}: {b.Detail}")
        : e is InternalError ie ? new InternalError($"realization {r}: {ie.Detail}", ie.Trace)
        : e;

    /// <summary>The one writer of a run's lines: whole lines only, under a lock, flushed at once; the first failure
    /// stops the run.</summary>
    sealed class Sink(EnsembleRequest req, Output output, CancellationTokenSource stop)
    {
        readonly object gate = new();
        Option<string> parameters = output.Parameters;
        public long Written, Refused;
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
                    {
                        Failure = new InternalError($"internal error (a bug in ness): realization {line.Realization} produced parameters that " +
                            "differ from the other lines (a per-realization key missing from EnsembleLine.PerRealizationKeys?); not written", "");
                        stop.Cancel();
                        return false;
                    }
                }
                try { output.Append(text); }
                catch (IOException e)
                {
                    Failure = new IoFailure($"cannot write {req.Where}: {e.Message}" +
                        (req.Resumable ? "; the lines written before are intact: rerun the same command to resume" : ""));
                    stop.Cancel();
                    return false;
                }
                Written++;
                if (refused) Refused++;
                return true;
            }
        }
    }

    /// <summary>Where the lines go: --out (locked, resumed: the realizations already done, the parameters of its
    /// lines) or stdout.</summary>
    sealed class Output(OutputLock? held, FileStream? file, TextWriter stdout, System.Collections.Generic.HashSet<long> done,
        long refusedDone, Option<string> parameters) : IDisposable
    {
        public System.Collections.Generic.HashSet<long> Done { get; } = done;
        public long RefusedDone { get; } = refusedDone;
        public Option<string> Parameters { get; } = parameters;

        public void Append(string text)
        {
            if (file is null)
            {
                stdout.Write(text + "\n");
                stdout.Flush();
                return;
            }
            long before = file.CanSeek ? file.Length : -1;
            try
            {
                file.Write(Encoding.UTF8.GetBytes(text + "\n"));
                file.Flush(flushToDisk: true);
            }
            catch (IOException)
            {
                // keep whole lines only (the space of a torn line is freed); a resume redoes this one
                if (before >= 0)
                    try { file.SetLength(before); file.Seek(0, SeekOrigin.End); } catch (IOException) { }
                throw;
            }
        }

        public void Dispose()
        {
            file?.Dispose();
            held?.Dispose();
        }

        public static Fin<Output> Open(EnsembleRequest req, TextWriter stdout, TextWriter log, CancellationToken ct) =>
            req.OutPath.Match(
                Some: path => Directory.Exists(path)
                    ? FinFail<Output>(new BadInput("--out", $"'{path}' is a directory; give a file name (e.g. {Path.Combine(path, "ensemble.jsonl")})"))
                    : Path.GetFullPath(path).StartsWith("/dev/", StringComparison.Ordinal) ? Device(path, stdout)
                    : Resume(req, path, stdout, log, ct),
                None: () => FinSucc(new Output(null, null, stdout, [], 0, None)));

        /// <summary>A device (/dev/stdout, /dev/null, ...): written as a stream, without lock file or resume.</summary>
        static Fin<Output> Device(string path, TextWriter stdout)
        {
            try { return new Output(null, new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0), stdout, [], 0, None); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
            {
                return OutputLock.Cannot("--out", path, "write", e);
            }
        }

        /// <summary>Opens (creating if needed) --out exclusively, checks it against this run (every line read as a
        /// typed realization: a damaged line is exit 2 naming the file, the line and the field), drops a torn last
        /// line. The file is only modified (truncated) once all checks have passed.</summary>
        static Fin<Output> Resume(EnsembleRequest req, string path, TextWriter stdout, TextWriter log, CancellationToken ct) =>
            OutputLock.Acquire(path, path + ".lock", "--out", req.WaitLock, log, ct).Bind(held =>
            {
                FileStream fs;
                try
                {
                    // not locked itself (the lock file is the lock), so that aggregate can read a shard in progress
                    fs = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 0);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
                {
                    held.Dispose();
                    return OutputLock.Cannot("--out", path, "write", e);
                }
                var opened = Check(req, path, fs, log);
                if (opened.IsFail) { fs.Dispose(); held.Dispose(); }
                return opened.Map(c => new Output(held, fs, stdout, c.Done, c.Refused, c.Parameters));
            });

        static Fin<(System.Collections.Generic.HashSet<long> Done, long Refused, Option<string> Parameters)> Check(
            EnsembleRequest req, string path, FileStream fs, TextWriter log)
        {
            try
            {
                var bytes = new byte[fs.Length];
                fs.ReadExactly(bytes);
                return
                    from scan in EnsembleFile.Read("--out", path, bytes)
                    from _ in scan.Lines.Select(l => Json.RealizationJson.Read("--out", $"{path} line {l.Number}", l.Parsed)).ToSeq().Sequence()
                    from done in EnsembleFile.CheckResume(path, scan, req.Model, req.Seed, req.Realizations, req.Shard, req.RetryRefused)
                    select Truncate(path, fs, scan, done, log);
            }
            catch (IOException e)
            {
                return OutputLock.Cannot("--out", path, "read", e);
            }
        }

        static (System.Collections.Generic.HashSet<long>, long, Option<string>) Truncate(
            string path, FileStream fs, EnsembleFile.Scan s, EnsembleFile.Resumed d, TextWriter log)
        {
            if (s.Torn is not null)
            {
                log.WriteLine($"ness: {path}: dropping the torn last line ({s.Torn}); that realization will be redone");
                fs.SetLength(s.KeepBytes);
                fs.Flush(flushToDisk: true);
            }
            fs.Seek(0, SeekOrigin.End);
            if (d.Done.Count > 0)
                log.WriteLine($"ness: {path}: resuming, {d.Done.Count} realization(s) already done" +
                              (d.Refused > 0 ? $" ({d.Refused} of them refused by the numerics; --retry-refused computes those again)" : ""));
            if (d.Retried > 0)
                log.WriteLine($"ness: {path}: --retry-refused: computing {d.Retried} refused realization(s) again");
            var first = s.Lines.Where(l => !l.Parsed.IsRefused).Select(l => l.Parsed.ParameterKey).HeadOrNone();
            return (d.Done, d.Refused, first);
        }
    }
}
