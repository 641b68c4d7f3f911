using System.Runtime.InteropServices;

namespace Ness.Numerics.Dense;

/// <summary>
/// Column-major LAPACK/BLAS entry points of the system OpenBLAS for large dense problems (the harmonic model on
/// boxes): symmetric eigendecomposition in place (dsyevd), real Schur form (dgees), the quasi-triangular Sylvester
/// solve (dtrsyl3, blocked; dtrsyl when the library lacks it) and dgemm with transposes. Arrays are column-major:
/// a[i + lda j] = A_ij. Same loading as <see cref="OpenBlasKernels"/> (one library handle, resolved through it);
/// <see cref="Available"/> is false without OpenBLAS, and the callers then use MathNet or refuse.
/// Each call runs on <c>threads</c> BLAS threads and restores one thread afterwards.
/// </summary>
public static class Lapack
{
    const string Lib = "ness-openblas";

    /// <summary>True when the system OpenBLAS is loaded.</summary>
    public static bool Available => OpenBlasKernels.Instance is not null;

    [DllImport(Lib)] static extern void openblas_set_num_threads(int n);

    [DllImport(Lib)]
    static extern void dsyevd_(ref byte jobz, ref byte uplo, ref int n, ref double a, ref int lda, ref double w,
        ref double work, ref int lwork, ref int iwork, ref int liwork, ref int info);

    [DllImport(Lib)]
    static extern void dgees_(ref byte jobvs, ref byte sort, nint select, ref int n, ref double a, ref int lda, ref int sdim,
        ref double wr, ref double wi, ref double vs, ref int ldvs, ref double work, ref int lwork, nint bwork, ref int info);

    [DllImport(Lib)]
    static extern void dtrsyl3_(ref byte trana, ref byte tranb, ref int isgn, ref int m, ref int n, ref double a, ref int lda,
        ref double b, ref int ldb, ref double c, ref int ldc, ref double scale, ref int iwork, ref int liwork,
        ref double swork, ref int ldswork, ref int info);

    [DllImport(Lib)]
    static extern void dtrsyl_(ref byte trana, ref byte tranb, ref int isgn, ref int m, ref int n, ref double a, ref int lda,
        ref double b, ref int ldb, ref double c, ref int ldc, ref double scale, ref int info);

    [DllImport(Lib)]
    static extern void cblas_dgemm(int order, int transA, int transB, int m, int n, int k, double alpha,
        ref double a, int lda, ref double b, int ldb, double beta, ref double c, int ldc);

    static T OnThreads<T>(int threads, Func<T> f)
    {
        if (!Available) throw new InvalidOperationException("OpenBLAS is not loaded");
        if (threads <= 1) return f();
        openblas_set_num_threads(threads);
        try { return f(); }
        finally { openblas_set_num_threads(1); }
    }

    /// <summary>Bytes of workspace <see cref="SymmetricEigen"/> allocates for order n (dsyevd: 1 + 6n + 2n^2 doubles
    /// and 3 + 5n integers), beside the matrix itself.</summary>
    public static double SymmetricEigenWorkspace(long n) => 8.0 * (1 + 6 * n + 2 * n * n) + 4.0 * (3 + 5 * n);

    /// <summary>dsyevd (divide and conquer) in place: on entry the symmetric n x n matrix <paramref name="a"/>
    /// (either triangle), on exit its orthonormal eigenvectors as columns (a[i + n k] = component i of vector k,
    /// i.e. vector k is contiguous) and <paramref name="w"/> the eigenvalues ascending. False when LAPACK fails.</summary>
    public static bool SymmetricEigen(int n, double[] a, double[] w, int threads = 1) => OnThreads(threads, () =>
    {
        byte V = (byte)'V', U = (byte)'U';
        int nn = n, lda = Math.Max(1, n), lwork = -1, liwork = -1, info = 0;
        var wq = new double[1];
        var iq = new int[1];
        dsyevd_(ref V, ref U, ref nn, ref a[0], ref lda, ref w[0], ref wq[0], ref lwork, ref iq[0], ref liwork, ref info);
        if (info != 0) return false;
        long lw = Math.Max(1L, (long)wq[0]);
        if (lw > int.MaxValue) return false;
        lwork = (int)lw; liwork = Math.Max(1, iq[0]);
        var work = new double[lwork];
        var iwork = new int[liwork];
        dsyevd_(ref V, ref U, ref nn, ref a[0], ref lda, ref w[0], ref work[0], ref lwork, ref iwork[0], ref liwork, ref info);
        return info == 0;
    });

    /// <summary>dgees: the real Schur form A = Z T Z^T. On entry <paramref name="a"/> = A (n x n), on exit T (upper
    /// quasi-triangular, 2x2 blocks for complex pairs); <paramref name="z"/> receives Z (orthogonal); wr + i wi the
    /// eigenvalues. False when the QR algorithm fails.</summary>
    public static bool RealSchur(int n, double[] a, double[] z, double[] wr, double[] wi, int threads = 1) => OnThreads(threads, () =>
    {
        byte V = (byte)'V', N = (byte)'N';
        int nn = n, lda = Math.Max(1, n), sdim = 0, lwork = -1, info = 0;
        var q = new double[1];
        dgees_(ref V, ref N, 0, ref nn, ref a[0], ref lda, ref sdim, ref wr[0], ref wi[0], ref z[0], ref lda, ref q[0], ref lwork, 0, ref info);
        if (info != 0) return false;
        lwork = Math.Max(1, (int)q[0]);
        var work = new double[lwork];
        dgees_(ref V, ref N, 0, ref nn, ref a[0], ref lda, ref sdim, ref wr[0], ref wi[0], ref z[0], ref lda, ref work[0], ref lwork, 0, ref info);
        return info == 0;
    });

    /// <summary>Solves T X + X T^T = scale C for X (overwriting <paramref name="c"/>) with T upper quasi-triangular
    /// n x n (the Schur form of <see cref="RealSchur"/>): dtrsyl3 (blocked, LAPACK 3.11+), dtrsyl otherwise.
    /// Returns the scale factor (1 unless LAPACK scaled to avoid overflow), or NaN on failure.</summary>
    public static double LyapunovTriangular(int n, double[] t, double[] c, int threads = 1) => OnThreads(threads, () =>
    {
        byte N = (byte)'N', T = (byte)'T';
        int isgn = 1, m = n, ld = Math.Max(1, n), info = 0;
        double scale = 1;
        try
        {
            int liwork = -1, ldswork = -1;
            var iq = new int[1];
            var sq = new double[2];
            dtrsyl3_(ref N, ref T, ref isgn, ref m, ref m, ref t[0], ref ld, ref t[0], ref ld, ref c[0], ref ld, ref scale,
                ref iq[0], ref liwork, ref sq[0], ref ldswork, ref info);
            if (info != 0) return double.NaN;
            liwork = Math.Max(1, iq[0]);
            int rows = Math.Max(2, (int)sq[0]), cols = Math.Max(1, (int)sq[1]);
            var iwork = new int[liwork];
            var swork = new double[(long)rows * cols];
            ldswork = rows;
            dtrsyl3_(ref N, ref T, ref isgn, ref m, ref m, ref t[0], ref ld, ref t[0], ref ld, ref c[0], ref ld, ref scale,
                ref iwork[0], ref liwork, ref swork[0], ref ldswork, ref info);
        }
        catch (EntryPointNotFoundException)
        {
            dtrsyl_(ref N, ref T, ref isgn, ref m, ref m, ref t[0], ref ld, ref t[0], ref ld, ref c[0], ref ld, ref scale, ref info);
        }
        return info is 0 or 1 ? scale : double.NaN;   // info = 1: T and -T^T have close eigenvalues, perturbed values used
    });

    const int ColMajor = 102, NoTrans = 111, Trans = 112;

    /// <summary>C (m x n) = alpha op(A) op(B) + beta C, column-major, op = transpose when the flag is set;
    /// A, B, C start at the given offsets with leading dimensions lda, ldb, ldc.</summary>
    public static void Gemm(bool transA, bool transB, int m, int n, int k, double alpha,
        double[] a, long aOffset, int lda, double[] b, long bOffset, int ldb, double beta, double[] c, long cOffset, int ldc,
        int threads = 1) => OnThreads(threads, () =>
    {
        if (m == 0 || n == 0 || k == 0) { if (beta != 1) for (int j = 0; j < n; j++) for (int i = 0; i < m; i++) c[cOffset + i + (long)ldc * j] *= beta; return 0; }
        cblas_dgemm(ColMajor, transA ? Trans : NoTrans, transB ? Trans : NoTrans, m, n, k, alpha,
            ref a[aOffset], lda, ref b[bOffset], ldb, beta, ref c[cOffset], ldc);
        return 0;
    });
}
