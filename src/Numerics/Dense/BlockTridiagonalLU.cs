
namespace Ness.Numerics.Dense;

/// <summary>
/// LU of a <see cref="BlockTridiagonalMatrix"/> (block tridiagonal but for its last block row, the border) by block
/// Gaussian elimination (Golub and Van Loan, Matrix Computations, 4th ed., sec. 4.5.1): partial pivoting inside each
/// diagonal block's Schur complement S_b (dgetrf through the kernels), none across blocks. S_0 = D_0,
/// X_b = S_b^{-1} U_b, S_{b+1} = D_{b+1} − B_b X_b; the border's entries are carried along, R_{b+1} ← R_{b+1} − R_b X_b,
/// and its own block is S_{K−1} = D_{K−1} − R_{K−2} X_{K−2}. Cost about sum_b s_b^3 instead of n^3 for the dense LU,
/// and no n × n array.
/// <para>The Krylov solver's coarse operator is of this form: each jump changes the particle number by one, so in the
/// order of the sectors its Galerkin matrix is block tridiagonal, and its trace row is the border
/// (<c>TwoLevelPreconditioner.CoarseStorage</c>).</para>
/// <para>Singular when a pivot of some S_b is exactly zero or not finite (the test of dgetrf), as for <see cref="DenseLU"/>.
/// <see cref="Solve(Span{double})"/> uses one work vector: one solve at a time.</para>
/// </summary>
public sealed class BlockTridiagonalLU : DenseLU
{
    readonly int[] order, start;
    readonly DenseLU[] S;                  // LU of the Schur complements
    readonly double[][] X, B, R;           // X_b = S_b^{-1} U_b (s_b × s_{b+1}), B_b = A[b+1, b] (b + 1 < K − 1), R_b: s_{K−1} × s_b
    readonly DenseKernels kernels;
    readonly double[] g;

    BlockTridiagonalLU(int n, int[] order, int[] start, DenseLU[] S, double[][] X, double[][] B, double[][] R, DenseKernels kernels)
        : base(n, S.Any(s => s.Singular), S.Min(s => s.SmallestPivot))
    {
        (this.order, this.start, this.S, this.X, this.B, this.R, this.kernels) = (order, start, S, X, B, R, kernels);
        g = new double[n];
    }

    /// <summary>Factors <paramref name="A"/>, whose diagonal blocks and border it overwrites. The kernels may use up to
    /// <paramref name="threads"/> threads meanwhile.</summary>
    public static BlockTridiagonalLU Create(DenseKernels kernels, BlockTridiagonalMatrix A, int threads = 1)
    {
        int n = A.N, K = A.Blocks, last = K - 1;
        var start = A.Start;
        int Size(int b) => start[b + 1] - start[b];
        int sl = Size(last);
        var R = new double[last][];                          // the border's entries, block by block
        for (int b = 0; b < last; b++)
        {
            int s = Size(b);
            var Rb = R[b] = new double[sl * s];
            for (int i = 0; i < sl; i++) A.Border.AsSpan(i * n + start[b], s).CopyTo(Rb.AsSpan(i * s, s));
        }
        var Dl = new double[sl * sl];
        for (int i = 0; i < sl; i++) A.Border.AsSpan(i * n + start[last], sl).CopyTo(Dl.AsSpan(i * sl, sl));
        A.Diagonal[last] = Dl;

        using var scope = kernels.UseThreads(threads);      // nothing else runs in the setup: the kernels may use the solver's threads
        var S = new DenseLU[K];
        var X = new double[last][];
        var cols = new double[Enumerable.Range(0, last).Select(b => Size(b) * Size(b + 1)).DefaultIfEmpty(0).Max()];
        for (int b = 0; ; b++)
        {
            int s = Size(b);
            S[b] = kernels.Factor(s, A.Diagonal[b]);
            if (b == last) break;
            int s1 = Size(b + 1);
            // X_b = S_b^{-1} U_b: the columns of U_b solved at once (column-major), then row-major
            var c = cols.AsSpan(0, s * s1);
            Transpose(A.Above[b], s, s1, c);
            if (!S[b].Singular) S[b].Solve(s1, c);
            var Xb = X[b] = new double[s * s1];
            Transpose(c, s1, s, Xb);
            // the next diagonal block D_{b+1} − B_b X_b; below the last regular block, B_b is the border's R_b
            kernels.Gemm(s1, s1, s, -1.0, b + 1 < last ? A.Below[b] : R[b], Xb, 1.0, A.Diagonal[b + 1]);
            // the border's entry in block b + 1: R_{b+1} − R_b X_b (row block b reaches no further)
            if (b + 1 < last) kernels.Gemm(sl, s1, s, -1.0, R[b], Xb, 1.0, R[b + 1]);
        }
        return new BlockTridiagonalLU(n, A.Order, start, S, X, A.Below, R, kernels);
    }

    const int Tile = 64;

    /// <summary>t (k × m, row-major) = the transpose of the m × k row-major <paramref name="a"/>, by tiles.</summary>
    static void Transpose(ReadOnlySpan<double> a, int m, int k, Span<double> t)
    {
        for (int i0 = 0; i0 < m; i0 += Tile)
            for (int j0 = 0; j0 < k; j0 += Tile)
                for (int i = i0; i < Math.Min(m, i0 + Tile); i++)
                    for (int j = j0; j < Math.Min(k, j0 + Tile); j++) t[j * m + i] = a[i * k + j];
    }

    /// <summary>Solves A x = b in place: forward h_b = S_b^{-1} (f_b − B_{b−1} h_{b−1}), the border's
    /// h = S^{-1} (f − sum_b R_b h_b), then backward x_b = h_b − X_b x_{b+1}.</summary>
    public override void Solve(Span<double> b)
    {
        if (Singular) throw new InvalidOperationException("LU: the matrix is singular");
        int K = S.Length, last = K - 1, n = N;
        for (int p = 0; p < n; p++) g[p] = b[order[p]];
        Span<double> h = g;
        Span<double> Block(Span<double> v, int k) => v.Slice(start[k], start[k + 1] - start[k]);
        for (int k = 0; k < last; k++)
        {
            var hk = Block(h, k);
            if (k > 0) kernels.Gemm(hk.Length, 1, start[k] - start[k - 1], -1.0, B[k - 1], Block(h, k - 1), 1.0, hk);
            S[k].Solve(hk);
        }
        var hl = Block(h, last);
        for (int k = 0; k < last; k++) kernels.Gemm(hl.Length, 1, start[k + 1] - start[k], -1.0, R[k], Block(h, k), 1.0, hl);
        S[last].Solve(hl);
        for (int k = last - 1; k >= 0; k--)
            kernels.Gemm(start[k + 1] - start[k], 1, start[k + 2] - start[k + 1], -1.0, X[k], Block(h, k + 1), 1.0, Block(h, k));
        for (int p = 0; p < n; p++) b[order[p]] = g[p];
    }
}
