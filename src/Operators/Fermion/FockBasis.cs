namespace Ness.Operators.Fermion;

/// <summary>
/// The Fock basis of L spinless fermion modes. A basis state is a bit string s with bit x−1 = n_x
/// (site x = 1..L). States are grouped by particle number N: block n holds the C(L, n) strings with
/// popcount n in increasing order; <see cref="IndexInBlock"/>[s] is the position of s in its block.
/// </summary>
public sealed class FockBasis
{
    public int Length { get; }
    /// <summary>Blocks[n] = the bit strings with n particles, ascending.</summary>
    public IReadOnlyList<int[]> Blocks { get; }
    /// <summary>Position of each bit string inside its particle-number block.</summary>
    public int[] IndexInBlock { get; }

    FockBasis(int length, int[][] blocks, int[] indexInBlock) =>
        (Length, Blocks, IndexInBlock) = (length, blocks, indexInBlock);

    public static FockBasis Create(int L)
    {
        if (L < 1 || L > 30) throw new ArgumentOutOfRangeException(nameof(L), L, "1 <= L <= 30");
        var lists = Enumerable.Range(0, L + 1).Select(_ => new List<int>()).ToArray();
        var index = new int[1 << L];
        for (int s = 0; s < 1 << L; s++)
        {
            var block = lists[System.Numerics.BitOperations.PopCount((uint)s)];
            index[s] = block.Count;
            block.Add(s);
        }
        return new FockBasis(L, lists.Select(b => b.ToArray()).ToArray(), index);
    }

    public int Dimension => 1 << Length;

    /// <summary>Dimension of the q = N_ket − N_bra = 0 sector of operator space: sum_n C(L,n)^2 = C(2L, L).</summary>
    public long SectorDimension => Blocks.Sum(b => (long)b.Length * b.Length);

    /// <summary>n_x of the bit string s (site x = 1..L).</summary>
    public static int Occupation(int s, int x) => (s >> (x - 1)) & 1;

    /// <summary>The nonvanishing hops a+_x a_{x+1} |s&gt; of the hopping term (x, target position in the block, sign).</summary>
    public Hops Hops(int s) => new(this, s);

    /// <summary>Jordan–Wigner sign (−1)^(number of occupied sites y &lt; x).</summary>
    public static int StringSign(int s, int x) =>
        (System.Numerics.BitOperations.PopCount((uint)(s & ((1 << (x - 1)) - 1))) & 1) == 0 ? 1 : -1;
}
