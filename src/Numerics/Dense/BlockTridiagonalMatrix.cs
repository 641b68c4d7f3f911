namespace Ness.Numerics.Dense;

/// <summary>
/// A square matrix stored by blocks: its unknowns, taken in the order <see cref="Order"/>, form consecutive blocks
/// b = 0..K−1, and a row of block b &lt; K − 1 has entries only in the blocks b − 1, b, b + 1; the last block's rows (the
/// border) may be full. Holds the diagonal blocks, the blocks above and below it and the border rows, each dense and
/// row-major, so that a matrix of dimension n costs sum_b s_b (s_b + s_{b−1} + s_{b+1}) + s_{K−1} n numbers instead of n².
/// Filled by <see cref="Add"/> in the caller's numbering of the unknowns; an entry outside the pattern is a bug and
/// throws. Factored by <see cref="BlockTridiagonalLU"/>.
/// </summary>
public sealed class BlockTridiagonalMatrix
{
    /// <summary>Position p holds the caller's unknown Order[p]; block b is the positions Start[b] .. Start[b + 1] − 1.</summary>
    public int[] Order { get; }
    public int[] Start { get; }
    public int N => Order.Length;
    public int Blocks => Start.Length - 1;

    readonly int[] blockOf, local;
    /// <summary>The diagonal blocks A[b, b]; the blocks above, A[b, b + 1], and below, A[b + 1, b], for b + 1 &lt; K − 1
    /// (below the last regular block is the border); the border rows A[K − 1, ·] in positions (s_{K−1} × n).</summary>
    internal readonly double[][] Diagonal, Above, Below;
    internal readonly double[] Border;

    BlockTridiagonalMatrix(int[] order, int[] start)
    {
        (Order, Start) = (order, start);
        int n = order.Length, K = start.Length - 1;
        blockOf = new int[n];
        local = new int[n];
        for (int b = 0; b < K; b++)
            for (int p = start[b]; p < start[b + 1]; p++) (blockOf[order[p]], local[order[p]]) = (b, p - start[b]);
        int S(int b) => start[b + 1] - start[b];
        Diagonal = new double[K][];
        for (int b = 0; b < K; b++) Diagonal[b] = new double[S(b) * S(b)];
        Above = new double[Math.Max(K - 1, 0)][];
        for (int b = 0; b + 1 < K; b++) Above[b] = new double[S(b) * S(b + 1)];
        Below = new double[Math.Max(K - 2, 0)][];
        for (int b = 0; b + 2 < K; b++) Below[b] = new double[S(b + 1) * S(b)];
        Border = new double[S(K - 1) * n];
    }

    /// <summary>An all-zero matrix whose unknowns in the order <paramref name="order"/> (a permutation of 0..n−1) form
    /// blocks of the sizes <paramref name="sizes"/> (each ≥ 1, adding up to n).</summary>
    public static BlockTridiagonalMatrix Create(int[] order, int[] sizes)
    {
        int n = order.Length, K = sizes.Length;
        if (K == 0 || sizes.Any(s => s < 1) || sizes.Sum() != n) throw new ArgumentException("block matrix: the block sizes do not add up to n");
        var seen = new bool[n];
        foreach (var i in order)
        {
            if ((uint)i >= (uint)n || seen[i]) throw new ArgumentException("block matrix: order is not a permutation");
            seen[i] = true;
        }
        var start = new int[K + 1];
        for (int b = 0; b < K; b++) start[b + 1] = start[b] + sizes[b];
        return new BlockTridiagonalMatrix((int[])order.Clone(), start);
    }

    /// <summary>A[i, j] += v, in the caller's numbering.</summary>
    public void Add(int i, int j, double v) => At(i, j) += v;

    /// <summary>A[i, j], in the caller's numbering (zero outside the pattern).</summary>
    public double this[int i, int j] =>
        blockOf[i] == Blocks - 1 || Math.Abs(blockOf[i] - blockOf[j]) <= 1 ? At(i, j) : 0;

    /// <summary>Replaces row i, which must be a border row, by <paramref name="row"/> (the caller's numbering).</summary>
    public void SetBorderRow(int i, ReadOnlySpan<double> row)
    {
        if (blockOf[i] != Blocks - 1) throw new ArgumentException($"block matrix: row {i} is not a border row");
        var r = Border.AsSpan(local[i] * N, N);
        for (int j = 0; j < N; j++) r[Position(j)] = row[j];
    }

    int Position(int j) => Start[blockOf[j]] + local[j];

    ref double At(int i, int j)
    {
        int bi = blockOf[i], bj = blockOf[j], K = Blocks;
        int sj = Start[bj + 1] - Start[bj];
        if (bi == K - 1) return ref Border[local[i] * N + Position(j)];
        if (bj == bi) return ref Diagonal[bi][local[i] * sj + local[j]];
        if (bj == bi + 1) return ref Above[bi][local[i] * sj + local[j]];
        if (bj == bi - 1) return ref Below[bj][local[i] * sj + local[j]];
        throw new ArgumentException($"block matrix: entry ({i}, {j}) couples blocks {bi} and {bj}, which are not neighbours");
    }
}
