using Ness.Pipeline.Ensemble;

namespace Ness.Tests.Ensemble;

public class DeterminismTests
{
    const long N = 23, Seed = 12345;

    static List<string> Run(int threads, Shard shard)
    {
        var stdout = new StringWriter();
        var o = Ensembles.Run(Ensembles.Jittered(Ensembles.Fermion()), N, Seed, shard, null, threads, stdout);
        Assert.True(o.Complete, $"outcome {o}");
        return Ensembles.SortedLines(stdout.ToString());
    }

    [Fact]
    public void Results_do_not_depend_on_the_thread_count()
    {
        var one = Run(1, Shard.All);
        Assert.Equal(N, one.Count);
        Assert.Equal(one, Run(2, Shard.All));
        Assert.Equal(one, Run(3, Shard.All));
    }

    [Fact]
    public void The_union_of_shards_is_the_unsharded_run_line_by_line()
    {
        var whole = Run(2, Shard.All);
        foreach (int n in new[] { 2, 3, 5 })
        {
            var union = Enumerable.Range(1, n).SelectMany(i => Run(i % 3 + 1, new Shard(i, n)))
                .OrderBy(l => (long)System.Text.Json.Nodes.JsonNode.Parse(l)!["realization"]!).ToList();
            Assert.Equal(whole, union);
        }
    }

    [Fact]
    public void A_shard_larger_than_the_ensemble_is_empty_and_succeeds()
    {
        var stdout = new StringWriter();
        var o = Ensembles.Run(Ensembles.Fermion(), 2, Seed, new Shard(3, 4), null, 2, stdout);
        Assert.True(o.Complete);
        Assert.Equal(0, o.Total);
        Assert.Equal("", stdout.ToString());
    }

    [Fact]
    public void Each_line_is_the_single_run_object_plus_realization_seed_and_ensemble()
    {
        var m = Ensembles.Fermion();
        var line = System.Text.Json.Nodes.JsonNode.Parse(Run(1, Shard.All)[4])!.AsObject();
        var single = (System.Text.Json.Nodes.JsonObject)Ensembles.WithoutTiming(Ness.Cli.Json.LineJson.Of(m.Realize(Seed, 4, default).Match(s => s, e => throw new Xunit.Sdk.XunitException(e.Message))));
        Assert.Equal(4, (long)line["realization"]!);
        Assert.Equal(Seed, (long)line["seed"]!);
        Assert.Equal(EnsembleLine.Canonical(EnsembleFile.Options(m)), EnsembleLine.Canonical(line["ensemble"]));
        foreach (var (k, v) in single) Assert.Equal(EnsembleLine.Canonical(v), EnsembleLine.Canonical(line[k]));
        // the disorder of realization r is Disorder.Uniform(seed, r, ...)
        var fields = Ness.Pipeline.Disorder.Uniform(Seed, 4, 6, -2, 2);
        Assert.Equal(fields, line["fields"]!.AsArray().Select(x => (double)x!).ToArray());
    }
}
