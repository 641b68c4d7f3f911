using System.Text;
using System.Text.Json.Nodes;
using LanguageExt;
using Ness.Cli.Ensemble;
using Ness.Pipeline;
using Ness.Pipeline.Ensemble;
using Ness.Pipeline.Fermion;

namespace Ness.Tests.Ensemble;

/// <summary>Ensemble models (the real ones, optionally slowed down) and file helpers for the ensemble tests.</summary>
static class Ensembles
{
    public static FermionEnsembleOptions FermionOptions(double w = 2, int length = 6) =>
        new(length, w, 1, 1, [3, 1, 2, 1], FermionSolver.Auto);

    public static EnsembleModel Fermion(double w = 2, int length = 6) => Models.Fermion(FermionOptions(w, length));

    /// <summary>The model with a pseudo-random delay per realization (scrambles completion
    /// order across threads) and, optionally, cancellation honoured during the delay.</summary>
    public static EnsembleModel Jittered(EnsembleModel m, int maxMs = 5) => m with
    {
        Realize = (s, r, ct) =>
        {
            Thread.Sleep((int)((r * 7919) % (maxMs + 1)));
            return m.Realize(s, r, ct);
        },
    };

    public static EnsembleModel Slow(EnsembleModel m, int ms) => m with
    {
        Realize = (s, r, ct) => ct.WaitHandle.WaitOne(ms)
            ? Prelude.FinFail<Solution>(new NumericsRefused("cancelled"))
            : m.Realize(s, r, ct),
    };

    public static EnsembleOutcome Run(EnsembleModel m, long n, long seed, Shard shard, string? outPath, int threads,
                                      StringWriter? stdout = null, StringWriter? log = null, CancellationToken ct = default,
                                      IEnsembleProgress? progress = null, bool retryRefused = false) =>
        EnsembleRunner.Run(new EnsembleRequest(m, seed, n, shard, Prelude.Optional(outPath), threads, RetryRefused: retryRefused),
            stdout ?? new StringWriter(), log ?? new StringWriter(), progress ?? new SilentProgress(), ct);

    /// <summary>Lines of JSONL text sorted by realization, each without its wall-clock time
    /// (diagnostics.seconds, the one field that legitimately differs between identical runs).</summary>
    public static List<string> SortedLines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => WithoutTiming(JsonNode.Parse(l)!))
            .OrderBy(o => (long)o["realization"]!)
            .Select(o => o.ToJsonString())
            .ToList();

    /// <summary>The object without diagnostics.seconds.</summary>
    public static JsonNode WithoutTiming(JsonNode o)
    {
        (o["diagnostics"] as JsonObject)?.Remove("seconds");
        return o;
    }

    public static List<string> SortedFileLines(string path) => SortedLines(File.ReadAllText(path, Encoding.UTF8));

    public static string TempDir()
    {
        var d = Path.Combine(Path.GetTempPath(), "ness-ensemble-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(d);
        return d;
    }
}
