namespace Ness.Pipeline.Fermion.Mps.Tensors;

/// <summary>
/// A matrix product operator on L sites of local dimension d: W[x] holds w_x × w_{x+1} blocks of d × d
/// matrices, flattened as ((a · w_{x+1} + b) · d + s) · d + t (s the output index, t the input index).
/// The operator is the product of the W[x] with bond dimensions Bond[0] = Bond[L] = 1.
/// </summary>
public sealed class MatrixProductOperator
{
    public int Length { get; }
    public int LocalDimension { get; }
    public int[] Bond { get; }
    public double[][] W { get; }

    public MatrixProductOperator(int d, int[] bond, double[][] w)
    {
        if (bond.Length != w.Length + 1 || bond[0] != 1 || bond[^1] != 1)
            throw new ArgumentException("bond dimensions must be 1 at both ends, one more than sites");
        for (int x = 0; x < w.Length; x++)
            if (w[x].Length != bond[x] * bond[x + 1] * d * d) throw new ArgumentException($"site {x}: wrong tensor size");
        (LocalDimension, Bond, W, Length) = (d, bond, w, w.Length);
    }

    public int MaxBond => Bond.Max();

    /// <summary>A + alpha B as one MPO (bond dimensions add: block-diagonal in the bulk).</summary>
    public static MatrixProductOperator Sum(MatrixProductOperator A, MatrixProductOperator B, double alpha = 1)
    {
        int L = A.Length, d = A.LocalDimension;
        if (B.Length != L || B.LocalDimension != d) throw new ArgumentException("MPOs of different shape");
        var bond = new int[L + 1];
        for (int x = 0; x <= L; x++) bond[x] = x == 0 || x == L ? 1 : A.Bond[x] + B.Bond[x];
        var w = new double[L][];
        int dd = d * d;
        for (int x = 0; x < L; x++)
        {
            int wl = bond[x], wr = bond[x + 1];
            var T = new double[wl * wr * dd];
            // offsets of A's and B's bond indices inside the sum's
            int aL = 0, bL = x == 0 ? 0 : A.Bond[x], aR = 0, bR = x == L - 1 ? 0 : A.Bond[x + 1];
            Place(A.W[x], A.Bond[x], A.Bond[x + 1], aL, aR, 1);
            Place(B.W[x], B.Bond[x], B.Bond[x + 1], bL, bR, x == 0 ? alpha : 1);
            w[x] = T;

            void Place(double[] src, int sl, int sr, int ol, int or, double s)
            {
                for (int a = 0; a < sl; a++)
                    for (int b = 0; b < sr; b++)
                        for (int k = 0; k < dd; k++)
                            T[((a + ol) * wr + b + or) * dd + k] += s * src[(a * sr + b) * dd + k];
            }
        }
        return new MatrixProductOperator(d, bond, w);
    }

    /// <summary>A^T A as one MPO (bond dimensions square): W[(a, a'), (b, b'), s, t] = sum_k A[a, b, k, s] A[a', b', k, t].</summary>
    public static MatrixProductOperator TransposeTimes(MatrixProductOperator A)
    {
        int L = A.Length, d = A.LocalDimension;
        var bond = A.Bond.Select(w => w * w).ToArray();
        var w = new double[L][];
        for (int x = 0; x < L; x++)
        {
            int wl = A.Bond[x], wr = A.Bond[x + 1], WR = wr * wr;
            var src = A.W[x];
            var T = new double[wl * wl * WR * d * d];
            for (int a = 0; a < wl; a++) for (int b = 0; b < wr; b++)
            {
                int oab = (a * wr + b) * d * d;
                for (int a2 = 0; a2 < wl; a2++) for (int b2 = 0; b2 < wr; b2++)
                {
                    int o2 = (a2 * wr + b2) * d * d;
                    int dst = (((a * wl + a2) * WR) + b * wr + b2) * d * d;
                    for (int k = 0; k < d; k++) for (int s = 0; s < d; s++)
                    {
                        double v = src[oab + k * d + s];
                        if (v == 0) continue;
                        for (int t = 0; t < d; t++) T[dst + s * d + t] += v * src[o2 + k * d + t];
                    }
                }
            }
            w[x] = T;
        }
        return new MatrixProductOperator(d, bond, w);
    }

    /// <summary>The product operator ⊗_x M (bond dimension 1), M a d × d matrix given row-major.</summary>
    public static MatrixProductOperator Product(int L, int d, double[] M)
    {
        var bond = Enumerable.Repeat(1, L + 1).ToArray();
        return new MatrixProductOperator(d, bond, Enumerable.Range(0, L).Select(_ => (double[])M.Clone()).ToArray());
    }
}
