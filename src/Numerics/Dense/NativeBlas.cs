using System.Runtime.InteropServices;

namespace Ness.Numerics.Dense;

/// <summary>
/// The few BLAS/LAPACK routines the blocked Markov-chain kernels need with leading dimensions and transposes
/// (cblas_dgemm, dsyevd_, openblas_set_num_threads), bound by function pointers to the system OpenBLAS
/// (libopenblas0-pthread), with managed fallbacks when it cannot be loaded. Row-major throughout.
/// Separate from <see cref="DenseKernels"/> (contiguous operands, one provider object) because the blocked
/// eliminations work on sub-blocks in place.
/// </summary>
public static unsafe class NativeBlas
{
    static readonly string[] Candidates =
    [
        "libopenblas.so.0", "libopenblas.so", "/usr/lib/x86_64-linux-gnu/libopenblas.so.0",
        "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0", "libopenblas.dylib", "libopenblas.dll",
    ];

    static readonly delegate* unmanaged<int, int, int, int, int, int, double, double*, int, double*, int, double, double*, int, void> dgemm;
    static readonly delegate* unmanaged<byte*, byte*, int*, double*, int*, double*, double*, int*, int*, int*, int*, void> dsyevd;
    static readonly delegate* unmanaged<int, void> setThreads;

    /// <summary>Whether OpenBLAS was loaded (otherwise the managed fallbacks run, much slower).</summary>
    public static bool Native { get; }

    static NativeBlas()
    {
        nint h = 0;
        foreach (var c in Candidates)
            if (NativeLibrary.TryLoad(c, out h)) break;
        if (h == 0) return;
        if (!NativeLibrary.TryGetExport(h, "cblas_dgemm", out var g) || !NativeLibrary.TryGetExport(h, "dsyevd_", out var e)) return;
        dgemm = (delegate* unmanaged<int, int, int, int, int, int, double, double*, int, double*, int, double, double*, int, void>)g;
        dsyevd = (delegate* unmanaged<byte*, byte*, int*, double*, int*, double*, double*, int*, int*, int*, int*, void>)e;
        if (NativeLibrary.TryGetExport(h, "openblas_set_num_threads", out var t)) setThreads = (delegate* unmanaged<int, void>)t;
        Native = true;
    }

    const int RowMajor = 101, NoTrans = 111, Trans = 112;

    /// <summary>C = alpha op(A) op(B) + beta C, row-major with leading dimensions; op(A) is m×k, op(B) k×n.</summary>
    public static void Gemm(bool transA, bool transB, int m, int n, int k, double alpha, ReadOnlySpan<double> A, int lda,
        ReadOnlySpan<double> B, int ldb, double beta, Span<double> C, int ldc)
    {
        if (m <= 0 || n <= 0) return;
        if (k <= 0 || !Native) { ManagedGemm(transA, transB, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc); return; }
        fixed (double* a = A, b = B, c = C)
            dgemm(RowMajor, transA ? Trans : NoTrans, transB ? Trans : NoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    static void ManagedGemm(bool tA, bool tB, int m, int n, int k, double alpha, ReadOnlySpan<double> A, int lda,
        ReadOnlySpan<double> B, int ldb, double beta, Span<double> C, int ldc)
    {
        var row = new double[n];
        for (int i = 0; i < m; i++)
        {
            Array.Clear(row);
            for (int l = 0; l < k; l++)
            {
                double a = tA ? A[l * lda + i] : A[i * lda + l];
                if (a == 0) continue;
                if (tB) for (int j = 0; j < n; j++) row[j] += a * B[j * ldb + l];
                else
                {
                    var b = B.Slice(l * ldb, n);
                    for (int j = 0; j < n; j++) row[j] += a * b[j];
                }
            }
            var c = C.Slice(i * ldc, n);
            for (int j = 0; j < n; j++) c[j] = (beta == 0 ? 0 : beta * c[j]) + alpha * row[j];
        }
    }

    /// <summary>Threads OpenBLAS may use for the following calls (process-wide; 1 is the ness default).</summary>
    public static void SetThreads(int threads)
    {
        if (setThreads != null) setThreads(Math.Max(1, threads));
    }

    /// <summary>
    /// Eigenvalues (ascending) and orthonormal eigenvectors of the real symmetric n×n matrix in
    /// <paramref name="a"/> (row-major, overwritten) by LAPACK dsyevd (divide and conquer). On return row j of
    /// <paramref name="a"/> is eigenvector j (a symmetric matrix is its own column-major copy, and dsyevd returns
    /// the vectors as columns in column-major order). Workspace 1 + 6n + 2n^2 doubles. False without OpenBLAS or on
    /// failure.
    /// </summary>
    public static bool SymmetricEigen(int n, double[] a, double[] w)
    {
        if (!Native || n <= 0 || a.Length < (long)n * n || w.Length < n) return false;
        byte V = (byte)'V', U = (byte)'U';
        int nn = n, lda = n, lwork = -1, liwork = -1, info = 0;
        double wq = 0; int iq = 0;
        fixed (double* pa = a, pw = w)
        {
            dsyevd(&V, &U, &nn, pa, &lda, pw, &wq, &lwork, &iq, &liwork, &info);
            if (info != 0) return false;
            lwork = Math.Max(1, (int)wq); liwork = Math.Max(1, iq);
            var work = new double[lwork];
            var iwork = new int[liwork];
            fixed (double* pwork = work)
            fixed (int* piwork = iwork)
                dsyevd(&V, &U, &nn, pa, &lda, pw, pwork, &lwork, piwork, &liwork, &info);
        }
        return info == 0;
    }

    /// <summary>Doubles of dsyevd's workspace for order n (1 + 6n + 2n^2) plus its integer workspace (3 + 5n).</summary>
    public static double EigenWorkspaceBytes(long n) => 8.0 * (1 + 6 * n + 2 * n * n) + 4.0 * (3 + 5 * n);
}
