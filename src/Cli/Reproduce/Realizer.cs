using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using LanguageExt;
using LanguageExt.Common;
using Ness.Pipeline;
using Ness.Pipeline.Ensemble;

namespace Ness.Cli.Reproduce;

/// <summary>
/// Runs realizations 0..N-1 of an ensemble on k threads, with the deterministic (seed, r) → disorder mapping
/// of <see cref="EnsembleModel.Realize"/> (so a figure's data equal those of <c>ness ensemble</c> with the same
/// options and seed). Unlike <c>ness ensemble</c> a refused realization does not stop the run: it is counted,
/// reported on stderr and returned. Results are cached by (parameters, seed, r), so figures that share an
/// ensemble (Fig. 3/4/5, Fig. 6/7/Table 1/Fig. 8) compute it once per <c>reproduce</c> run.
/// <para>With a data directory every ensemble is kept as <c>DATA/&lt;model&gt;-L&lt;length&gt;-&lt;hash&gt;.jsonl</c>
/// in the <c>ness ensemble</c> format (so <c>ness aggregate</c> reads it and <c>ness ensemble --out</c> resumes it),
/// each line appended and flushed as soon as its realization completes; refusals go to the sidecar
/// <c>….refused.jsonl</c> ({ "realization", "reason" } per line). A later run reads both and computes only the
/// realizations in neither: an interrupted run loses at most the realizations in flight.</para>
/// <para>When <c>ct</c> is cancelled (SIGINT/SIGTERM) no new realization is started, those in flight finish and are
/// written, and <see cref="Run"/> throws <see cref="OperationCanceledException"/>.</para>
/// </summary>
public sealed class Realizer(int threads, TextWriter log, string? dataDir = null, CancellationToken ct = default)
{
    readonly ConcurrentDictionary<(string, long, long), Fin<JsonObject>> cache = new();
    public int Computed, Refused, Resumed;

    /// <summary>The data file of an ensemble: model, length and a hash of the canonical parameters and seed.</summary>
    public static string FileName(EnsembleModel model, long seed)
    {
        var key = EnsembleLine.Canonical(Parameters(model)) + "|seed=" + seed;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..12];
        var length = model.Parameters.TryGetValue("length", out var l) && l is not null ? $"-L{l.ToJsonString()}" : "";
        return $"{model.Name}{length}-{hash}.jsonl";
    }

    static JsonObject Parameters(EnsembleModel model) =>
        new(model.Parameters.Select(kv => KeyValuePair.Create(kv.Key, kv.Value?.DeepClone())));

    public Batch Run(string label, EnsembleModel model, long seed, long count)
    {
        var key = EnsembleLine.Canonical(Parameters(model));
        var results = new Fin<JsonObject>[count];
        var fromFile = new Dictionary<long, Fin<JsonObject>>();
        FileStream? lines = null;
        Lazy<FileStream>? refusals = null;
        if (dataDir is not null)
        {
            var path = Path.Combine(dataDir, FileName(model, seed));
            (lines, refusals) = Open(path, key, seed, fromFile);
        }
        var delay = Seams.RealizationDelay;   // tests only: none in ness
        var sw = Stopwatch.StartNew();
        long done = 0, fresh = 0, resumed = 0;
        var lastReport = sw.Elapsed;
        var gate = new object();
        // heartbeat: slow realizations (fermion L >= 8 with the direct solver) would otherwise be silent for minutes
        using var heartbeat = new Timer(_ =>
        {
            lock (gate)
            {
                if (sw.Elapsed - lastReport < TimeSpan.FromSeconds(30)) return;
                lastReport = sw.Elapsed;
                log.WriteLine($"reproduce: {label}: {done}/{count} realizations, {sw.Elapsed.TotalSeconds:F0} s");
            }
        }, null, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30));
        try
        {
            // no more realizations at once than the memory budget holds (weak coupling: 1.5 GB each at L = 14,
            // 12 GB at L = 16): fewer threads rather than the out-of-memory killer
            int atOnce = threads;
            if (model.BytesPerRealization > 0 && threads * model.BytesPerRealization > MemoryBudget.Limit)
            {
                atOnce = (int)Math.Max(1, Math.Floor(MemoryBudget.Limit / model.BytesPerRealization));
                log.WriteLine($"reproduce: {label}: {atOnce} realization(s) at once instead of {threads}: each needs about " +
                              $"{MemoryBudget.GB(model.BytesPerRealization)}, the budget is {MemoryBudget.GB(MemoryBudget.Limit)}");
            }
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = atOnce, CancellationToken = ct }, r =>
            {
                bool hit = cache.TryGetValue((key, seed, r), out var result);
                if (!hit && fromFile.TryGetValue(r, out result))
                {
                    cache[(key, seed, r)] = result;
                    Interlocked.Increment(ref resumed);
                    Interlocked.Increment(ref Resumed);
                }
                else if (!hit)
                {
                    if (delay > TimeSpan.Zero) Thread.Sleep(delay);
                    try { result = model.Realize(seed, r, CancellationToken.None); }
                    catch (OutOfMemoryException) { result = new NumericsRefused("out of memory"); }
                    catch (Exception e) { result = new NumericsRefused($"{e.GetType().Name}: {e.Message}"); }
                    result = result.Bind(o => EnsembleLine.Compose(model, seed, r, o));
                    Keep(result, r, lines, refusals, gate);
                    cache[(key, seed, r)] = result;
                    Interlocked.Increment(ref fresh);
                    Interlocked.Increment(ref Computed);   // counted at once: an interrupted run reports it too
                }
                results[r] = result;
                lock (gate)
                {
                    done++;
                    if (sw.Elapsed - lastReport > TimeSpan.FromSeconds(10))
                    {
                        lastReport = sw.Elapsed;
                        log.WriteLine($"reproduce: {label}: {done}/{count} realizations, {sw.Elapsed.TotalSeconds:F0} s");
                    }
                }
            });
        }
        finally
        {
            lines?.Dispose();
            if (refusals is { IsValueCreated: true }) refusals.Value.Dispose();
        }
        var good = new List<EnsembleLine.Parsed>();
        var refused = new List<(long, string)>();
        for (long r = 0; r < count; r++)
        {
            if (results[r].IsSucc) good.Add(new EnsembleLine.Parsed(r, seed, model.Name, (JsonObject)results[r]));
            else
            {
                var msg = ((Error)results[r]).Message;
                refused.Add((r, msg));
                log.WriteLine($"reproduce: {label}: realization {r} refused by the numerics: {msg}");
            }
        }
        Interlocked.Add(ref Refused, refused.Count);
        log.WriteLine($"reproduce: {label}: {good.Count}/{count} realizations" +
            (refused.Count > 0 ? $", {refused.Count} refused" : "") +
            $" ({fresh} computed, {resumed} read from {dataDir ?? "-"}, {count - fresh - resumed} reused), {sw.Elapsed.TotalSeconds:F1} s");
        return new Batch(label, model, seed, good, refused);
    }

    /// <summary>Appends the line (or the refusal) and flushes it to disk, one write under the lock.</summary>
    static void Keep(Fin<JsonObject> result, long r, FileStream? lines, Lazy<FileStream>? refusals, object gate)
    {
        if (lines is null || refusals is null) return;
        var (isLine, text) = result.Match(
            o => (true, EnsembleLine.Serialize(o).IfFail(e => throw new InvalidOperationException(e.Message))),
            e => (false, new JsonObject { ["realization"] = r, ["reason"] = e.Message }.ToJsonString()));
        var bytes = Encoding.UTF8.GetBytes(text + "\n");
        lock (gate)
        {
            var file = isLine ? lines : refusals.Value;   // the sidecar is created at the first refusal
            file.Write(bytes);
            file.Flush(flushToDisk: true);
        }
    }

    /// <summary>Opens (creating) the data file and its refusal sidecar for appending, after reading what they hold
    /// into <paramref name="known"/>. A torn last line (a run killed mid-write) is cut off. A line of another
    /// ensemble, or a damaged line elsewhere, is refused: <see cref="InvalidDataException"/>.</summary>
    static (FileStream, Lazy<FileStream>) Open(string path, string key, long seed, Dictionary<long, Fin<JsonObject>> known)
    {
        var lines = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        var bytes = new byte[lines.Length];
        lines.ReadExactly(bytes);
        var scan = EnsembleFile.Read("--out", path, bytes);
        if (scan.IsFail) { lines.Dispose(); throw new InvalidDataException(((Error)scan).Message); }
        var s = (EnsembleFile.Scan)scan;
        foreach (var l in s.Lines)
        {
            var p = l.Parsed;
            if (p.Seed != seed || EnsembleLine.Canonical(p.Line[EnsembleLine.EnsembleKey]) != key)
            {
                lines.Dispose();
                throw new InvalidDataException($"{path} line {l.Number} belongs to another ensemble (seed or options differ); remove the file");
            }
            known[p.Realization] = p.Line;
        }
        lines.SetLength(s.KeepBytes);
        lines.Seek(0, SeekOrigin.End);

        var sidecar = Path.ChangeExtension(path, ".refused.jsonl");
        long keep = 0;
        if (File.Exists(sidecar))
        {
            foreach (var line in File.ReadAllText(sidecar, Encoding.UTF8).Split('\n'))
            {
                // the last piece is "" after a complete file, or a torn line (cut off below)
                try
                {
                    if (JsonNode.Parse(line) is JsonObject o && o["realization"]?.GetValue<long>() is long r && o["reason"]?.GetValue<string>() is string why)
                    {
                        if (!known.ContainsKey(r)) known[r] = new NumericsRefused(why);
                        keep += Encoding.UTF8.GetByteCount(line) + 1;
                        continue;
                    }
                }
                catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException) { }
                break;
            }
        }
        return (lines, new Lazy<FileStream>(() =>
        {
            var f = new FileStream(sidecar, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
            f.SetLength(Math.Min(keep, f.Length));
            f.Seek(0, SeekOrigin.End);
            return f;
        }));
    }
}
