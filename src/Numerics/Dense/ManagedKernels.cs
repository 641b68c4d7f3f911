using System.Numerics;
using System.Runtime.CompilerServices;

namespace Ness.Numerics.Dense;

/// <summary>Managed dense kernels: i-k-j gemm with rows of B and C streamed as SIMD vectors, 4 rows of A at a
/// time and k blocked so that the touched rows of B stay in cache; a right-looking LU with partial pivoting.</summary>
public sealed class ManagedKernels : DenseKernels
{
    public override string Name => "managed";

    public override void Gemm(int m, int n, int k, double alpha, ReadOnlySpan<double> A, ReadOnlySpan<double> B,
        double beta, Span<double> C)
    {
        CheckGemm(m, n, k, A, B, C);
        Kernel(m, n, k, alpha, A, B, beta, C);
    }

    public override void Gemm(int m, int n, int k, float alpha, ReadOnlySpan<float> A, ReadOnlySpan<float> B,
        float beta, Span<float> C)
    {
        CheckGemm(m, n, k, A, B, C);
        Kernel(m, n, k, alpha, A, B, beta, C);
    }

    public override DenseLU Factor(int n, ReadOnlySpan<double> rowMajor) => ManagedLU.Create(n, rowMajor);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Kernel<T>(int m, int n, int k, T alpha, ReadOnlySpan<T> A, ReadOnlySpan<T> B, T beta, Span<T> C)
        where T : unmanaged, INumber<T>
    {
        if (m == 0 || n == 0) return;
        if (beta != T.One)
        {
            var c = C[..(m * n)];
            if (beta == T.Zero) c.Clear();
            else for (int i = 0; i < c.Length; i++) c[i] *= beta;
        }
        if (alpha == T.Zero || k == 0) return;
        int W = Vector<T>.Count;
        const int KB = 128;   // 128 rows of B (≤ 462 doubles wide) stay in L2
        for (int k0 = 0; k0 < k; k0 += KB)
        {
            int k1 = Math.Min(k, k0 + KB);
            int i = 0;
            for (; i + 4 <= m; i += 4)
            {
                var c0 = C.Slice(i * n, n); var c1 = C.Slice((i + 1) * n, n);
                var c2 = C.Slice((i + 2) * n, n); var c3 = C.Slice((i + 3) * n, n);
                for (int p = k0; p < k1; p++)
                {
                    T a0 = alpha * A[i * k + p];
                    T a1 = alpha * A[(i + 1) * k + p];
                    T a2 = alpha * A[(i + 2) * k + p];
                    T a3 = alpha * A[(i + 3) * k + p];
                    var b = B.Slice(p * n, n);
                    var va0 = new Vector<T>(a0); var va1 = new Vector<T>(a1);
                    var va2 = new Vector<T>(a2); var va3 = new Vector<T>(a3);
                    int j = 0;
                    for (; j + W <= n; j += W)
                    {
                        var vb = new Vector<T>(b.Slice(j, W));
                        (new Vector<T>(c0.Slice(j, W)) + va0 * vb).CopyTo(c0.Slice(j, W));
                        (new Vector<T>(c1.Slice(j, W)) + va1 * vb).CopyTo(c1.Slice(j, W));
                        (new Vector<T>(c2.Slice(j, W)) + va2 * vb).CopyTo(c2.Slice(j, W));
                        (new Vector<T>(c3.Slice(j, W)) + va3 * vb).CopyTo(c3.Slice(j, W));
                    }
                    for (; j < n; j++)
                    {
                        c0[j] += a0 * b[j]; c1[j] += a1 * b[j]; c2[j] += a2 * b[j]; c3[j] += a3 * b[j];
                    }
                }
            }
            for (; i < m; i++)
            {
                var ci = C.Slice(i * n, n);
                for (int p = k0; p < k1; p++)
                {
                    T a = alpha * A[i * k + p];
                    var b = B.Slice(p * n, n);
                    var va = new Vector<T>(a);
                    int j = 0;
                    for (; j + W <= n; j += W)
                        (new Vector<T>(ci.Slice(j, W)) + va * new Vector<T>(b.Slice(j, W))).CopyTo(ci.Slice(j, W));
                    for (; j < n; j++) ci[j] += a * b[j];
                }
            }
        }
    }
}
