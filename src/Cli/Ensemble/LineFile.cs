using System.Text;
using System.Text.Json.Nodes;
using LanguageExt;
using LanguageExt.Common;
using Ness.Pipeline;
using Ness.Pipeline.Ensemble;
using static LanguageExt.Prelude;

namespace Ness.Cli.Ensemble;

/// <summary>
/// Where the lines of a run go: <c>ness ensemble --out FILE</c> (locked, resumed), a device or stdout, a data file of
/// <c>ness reproduce</c> (DIR/data, resumed; the directory lock is the lock), or nowhere (tests). Opening a file reads
/// what it holds (every line checked as a typed realization of this run: a damaged line is exit 2 naming the file, the
/// line and the field), drops a torn last line, and keeps the realizations already done; the file is only modified
/// once all checks have passed. <see cref="Append"/> writes one whole line and flushes it to disk.
/// </summary>
public sealed class LineFile : IDisposable
{
    readonly OutputLock? held;
    readonly FileStream? file;
    readonly TextWriter? stdout;
    readonly List<EnsembleLine.Parsed> lines;

    LineFile(string where, bool resumable, OutputLock? held, FileStream? file, TextWriter? stdout, Opened opened)
    {
        (Where, Resumable, this.held, this.file, this.stdout) = (where, resumable, held, file, stdout);
        (Done, RefusedDone, Parameters, lines) = (opened.Done, opened.Refused, opened.Parameters, opened.Lines);
    }

    /// <summary>What an opened file holds: the realizations done, how many of those were refused, the parameters of its
    /// certified lines, and its lines in file order.</summary>
    sealed record Opened(System.Collections.Generic.HashSet<long> Done, long Refused, Option<string> Parameters,
                         List<EnsembleLine.Parsed> Lines)
    {
        public static Opened Empty => new([], 0, None, []);
    }

    /// <summary>The output, for messages (a file name, "stdout").</summary>
    public string Where { get; }

    /// <summary>A rerun resumes from this output (a file, not stdout or a device).</summary>
    public bool Resumable { get; }

    /// <summary>The realizations already in the file: certified, and refused unless they are retried.</summary>
    public System.Collections.Generic.HashSet<long> Done { get; }

    /// <summary>How many of <see cref="Done"/> were refused by the numerics.</summary>
    public long RefusedDone { get; }

    /// <summary>The parameters of the file's certified lines (<see cref="EnsembleLine.Parsed.ParameterKey"/>), if any.</summary>
    public Option<string> Parameters { get; }

    /// <summary>The complete lines the file held when opened, in file order.</summary>
    public IReadOnlyList<EnsembleLine.Parsed> Lines => lines;

    /// <summary>Lines written nowhere (a run whose results are only kept in memory).</summary>
    public static LineFile Nowhere() => new("-", false, null, null, null, Opened.Empty);

    public void Append(string text)
    {
        if (file is null)
        {
            stdout?.Write(text + "\n");
            stdout?.Flush();
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

    /// <summary>The output of <c>ness ensemble</c>: --out (locked, resumed) or stdout.</summary>
    public static Fin<LineFile> Open(EnsembleRequest req, TextWriter stdout, TextWriter log, CancellationToken ct) =>
        req.OutPath.Match(
            Some: path => Directory.Exists(path)
                ? FinFail<LineFile>(new BadInput("--out", $"'{path}' is a directory; give a file name (e.g. {Path.Combine(path, "ensemble.jsonl")})"))
                : Path.GetFullPath(path).StartsWith("/dev/", StringComparison.Ordinal) ? Device(path, stdout)
                : Resume(req, path, log, ct),
            None: () => FinSucc(new LineFile("stdout", false, null, null, stdout, Opened.Empty)));

    /// <summary>A device (/dev/stdout, /dev/null, ...): written as a stream, without lock file or resume.</summary>
    static Fin<LineFile> Device(string path, TextWriter stdout)
    {
        try { return new LineFile(path, false, null, new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0), stdout, Opened.Empty); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return OutputLock.Cannot("--out", path, "write", e);
        }
    }

    /// <summary>Opens (creating if needed) --out exclusively (its lock file), checks it against this run.</summary>
    static Fin<LineFile> Resume(EnsembleRequest req, string path, TextWriter log, CancellationToken ct) =>
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
            var opened = Check(path, fs, req.Model, req.Seed, req.Realizations, req.Shard, req.RetryRefused, log, tell: true);
            if (opened.IsFail) { fs.Dispose(); held.Dispose(); }
            return opened.Map(c => new LineFile(path, true, held, fs, null, c));
        });

    /// <summary>
    /// A data file of <c>ness reproduce</c> (DIR/data/…jsonl, the directory is locked by the caller): any realization
    /// number of this ensemble may be in it (figures take different counts of one ensemble); refused realizations are
    /// not retried. The refusals of an older ness, kept in the sidecar <c>….refused.jsonl</c>, are moved into the file
    /// as refusal lines (and the sidecar removed), so that a directory of an older ness resumes.
    /// </summary>
    public static Fin<LineFile> OpenData(string path, EnsembleModel model, long seed, TextWriter log)
    {
        FileStream fs;
        try { fs = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return OutputLock.Cannot("--out", path, "write", e);
        }
        var opened = Check(path, fs, model, seed, long.MaxValue, Shard.All, retryRefused: false, log, tell: false)
            .Map(c => new LineFile(path, true, null, fs, null, c));
        return opened.Match(
            Succ: f =>
            {
                try { f.Adopt(Path.ChangeExtension(path, ".refused.jsonl"), model, seed); return FinSucc(f); }
                catch (IOException e) { f.Dispose(); return OutputLock.Cannot("--out", path, "write", e); }
            },
            Fail: e => { fs.Dispose(); return FinFail<LineFile>(e); });
    }

    /// <summary>The refusals of an older <c>reproduce</c>'s sidecar ({ "realization", "reason" } per line; a torn last
    /// line ignored) that the file does not hold, appended as refusal lines; then the sidecar is removed.</summary>
    void Adopt(string sidecar, EnsembleModel model, long seed)
    {
        if (!File.Exists(sidecar)) return;
        foreach (var text in File.ReadAllText(sidecar, Encoding.UTF8).Split('\n'))
        {
            long r; string why;
            try
            {
                if (JsonNode.Parse(text) is not JsonObject o || o["realization"]?.GetValue<long>() is not long rr
                    || o["reason"]?.GetValue<string>() is not string w) break;
                (r, why) = (rr, w);
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException) { break; }
            if (Done.Contains(r)) continue;
            var line = Json.LineJson.Refusal(model, seed, r, why);
            Append(line.ToJsonString());
            Done.Add(r);
            lines.Add(new EnsembleLine.Parsed(r, seed, model.Name, line));
        }
        File.Delete(sidecar);
    }

    /// <summary>Reads the file, checks every line against this run (<see cref="EnsembleFile.CheckResume"/>) and as a
    /// typed realization, then drops a torn last line and seeks to the end.</summary>
    static Fin<Opened> Check(string path, FileStream fs, EnsembleModel model, long seed, long total, Shard shard, bool retryRefused,
                             TextWriter log, bool tell)
    {
        try
        {
            var bytes = new byte[fs.Length];
            fs.ReadExactly(bytes);
            return
                from scan in EnsembleFile.Read("--out", path, bytes)
                from _ in scan.Lines.Select(l => Json.RealizationJson.Read("--out", $"{path} line {l.Number}", l.Parsed)).ToSeq().Sequence()
                from done in EnsembleFile.CheckResume(path, scan, model, seed, total, shard, retryRefused)
                select Truncate(path, fs, scan, done, log, tell);
        }
        catch (IOException e)
        {
            return OutputLock.Cannot("--out", path, "read", e);
        }
    }

    static Opened Truncate(string path, FileStream fs, EnsembleFile.Scan s, EnsembleFile.Resumed d, TextWriter log, bool tell)
    {
        if (s.Torn is not null)
        {
            log.WriteLine($"ness: {path}: dropping the torn last line ({s.Torn}); that realization will be redone");
            fs.SetLength(s.KeepBytes);
            fs.Flush(flushToDisk: true);
        }
        fs.Seek(0, SeekOrigin.End);
        if (tell && d.Done.Count > 0)
            log.WriteLine($"ness: {path}: resuming, {d.Done.Count} realization(s) already done" +
                          (d.Refused > 0 ? $" ({d.Refused} of them refused by the numerics; --retry-refused computes those again)" : ""));
        if (tell && d.Retried > 0)
            log.WriteLine($"ness: {path}: --retry-refused: computing {d.Retried} refused realization(s) again");
        var first = s.Lines.Where(l => !l.Parsed.IsRefused).Select(l => l.Parsed.ParameterKey).HeadOrNone();
        return new Opened(d.Done, d.Refused, first, [.. s.Lines.Select(l => l.Parsed)]);
    }
}
