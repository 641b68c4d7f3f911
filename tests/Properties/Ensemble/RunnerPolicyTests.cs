using System.Text.Json.Nodes;
using Ness.Cli.Ensemble;
using Ness.Cli.Reproduce;
using Ness.Pipeline;
using Ness.Pipeline.Ensemble;

namespace Ness.Tests.Ensemble;

/// <summary>The one realization runner (<see cref="RealizationRunner"/>) of `ensemble` and `reproduce`: its refusal
/// policy (go on, or stop at the first refusal), and `reproduce` resuming a data directory of an older ness whose
/// refusals were kept in a sidecar file.</summary>
public sealed class RunnerPolicyTests
{
    /// <summary>The fermion model of <see cref="Ensembles.Fermion"/> with realization 2 refused by the numerics; counts
    /// the realizations it is asked for.</summary>
    static (EnsembleModel Model, Func<int> Calls) Refusing()
    {
        var m = Ensembles.Fermion(length: 4);
        int calls = 0;
        return (m with
        {
            Realize = (s, r, ct) =>
            {
                Interlocked.Increment(ref calls);
                return r == 2 ? new NumericsRefused("not certified: test") : m.Realize(s, r, ct);
            },
        }, () => calls);
    }

    static List<EnsembleLine.Parsed> RunAll(EnsembleModel m, RunPolicy policy, out Tally tally)
    {
        var lines = new List<EnsembleLine.Parsed>();
        using var nowhere = LineFile.Nowhere();
        tally = RealizationRunner.Run(m, 7, [0, 1, 2, 3, 4], 1, policy, nowhere, l => { lock (lines) lines.Add(l); }, CancellationToken.None);
        return lines;
    }

    [Fact]
    public void Going_on_records_the_refusal_and_computes_every_realization()
    {
        var (m, calls) = Refusing();
        var lines = RunAll(m, RunPolicy.GoOn, out var t);
        Assert.Equal([0L, 1, 2, 3, 4], lines.Select(l => l.Realization));
        Assert.Equal(5, t.Written);
        Assert.Equal(1, t.Refused);
        Assert.False(t.StoppedAtRefusal);
        Assert.True(t.Failure.IsNone);
        Assert.Equal(5, calls());
        var two = lines.Single(l => l.Realization == 2);
        Assert.True(two.IsRefused);
        Assert.Equal("not certified: test", (string)two.Line[EnsembleLine.RefusedKey]!);
        Assert.All(lines.Where(l => l.Realization != 2), l => Assert.False(l.IsRefused));
    }

    [Fact]
    public void Stopping_at_a_refusal_records_it_and_starts_no_further_realization()
    {
        var (m, calls) = Refusing();
        var lines = RunAll(m, new RunPolicy(StopAtRefusal: true), out var t);
        Assert.Equal([0L, 1, 2], lines.Select(l => l.Realization));
        Assert.True(lines[2].IsRefused);
        Assert.Equal(3, t.Written);
        Assert.Equal(1, t.Refused);
        Assert.True(t.StoppedAtRefusal);
        Assert.True(t.Failure.IsNone);
        Assert.Equal(3, calls());
    }

    /// <summary>An older `reproduce` kept refusals in DATA/….refused.jsonl: they are adopted as refusal lines of the data
    /// file (not computed again, listed as refused, counted as resumed) and the sidecar is removed.</summary>
    [Fact]
    public void Reproduce_adopts_the_refusal_sidecar_of_an_older_ness()
    {
        var (m, calls) = Refusing();
        using var data = Ensembles.TempDir();
        var file = Path.Combine(data, Realizer.FileName(m, 7));
        // the older layout: certified lines in the file, the refusal beside it (and a torn last sidecar line)
        var first = new Realizer(1, TextWriter.Null, data).Run("first", m, 7, 4);
        var lines = File.ReadAllLines(file).Where(l => !l.Contains("\"refused\"")).ToArray();
        File.WriteAllText(file, string.Join("\n", lines) + "\n");
        var sidecar = Path.ChangeExtension(file, ".refused.jsonl");
        File.WriteAllText(sidecar, new JsonObject { ["realization"] = 2, ["reason"] = "not certified: old" }.ToJsonString() + "\n{\"realiz");
        int before = calls();

        var log = new StringWriter();
        var realizer = new Realizer(1, log, data);
        var b = realizer.Run("second", m, 7, 4);
        Assert.Equal(before, calls());                       // nothing computed again
        Assert.Equal(0, realizer.Computed);
        Assert.Equal(4, realizer.Resumed);
        Assert.Equal(1, realizer.Refused);
        Assert.Equal((2L, "not certified: old"), b.Refused.Single());
        Assert.Equal(first.Lines.Select(l => l.Realization), b.Lines.Select(l => l.Realization));
        Assert.False(File.Exists(sidecar));
        var refusal = File.ReadAllLines(file).Select(l => JsonNode.Parse(l)!).Single(l => l["refused"] is not null);
        Assert.Equal(2, (long)refusal["realization"]!);
        Assert.Equal("not certified: old", (string)refusal["refused"]!);
        Assert.Contains("realization 2 refused by the numerics: not certified: old", log.ToString());
    }
}
