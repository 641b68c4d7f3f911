using System.Text;
using System.Text.Json.Nodes;
using LanguageExt;
using LanguageExt.Common;
using Ness.Pipeline;
using Ness.Pipeline.Ensemble;

namespace Ness.Cli.Ensemble;

/// <summary>
/// Runs the realizations of one shard on <c>Threads</c> worker threads. Every line is written by one
/// writer under a lock, as one write, and flushed (fsync for files) as soon as its realization completes;
/// lines are in completion order. On cancellation no new realization is started; those in flight finish
/// (or return early if the model observes the token) and are written if they succeeded.
/// A failing realization stops the run the same way and is reported.
/// </summary>
public static class EnsembleRunner
{
    public static EnsembleOutcome Run(EnsembleRequest req, TextWriter stdout, TextWriter log,
                                      IEnsembleProgress progress, CancellationToken ct)
    {
        long total = req.Shard.Size(req.Realizations);
        int atOnce = (int)Math.Max(1, Math.Min(req.Threads, total));
        var fits = MemoryBudget.Check(
            $"--threads {req.Threads}: {atOnce} realization(s) at once, each about {MemoryBudget.GB(req.Model.BytesPerRealization)},",
            atOnce * req.Model.BytesPerRealization,
            Math.Floor(MemoryBudget.Limit / Math.Max(1, req.Model.BytesPerRealization)) is var k && k >= 1
                ? $"use --threads {Math.Min(k, atOnce - 1)} or fewer"
                : "one realization alone does not fit: use a smaller --length");
        if (fits.IsFail) return new EnsembleOutcome(0, 0, total, false, (Error)fits);
        OutputLock? held = null;
        FileStream? file = null;
        try
        {
            var done = new System.Collections.Generic.HashSet<long>();
            string? fileParameters = null;
            foreach (var path in req.OutPath)
            {
                var opened = OpenForResume(req, path, log, ct);
                if (opened.IsFail)
                    return ct.IsCancellationRequested // interrupted while waiting for the lock (--wait-lock): 130/143, not an I/O failure
                        ? new EnsembleOutcome(0, 0, total, true, null)
                        : new EnsembleOutcome(0, 0, total, false, (Error)opened);
                (held, file, done, fileParameters) = ((OutputLock?, FileStream, System.Collections.Generic.HashSet<long>, string?))opened;
            }
            var todo = req.Shard.Realizations(req.Realizations).Where(r => !done.Contains(r)).ToArray();
            long skipped = done.Count;

            var writeLock = new object();
            long written = 0;
            Error? failure = null;
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            void Fail(Error e)
            {
                lock (writeLock) failure ??= e;
                stop.Cancel();
            }

            void Emit(EnsembleLine.Parsed parsed, string text)
            {
                lock (writeLock)
                {
                    if (failure is not null) return;
                    fileParameters ??= parsed.ParameterKey;
                    if (parsed.ParameterKey != fileParameters)
                    {
                        failure = new InternalError($"internal error (a bug in ness): realization {parsed.Realization} produced parameters that " +
                            "differ from the other lines (a per-realization key missing from EnsembleLine.PerRealizationKeys?); not written", "");
                        stop.Cancel();
                        return;
                    }
                    if (file is not null)
                    {
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
                    else
                    {
                        stdout.Write(text + "\n");
                        stdout.Flush();
                    }
                    written++;
                }
            }

            progress.Run(total, skipped, tick =>
            {
                long next = -1;
                void Work()
                {
                    try { WorkLoop(); }
                    catch (Exception e) { Fail(Exit.Internal(e)); }
                }
                void WorkLoop()
                {
                    while (!stop.IsCancellationRequested)
                    {
                        long i = Interlocked.Increment(ref next);
                        if (i >= todo.Length) return;
                        long r = todo[i];
                        Fin<JsonObject> result;
                        try { result = req.Model.Realize(req.Seed, r, stop.Token); }
                        catch (OperationCanceledException) when (stop.IsCancellationRequested) { return; }
                        catch (OutOfMemoryException) { result = new NumericsRefused($"realization {r}: out of memory; the problem is too large for this machine"); }
                        catch (Exception e) { result = Exit.Internal(e); }

                        if (result.IsFail)
                        {
                            if (stop.IsCancellationRequested) return; // interrupted: not done, redone on resume
                            Fail(WithRealization((Error)result, r));
                            return;
                        }
                        var line = EnsembleLine.Compose(req.Model, req.Seed, r, (JsonObject)result)
                            .Bind(l => EnsembleLine.Serialize(l).Map(text => (l, text)));
                        if (line.IsFail) { Fail((Error)line); return; }
                        var (obj, text) = ((JsonObject, string))line;
                        var parsed = new EnsembleLine.Parsed(r, req.Seed, req.Model.Name, obj);
                        try { Emit(parsed, text); }
                        catch (IOException e)
                        {
                            Fail(new IoFailure($"cannot write {req.Where}: {e.Message}" +
                                (req.Resumable ? "; the lines written before are intact: rerun the same command to resume" : "")));
                            return;
                        }
                        tick();
                    }
                }
                int k = (int)Math.Max(1, Math.Min(req.Threads, todo.Length));
                var threads = Enumerable.Range(0, k)
                    .Select(j => new Thread(Work) { IsBackground = true, Name = $"ensemble-{j}" }).ToList();
                foreach (var t in threads) t.Start();
                foreach (var t in threads) t.Join();
            });

            bool interrupted = failure is null && written + skipped < total && ct.IsCancellationRequested;
            return new EnsembleOutcome(written, skipped, total, interrupted, failure);
        }
        finally
        {
            file?.Dispose();
            held?.Dispose();
        }
    }

    static Error WithRealization(Error e, long r) =>
        e.Message.Contains("realization", StringComparison.OrdinalIgnoreCase) ? e
        : e is BadInput b ? new BadInput(b.Flag, $"realization {r}: {b.Detail}")
        : e is NumericsRefused ? new NumericsRefused($"realization {r}: {e.Message}")
        : e is InternalError ie ? new InternalError($"realization {r}: {ie.Detail}", ie.Trace)
        : e;

    /// <summary>Opens (creating if needed) --out exclusively, checks it against this run, drops a torn
    /// last line. The file is only modified (truncated) once all checks have passed.</summary>
    static Fin<(OutputLock?, FileStream, System.Collections.Generic.HashSet<long>, string?)> OpenForResume(EnsembleRequest req, string path,
                                                                                            TextWriter log, CancellationToken ct)
    {
        if (Directory.Exists(path))
            return new BadInput("--out", $"'{path}' is a directory; give a file name (e.g. {Path.Combine(path, "ensemble.jsonl")})");
        if (Path.GetFullPath(path).StartsWith("/dev/", StringComparison.Ordinal))
        {
            // a device (/dev/stdout, /dev/null, ...): written as a stream, without lock file or resume
            try { return (null, new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0), [], null); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
            {
                return OutputLock.Cannot("--out", path, "write", e);
            }
        }
        var acquired = OutputLock.Acquire(path, path + ".lock", "--out", req.WaitLock, log, ct);
        if (acquired.IsFail) return (Error)acquired;
        var held = (OutputLock)acquired;
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
        try
        {
            var bytes = new byte[fs.Length];
            fs.ReadExactly(bytes);
            var checkedScan =
                from scan in EnsembleFile.Read("--out", path, bytes)
                from done in EnsembleFile.CheckResume(path, scan, req.Model, req.Seed, req.Realizations, req.Shard)
                select (scan, done);
            if (checkedScan.IsFail) { fs.Dispose(); held.Dispose(); return (Error)checkedScan; }
            var (s, d) = ((EnsembleFile.Scan, System.Collections.Generic.HashSet<long>))checkedScan;
            if (s.Torn is not null)
            {
                log.WriteLine($"ness: {path}: dropping the torn last line ({s.Torn}); that realization will be redone");
                fs.SetLength(s.KeepBytes);
                fs.Flush(flushToDisk: true);
            }
            fs.Seek(0, SeekOrigin.End);
            if (d.Count > 0)
                log.WriteLine($"ness: {path}: resuming, {d.Count} realization(s) already complete");
            return (held, fs, d, s.Lines.Count > 0 ? s.Lines[0].Parsed.ParameterKey : null);
        }
        catch (IOException e)
        {
            fs.Dispose();
            held.Dispose();
            return OutputLock.Cannot("--out", path, "read", e);
        }
    }
}
