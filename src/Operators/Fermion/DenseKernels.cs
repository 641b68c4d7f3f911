using System.Numerics;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Ness.Operators.Fermion;

/// <summary>
/// Real dense kernels for the block solvers: C = alpha A B + beta C on row-major arrays (no transposes:
/// callers keep transposed copies), and an LU solve. Backed by the system OpenBLAS (Debian package
/// libopenblas0-pthread, loaded at run time as libopenblas.so.0) when it can be loaded, otherwise by a
/// managed SIMD kernel (System.Numerics.Vector). Set NESS_BLAS=managed to force the managed kernels.
/// </summary>
public static class DenseKernels
{
    const string Lib = "ness-openblas";
    static readonly string[] Candidates =
    [
        "libopenblas.so.0", "libopenblas.so", "/usr/lib/x86_64-linux-gnu/libopenblas.so.0",
        "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0", "libopenblas.dylib", "libopenblas.dll",
    ];

    static readonly nint Handle;

    /// <summary>"openblas" or "managed".</summary>
    public static string Backend { get; }

    static DenseKernels()
    {
        Backend = "managed";
        if (string.Equals(Environment.GetEnvironmentVariable("NESS_BLAS"), "managed", StringComparison.OrdinalIgnoreCase))
            return;
        foreach (var c in Candidates)
            if (NativeLibrary.TryLoad(c, out Handle)) break;
        if (Handle == 0) return;
        try
        {
            NativeLibrary.SetDllImportResolver(typeof(DenseKernels).Assembly, Resolve);
            // a tiny call proves the symbols resolve
            var a = new double[] { 2 };
            var c1 = new double[1];
            cblas_dgemm(RowMajor, NoTrans, NoTrans, 1, 1, 1, 1, ref a[0], 1, ref a[0], 1, 0, ref c1[0], 1);
            if (c1[0] == 4) Backend = "openblas";
            // Blocks are at most a few hundred wide and the machine is shared: one BLAS thread per call
            // (NESS_BLAS_THREADS overrides).
            int threads = int.TryParse(Environment.GetEnvironmentVariable("NESS_BLAS_THREADS"), out var t) && t > 0 ? t : 1;
            openblas_set_num_threads(threads);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or InvalidOperationException)
        {
            Backend = "managed";
        }
    }

    static nint Resolve(string name, Assembly asm, DllImportSearchPath? path) => name == Lib ? Handle : 0;

    const int RowMajor = 101, NoTrans = 111;

    [DllImport(Lib)]
    static extern void cblas_dgemm(int order, int transA, int transB, int m, int n, int k, double alpha,
        ref double a, int lda, ref double b, int ldb, double beta, ref double c, int ldc);

    [DllImport(Lib)]
    static extern void openblas_set_num_threads(int n);

    [DllImport(Lib)]
    static extern void dgetrf_(ref int m, ref int n, ref double a, ref int lda, ref int ipiv, ref int info);

    [DllImport(Lib)]
    static extern void dgetrs_(ref byte trans, ref int n, ref int nrhs, ref double a, ref int lda, ref int ipiv,
        ref double b, ref int ldb, ref int info);

    /// <summary>C (m×n) = alpha A (m×k) B (k×n) + beta C, all row-major and contiguous.</summary>
    public static void Gemm(int m, int n, int k, double alpha, ReadOnlySpan<double> A, ReadOnlySpan<double> B,
        double beta, Span<double> C)
    {
        if (m == 0 || n == 0) return;
        if (A.Length < m * k || B.Length < k * n || C.Length < m * n) throw new ArgumentException("gemm: array too short");
        if (Backend == "openblas" && k > 0)
        {
            cblas_dgemm(RowMajor, NoTrans, NoTrans, m, n, k, alpha,
                ref MemoryMarshal.GetReference(A), Math.Max(k, 1), ref MemoryMarshal.GetReference(B), n,
                beta, ref MemoryMarshal.GetReference(C), n);
            return;
        }
        ManagedGemm(m, n, k, alpha, A, B, beta, C);
    }

    /// <summary>Managed kernel: i-k-j order, rows of B and C streamed with SIMD vectors, 4 rows of A at a
    /// time, k blocked so that the touched rows of B stay in cache.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static void ManagedGemm(int m, int n, int k, double alpha, ReadOnlySpan<double> A, ReadOnlySpan<double> B,
        double beta, Span<double> C)
    {
        if (beta != 1)
        {
            var c = C[..(m * n)];
            if (beta == 0) c.Clear();
            else for (int i = 0; i < c.Length; i++) c[i] *= beta;
        }
        if (alpha == 0 || k == 0) return;
        int W = Vector<double>.Count;
        const int KB = 128;
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
                    double a0 = alpha * A[i * k + p], a1 = alpha * A[(i + 1) * k + p];
                    double a2 = alpha * A[(i + 2) * k + p], a3 = alpha * A[(i + 3) * k + p];
                    var b = B.Slice(p * n, n);
                    var va0 = new Vector<double>(a0); var va1 = new Vector<double>(a1);
                    var va2 = new Vector<double>(a2); var va3 = new Vector<double>(a3);
                    int j = 0;
                    for (; j + W <= n; j += W)
                    {
                        var vb = new Vector<double>(b.Slice(j, W));
                        (new Vector<double>(c0.Slice(j, W)) + va0 * vb).CopyTo(c0.Slice(j, W));
                        (new Vector<double>(c1.Slice(j, W)) + va1 * vb).CopyTo(c1.Slice(j, W));
                        (new Vector<double>(c2.Slice(j, W)) + va2 * vb).CopyTo(c2.Slice(j, W));
                        (new Vector<double>(c3.Slice(j, W)) + va3 * vb).CopyTo(c3.Slice(j, W));
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
                    double a = alpha * A[i * k + p];
                    var b = B.Slice(p * n, n);
                    var va = new Vector<double>(a);
                    int j = 0;
                    for (; j + W <= n; j += W)
                        (new Vector<double>(ci.Slice(j, W)) + va * new Vector<double>(b.Slice(j, W))).CopyTo(ci.Slice(j, W));
                    for (; j < n; j++) ci[j] += a * b[j];
                }
            }
        }
    }

    [DllImport(Lib)]
    static extern void zgeev_(ref byte jobvl, ref byte jobvr, ref int n, ref double a, ref int lda, ref double w,
        ref double vl, ref int ldvl, ref double vr, ref int ldvr, ref double work, ref int lwork, ref double rwork, ref int info);

    /// <summary>
    /// Eigenvalues and right eigenvectors of a general complex n×n matrix given row-major as interleaved
    /// (re, im) pairs, by LAPACK zgeev from OpenBLAS. Returns false when OpenBLAS is not loaded (the caller
    /// falls back to MathNet). Eigenvectors are returned row-major interleaved: V[i, j] = component i of vector j.
    /// </summary>
    public static bool TryEigen(int n, double[] rowMajor, out double[] values, out double[] vectors)
    {
        values = []; vectors = [];
        if (Backend != "openblas" || n == 0) return false;
        var a = new double[2 * n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                a[2 * (i + j * n)] = rowMajor[2 * (i * n + j)];
                a[2 * (i + j * n) + 1] = rowMajor[2 * (i * n + j) + 1];
            }
        var w = new double[2 * n];
        var vr = new double[2 * n * n];
        var vl = new double[2];
        var rwork = new double[2 * n];
        byte N = (byte)'N', V = (byte)'V';
        int nn = n, lda = n, ldvl = 1, ldvr = n, lwork = -1, info = 0;
        var query = new double[2];
        zgeev_(ref N, ref V, ref nn, ref a[0], ref lda, ref w[0], ref vl[0], ref ldvl, ref vr[0], ref ldvr,
            ref query[0], ref lwork, ref rwork[0], ref info);
        lwork = Math.Max(1, (int)query[0]);
        var work = new double[2 * lwork];
        zgeev_(ref N, ref V, ref nn, ref a[0], ref lda, ref w[0], ref vl[0], ref ldvl, ref vr[0], ref ldvr,
            ref work[0], ref lwork, ref rwork[0], ref info);
        if (info != 0) return false;
        values = w;
        vectors = new double[2 * n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                vectors[2 * (i * n + j)] = vr[2 * (i + j * n)];
                vectors[2 * (i * n + j) + 1] = vr[2 * (i + j * n) + 1];
            }
        return true;
    }

    /// <summary>An LU factorisation of a dense real n×n matrix (row-major input), with partial pivoting.</summary>
    public sealed class Lu
    {
        readonly int n;
        readonly double[]? colMajor;
        readonly int[]? pivots;
        readonly MathNet.Numerics.LinearAlgebra.Factorization.LU<double>? managed;

        public Lu(int n, double[] rowMajor)
        {
            this.n = n;
            if (Backend == "openblas")
            {
                colMajor = new double[n * n];
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < n; j++) colMajor[i + j * n] = rowMajor[i * n + j];
                pivots = new int[n];
                int m = n, lda = n, info = 0;
                dgetrf_(ref m, ref m, ref colMajor[0], ref lda, ref pivots[0], ref info);
                if (info < 0) throw new InvalidOperationException($"dgetrf info {info}");
                Singular = info > 0;
            }
            else
            {
                var M = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(n, n, (i, j) => rowMajor[i * n + j]);
                managed = M.LU();
                Singular = managed.Determinant == 0;
            }
        }

        public bool Singular { get; }

        /// <summary>Solves A x = b in place.</summary>
        public void Solve(double[] b)
        {
            if (colMajor is not null)
            {
                byte t = (byte)'N';
                int m = n, one = 1, lda = n, ldb = n, info = 0;
                dgetrs_(ref t, ref m, ref one, ref colMajor[0], ref lda, ref pivots![0], ref b[0], ref ldb, ref info);
                if (info != 0) throw new InvalidOperationException($"dgetrs info {info}");
                return;
            }
            var x = managed!.Solve(MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense(b));
            for (int i = 0; i < n; i++) b[i] = x[i];
        }
    }
}
