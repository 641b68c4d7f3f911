using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Ness.Pipeline;
using Ness.Pipeline.Ensemble;

namespace Ness.Tests.Ensemble;

public class ShardTests
{
    [Property(MaxTest = 200)]
    public bool Shards_partition_the_realizations(PositiveInt count, NonNegativeInt total)
    {
        int n = count.Get % 12 + 1;
        long N = total.Get % 200;
        var all = Enumerable.Range(1, n).SelectMany(i => new Shard(i, n).Realizations(N)).OrderBy(r => r).ToList();
        bool sizes = Enumerable.Range(1, n).All(i => new Shard(i, n).Size(N) == new Shard(i, n).Realizations(N).LongCount());
        bool rule = Enumerable.Range(1, n).All(i => new Shard(i, n).Realizations(N).All(r => r % n == i - 1 && new Shard(i, n).Contains(r)));
        return sizes && rule && all.SequenceEqual(Enumerable.Range(0, (int)N).Select(r => (long)r));
    }

    [Theory]
    [InlineData("0/3")]
    [InlineData("4/3")]
    [InlineData("1/0")]
    [InlineData("2")]
    [InlineData("a/b")]
    [InlineData("1/2/3")]
    public void Bad_shards_are_refused_naming_the_flag(string text)
    {
        var r = Shard.Parse("--shard", text);
        Assert.True(r.IsFail);
        r.IfFail(e => { Assert.IsType<BadInput>(e); Assert.StartsWith("--shard:", e.Message); });
    }

    [Fact]
    public void Good_shard_parses() =>
        Assert.Equal(new Shard(2, 8), (Shard)Shard.Parse("--shard", " 2/8 "));
}
