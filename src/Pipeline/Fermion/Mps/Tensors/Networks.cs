using Ness.Sparse.Dense;

namespace Ness.Pipeline.Fermion.Mps.Tensors;

/// <summary>Whole-chain contractions of an MPS: with product vectors (traces, local expectation values)
/// and the norm of an MPO applied to it.</summary>
public static class Networks
{
    /// <summary>left[x] (length Bond[x]) = contraction of sites &lt; x with the vector v at every site.</summary>
    public static double[][] LeftPartials(MatrixProductState A, double[] v)
    {
        var left = new double[A.Length + 1][];
        left[0] = [1];
        for (int x = 0; x < A.Length; x++)
            left[x + 1] = Contractions.LeftVector(left[x], A.A[x], v, A.Bond[x], A.Bond[x + 1], A.LocalDimension);
        return left;
    }

    /// <summary>right[x] (length Bond[x]) = contraction of sites ≥ x with v.</summary>
    public static double[][] RightPartials(MatrixProductState A, double[] v)
    {
        var right = new double[A.Length + 1][];
        right[A.Length] = [1];
        for (int x = A.Length - 1; x >= 0; x--)
            right[x] = Contractions.RightVector(right[x + 1], A.A[x], v, A.Bond[x], A.Bond[x + 1], A.LocalDimension);
        return right;
    }

    /// <summary>The contraction with v everywhere except the vectors <paramref name="u"/> on sites x, x+1, ....</summary>
    public static double Insert(MatrixProductState A, double[][] left, double[][] right, int x, params double[][] u)
    {
        var l = left[x];
        for (int k = 0; k < u.Length; k++)
            l = Contractions.LeftVector(l, A.A[x + k], u[k], A.Bond[x + k], A.Bond[x + k + 1], A.LocalDimension);
        var r = right[x + u.Length];
        double s = 0;
        for (int i = 0; i < l.Length; i++) s += l[i] * r[i];
        return s;
    }

    /// <summary>||A||_2 (the Frobenius norm of the operator it represents in an orthonormal local basis).</summary>
    public static double Norm(DenseKernels K, MatrixProductState A)
    {
        var N = new double[] { 1 };
        int d = A.LocalDimension;
        for (int x = 0; x < A.Length; x++) N = Transfer(K, N, A.A[x], A.Bond[x], A.Bond[x + 1], d);
        return Math.Sqrt(Math.Max(N[0], 0));
    }

    /// <summary>||W A||_2: W applied exactly (bond dimensions multiply), then brought to orthonormal form by QR,
    /// so that a small result (a residual L rho ≈ 0 made of large cancelling terms) keeps its relative accuracy;
    /// a Gram-matrix contraction &lt;A|W^T W|A&gt; would lose half the digits.</summary>
    public static double NormOfProduct(MatrixProductOperator W, MatrixProductState A) =>
        Canonical.RightOrthonormalize(Product(W, A));

    /// <summary>W A as an MPS of bond dimensions w_x · Bond[x].</summary>
    public static MatrixProductState Product(MatrixProductOperator W, MatrixProductState A)
    {
        int d = A.LocalDimension;
        var bond = new int[A.Length + 1];
        var sites = new double[A.Length][];
        for (int x = 0; x <= A.Length; x++) bond[x] = W.Bond[x] * A.Bond[x];
        for (int x = 0; x < A.Length; x++)
        {
            int Dl = A.Bond[x], Dr = A.Bond[x + 1], wl = W.Bond[x], wr = W.Bond[x + 1];
            // C[(a, l), s, (b, r)] = sum_t W[a, b, s, t] A[l, t, r]
            int Cl = wl * Dl, Cr = wr * Dr;
            var C = new double[Cl * d * Cr];
            var w = W.W[x]; var a = A.A[x];
            for (int p = 0; p < wl; p++) for (int q = 0; q < wr; q++) for (int s = 0; s < d; s++) for (int t = 0; t < d; t++)
            {
                double f = w[((p * wr + q) * d + s) * d + t];
                if (f == 0) continue;
                for (int l = 0; l < Dl; l++)
                {
                    int src = (l * d + t) * Dr, dst = ((p * Dl + l) * d + s) * Cr + q * Dr;
                    for (int r = 0; r < Dr; r++) C[dst + r] += f * a[src + r];
                }
            }
            sites[x] = C;
        }
        return new MatrixProductState(d, bond, sites);
    }

    /// <summary>N'[b, b'] = sum_{a, a', s} A[a, s, b] N[a, a'] A[a', s, b'].</summary>
    static double[] Transfer(DenseKernels K, double[] N, double[] A, int Dl, int Dr, int d)
    {
        var T = new double[Dl * d * Dr];
        K.Gemm(Dl, d * Dr, Dl, 1, N, A, 0, T);          // T[a, (s, b')] = N[a, a'] A[a', s, b']
        var At = new double[Dr * Dl * d];                            // At[b, (a, s)] = A[a, s, b]
        for (int a = 0; a < Dl; a++) for (int s = 0; s < d; s++) for (int b = 0; b < Dr; b++)
            At[b * Dl * d + a * d + s] = A[(a * d + s) * Dr + b];
        var R = new double[Dr * Dr];
        K.Gemm(Dr, Dr, Dl * d, 1, At, T, 0, R);
        return R;
    }
}
