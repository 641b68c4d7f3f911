using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using LanguageExt.Common;
using Ness.Cli.Ensemble;
using Ness.Pipeline.Ensemble;

namespace Ness.Cli.Reproduce;

/// <summary>
/// The ensembles of <c>ness reproduce</c>: realizations 0..N-1 of an ensemble, computed by the one realization runner
/// of <c>ness ensemble</c> (<see cref="RealizationRunner"/>: the same (seed, r) → disorder mapping, so a figure's data
/// equal those of <c>ness ensemble</c> with the same options and seed; a refused realization is recorded as a line
/// with its reason, counted, reported on stderr and the run goes on). Results are cached by (parameters, seed, r), so
/// figures that share an ensemble (Fig. 3/4/5, Fig. 6/7/Table 1/Fig. 8) compute it once per <c>reproduce</c> run.
/// <para>With a data directory every ensemble is kept as <c>DATA/&lt;model&gt;-L&lt;length&gt;-&lt;hash&gt;.jsonl</c>,
/// an ensemble file (<see cref="LineFile.OpenData"/>: <c>ness aggregate</c> reads it, <c>ness ensemble --out</c>
/// resumes it), each line flushed as soon as its realization completes. A later run reads it and computes only the
/// realizations it does not hold: an interrupted run loses at most the realizations in flight.</para>
/// <para>When <c>ct</c> is cancelled (SIGINT/SIGTERM) no new realization is started, those in flight stop at their
/// solver's next checkpoint or finish and are written, and <see cref="Run"/> throws
/// <see cref="OperationCanceledException"/>; a failure that stops the runner (I/O, a bug) is thrown as
/// <see cref="Failed"/>.</para>
/// </summary>
public sealed class Realizer(int threads, TextWriter log, string? dataDir = null, CancellationToken ct = default)
{
    readonly ConcurrentDictionary<(string, long, long), EnsembleLine.Parsed> cache = new();
    public int Computed, Refused, Resumed;

    /// <summary>A failure that stopped the runner (<see cref="Tally.Failure"/>): reported as it is.</summary>
    public sealed class Failed(Error error) : Exception(error.Message)
    {
        public Error Error { get; } = error;
    }

    /// <summary>The data file of an ensemble: model, length (chains) or shape (boxes) and a hash of the canonical parameters
    /// and seed.</summary>
    public static string FileName(EnsembleModel model, long seed)
    {
        var key = EnsembleLine.Canonical(Parameters(model)) + "|seed=" + seed;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..12];
        var length = model.Parameters.TryGetValue("length", out var l) && l is not null ? $"-L{l.ToJsonString()}"
                   : model.Parameters.TryGetValue("shape", out var sh) && sh is JsonArray box ? $"-S{string.Join("x", box.Select(e => e!.ToJsonString()))}"
                   : "";
        return $"{model.Name}{length}-{hash}.jsonl";
    }

    static JsonObject Parameters(EnsembleModel model) =>
        new(model.Parameters.Select(kv => KeyValuePair.Create(kv.Key, kv.Value?.DeepClone())));

    public Batch Run(string label, EnsembleModel model, long seed, long count)
    {
        ct.ThrowIfCancellationRequested();
        var key = EnsembleLine.Canonical(Parameters(model));
        var sw = Stopwatch.StartNew();
        var results = new EnsembleLine.Parsed?[count];
        for (long r = 0; r < count; r++)
            if (cache.TryGetValue((key, seed, r), out var hit)) results[r] = hit;
        long reused = results.Count(x => x is not null);
        using var file = Open(model, seed);
        long resumed = Resume(file, key, seed, results);
        var todo = Enumerable.Range(0, (int)count).Select(r => (long)r).Where(r => results[r] is null).ToArray();
        long done = count - todo.Length;
        var lastReport = sw.Elapsed;
        var gate = new object();
        void Report()
        {
            lock (gate)
            {
                lastReport = sw.Elapsed;
                log.WriteLine($"reproduce: {label}: {done}/{count} realizations, {sw.Elapsed.TotalSeconds:F0} s");
            }
        }
        // heartbeat: slow realizations (fermion L >= 8 with the direct solver) would otherwise be silent for minutes
        using var heartbeat = new Timer(_ => { if (sw.Elapsed - lastReport >= TimeSpan.FromSeconds(30)) Report(); },
                                        null, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30));
        var tally = RealizationRunner.Run(model, seed, todo, AtOnce(label, model), RunPolicy.GoOn, file, line =>
        {
            results[line.Realization] = line;
            cache[(key, seed, line.Realization)] = line;
            Interlocked.Increment(ref Computed);   // counted at once: an interrupted run reports it too
            Interlocked.Increment(ref done);
            if (sw.Elapsed - lastReport > TimeSpan.FromSeconds(10)) Report();
        }, ct);
        if (tally.Failure.Case is Error e) throw new Failed(e);
        ct.ThrowIfCancellationRequested();
        return Collect(label, model, seed, results, $" ({tally.Written} computed, {resumed} read from {dataDir ?? "-"}, {reused} reused), {sw.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>No more realizations at once than the memory budget holds (weak coupling: 1.5 GB each at L = 14, 12 GB at
    /// L = 16): fewer threads rather than the out-of-memory killer.</summary>
    int AtOnce(string label, EnsembleModel model)
    {
        if (model.BytesPerRealization <= 0 || threads * model.BytesPerRealization <= Ness.Pipeline.MemoryBudget.Limit) return threads;
        int atOnce = (int)Math.Max(1, Math.Floor(Ness.Pipeline.MemoryBudget.Limit / model.BytesPerRealization));
        log.WriteLine($"reproduce: {label}: {atOnce} realization(s) at once instead of {threads}: each needs about " +
                      $"{Ness.Pipeline.MemoryBudget.GB(model.BytesPerRealization)}, the budget is {Ness.Pipeline.MemoryBudget.GB(Ness.Pipeline.MemoryBudget.Limit)}");
        return atOnce;
    }

    /// <summary>The data file of the ensemble (<see cref="LineFile.OpenData"/>), or nowhere without a data directory.
    /// A file of another ensemble, or damaged, is <see cref="InvalidDataException"/> (exit 2).</summary>
    LineFile Open(EnsembleModel model, long seed) =>
        dataDir is null ? LineFile.Nowhere()
        : LineFile.OpenData(Path.Combine(dataDir, FileName(model, seed)), model, seed, log).Match(
            Succ: f => f,
            Fail: e => e is Ness.Pipeline.BadInput ? throw new InvalidDataException(e.Message) : throw new Failed(e));

    /// <summary>The realizations below the count that the file holds and the cache does not (a certified line wins over a
    /// refusal of the same realization): into <paramref name="results"/> and the cache. Returns how many.</summary>
    long Resume(LineFile file, string key, long seed, EnsembleLine.Parsed?[] results)
    {
        var found = new Dictionary<long, EnsembleLine.Parsed>();
        foreach (var l in file.Lines)
            if (l.Realization < results.Length && results[l.Realization] is null
                && (!found.TryGetValue(l.Realization, out var had) || had.IsRefused))
                found[l.Realization] = l;
        foreach (var (r, l) in found)
        {
            results[r] = l;
            cache[(key, seed, r)] = l;
        }
        Interlocked.Add(ref Resumed, found.Count);
        return found.Count;
    }

    /// <summary>The batch of a complete run: certified lines and refusals, in realization order; the refusals
    /// reported and counted.</summary>
    Batch Collect(string label, EnsembleModel model, long seed, EnsembleLine.Parsed?[] results, string summary)
    {
        var good = new List<EnsembleLine.Parsed>();
        var refused = new List<(long, string)>();
        foreach (var p in results)
        {
            if (p is null) throw new InvalidOperationException($"{label}: a realization was neither computed nor refused");
            if (!p.IsRefused) { good.Add(p); continue; }
            var why = p.Line[EnsembleLine.RefusedKey]?.GetValue<string>() ?? "";
            refused.Add((p.Realization, why));
            log.WriteLine($"reproduce: {label}: realization {p.Realization} refused by the numerics: {why}");
        }
        Interlocked.Add(ref Refused, refused.Count);
        log.WriteLine($"reproduce: {label}: {good.Count}/{results.Length} realizations" +
            (refused.Count > 0 ? $", {refused.Count} refused" : "") + summary);
        return new Batch(label, model, seed, good, refused);
    }
}
