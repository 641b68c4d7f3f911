using System.Globalization;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Ness.Pipeline.Ensemble;

/// <summary>Shard i of n (1-based): realizations r with r mod n = i - 1. Shard 1/1 is the whole ensemble.</summary>
public sealed record Shard(int Index, int Count)
{
    public static readonly Shard All = new(1, 1);

    public const int MaxCount = 1_000_000;

    public static Fin<Shard> Parse(string flag, string text)
    {
        var parts = text.Trim().Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var i)
            || !int.TryParse(parts[1].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
            return new BadInput(flag, $"'{text}' is not of the form i/n (shard i of n, e.g. 2/8)");
        if (n < 1 || n > MaxCount)
            return new BadInput(flag, $"shard count {n} is out of range; allowed: 1..{MaxCount}");
        if (i < 1 || i > n)
            return new BadInput(flag, $"shard index {i} is out of range; allowed: 1..{n} (shards are numbered from 1)");
        return new Shard(i, n);
    }

    public bool Contains(long realization) => realization >= 0 && realization % Count == Index - 1;

    /// <summary>The realizations of this shard among 0..total-1, in increasing order.</summary>
    public IEnumerable<long> Realizations(long total)
    {
        for (long r = Index - 1; r < total; r += Count) yield return r;
    }

    public long Size(long total) => total <= Index - 1 ? 0 : (total - Index) / Count + 1;

    public override string ToString() => $"{Index}/{Count}";
}
