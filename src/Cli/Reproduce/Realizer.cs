using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using LanguageExt;
using LanguageExt.Common;
using Ness.Pipeline.Ensemble;

namespace Ness.Cli.Reproduce;

/// <summary>
/// Runs realizations 0..N-1 of an ensemble on k threads, with the deterministic (seed, r) → disorder mapping
/// of <see cref="EnsembleModel.Realize"/> (so a figure's data equal those of <c>ness ensemble</c> with the same
/// options and seed). Unlike <c>ness ensemble</c> a refused realization does not stop the run: it is counted,
/// reported on stderr and returned. Results are cached by (parameters, seed, r), so figures that share an
/// ensemble (Fig. 3/4/5, Fig. 6/7/Table 1/Fig. 8) compute it once per <c>reproduce</c> run.
/// </summary>
public sealed class Realizer(int threads, TextWriter log)
{
    readonly ConcurrentDictionary<(string, long, long), Fin<JsonObject>> cache = new();
    public int Computed, Refused;

    public Batch Run(string label, EnsembleModel model, long seed, long count)
    {
        var key = EnsembleLine.Canonical(new JsonObject(model.Parameters.Select(kv => KeyValuePair.Create(kv.Key, kv.Value?.DeepClone()))));
        var results = new Fin<JsonObject>[count];
        var sw = Stopwatch.StartNew();
        long done = 0, fresh = 0;
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
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = threads }, r =>
        {
            bool hit = cache.TryGetValue((key, seed, r), out var result);
            if (!hit)
            {
                try { result = model.Realize(seed, r, CancellationToken.None); }
                catch (OutOfMemoryException) { result = new Pipeline.NumericsRefused("out of memory"); }
                catch (Exception e) { result = new Pipeline.NumericsRefused($"{e.GetType().Name}: {e.Message}"); }
                result = result.Bind(o => EnsembleLine.Compose(model, seed, r, o));
                cache[(key, seed, r)] = result;
                Interlocked.Increment(ref fresh);
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
        var lines = new List<EnsembleLine.Parsed>();
        var refused = new List<(long, string)>();
        for (long r = 0; r < count; r++)
        {
            if (results[r].IsSucc) lines.Add(new EnsembleLine.Parsed(r, seed, model.Name, (JsonObject)results[r]));
            else
            {
                var msg = ((Error)results[r]).Message;
                refused.Add((r, msg));
                log.WriteLine($"reproduce: {label}: realization {r} refused by the numerics: {msg}");
            }
        }
        Interlocked.Add(ref Computed, (int)fresh);
        Interlocked.Add(ref Refused, refused.Count);
        log.WriteLine($"reproduce: {label}: {lines.Count}/{count} realizations" +
            (refused.Count > 0 ? $", {refused.Count} refused" : "") +
            $" ({fresh} computed, {count - fresh} reused), {sw.Elapsed.TotalSeconds:F1} s");
        return new Batch(label, model, seed, lines, refused);
    }
}
