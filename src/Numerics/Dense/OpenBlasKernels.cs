using System.Reflection;
using System.Runtime.InteropServices;

namespace Ness.Numerics.Dense;

/// <summary>
/// The system OpenBLAS called directly through P/Invoke (cblas_dgemm, cblas_sgemm, dgetrf_/dgetrs_, zgeev_, dsyevd_, zgetrf_/zgetri_ in
/// libopenblas.so.0; Debian package libopenblas0-pthread). One BLAS thread per call: the solvers parallelise
/// over blocks themselves, and the machine may be shared.
/// </summary>
public sealed class OpenBlasKernels : DenseKernels
{
    const string Lib = "ness-openblas";
    static readonly string[] Candidates =
    [
        "libopenblas.so.0", "libopenblas.so", "/usr/lib/x86_64-linux-gnu/libopenblas.so.0",
        "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0", "libopenblas.dylib", "libopenblas.dll",
    ];

    static nint handle;

    /// <summary>The provider, or null when the library cannot be loaded or its symbols do not resolve.</summary>
    public static OpenBlasKernels? Instance { get; } = Load();

    OpenBlasKernels() { }

    public override string Name => "openblas";

    static OpenBlasKernels? Load()
    {
        foreach (var c in Candidates)
            if (NativeLibrary.TryLoad(c, out handle)) break;
        if (handle == 0) return null;
        try
        {
            NativeLibrary.SetDllImportResolver(typeof(OpenBlasKernels).Assembly, Resolve);
            var a = new double[] { 2 };
            var c1 = new double[1];
            cblas_dgemm(RowMajor, NoTrans, NoTrans, 1, 1, 1, 1, ref a[0], 1, ref a[0], 1, 0, ref c1[0], 1);   // the symbols resolve
            if (c1[0] != 4) return null;
            openblas_set_num_threads(1);
            return new OpenBlasKernels();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    static nint Resolve(string name, Assembly asm, DllImportSearchPath? path) => name == Lib ? handle : 0;

    const int RowMajor = 101, NoTrans = 111;

    [DllImport(Lib)]
    static extern void cblas_dgemm(int order, int transA, int transB, int m, int n, int k, double alpha,
        ref double a, int lda, ref double b, int ldb, double beta, ref double c, int ldc);

    [DllImport(Lib)]
    static extern void cblas_sgemm(int order, int transA, int transB, int m, int n, int k, float alpha,
        ref float a, int lda, ref float b, int ldb, float beta, ref float c, int ldc);

    [DllImport(Lib)]
    static extern void openblas_set_num_threads(int n);

    [DllImport(Lib)]
    internal static extern void dgetrf_(ref int m, ref int n, ref double a, ref int lda, ref int ipiv, ref int info);

    [DllImport(Lib)]
    internal static extern void dgetrs_(ref byte trans, ref int n, ref int nrhs, ref double a, ref int lda, ref int ipiv,
        ref double b, ref int ldb, ref int info);

    [DllImport(Lib)]
    static extern void zgeev_(ref byte jobvl, ref byte jobvr, ref int n, ref double a, ref int lda, ref double w,
        ref double vl, ref int ldvl, ref double vr, ref int ldvr, ref double work, ref int lwork, ref double rwork, ref int info);

    [DllImport(Lib)]
    static extern void dsyevd_(ref byte jobz, ref byte uplo, ref int n, ref double a, ref int lda, ref double w,
        ref double work, ref int lwork, ref int iwork, ref int liwork, ref int info);

    [DllImport(Lib)]
    static extern void zgetrf_(ref int m, ref int n, ref double a, ref int lda, ref int ipiv, ref int info);

    [DllImport(Lib)]
    static extern void zgetri_(ref int n, ref double a, ref int lda, ref int ipiv, ref double work, ref int lwork, ref int info);

    public override void Gemm(int m, int n, int k, double alpha, ReadOnlySpan<double> A, ReadOnlySpan<double> B,
        double beta, Span<double> C)
    {
        CheckGemm(m, n, k, A, B, C);
        if (m == 0 || n == 0) return;
        if (k == 0) { Managed.Gemm(m, n, k, alpha, A, B, beta, C); return; }
        cblas_dgemm(RowMajor, NoTrans, NoTrans, m, n, k, alpha,
            ref MemoryMarshal.GetReference(A), k, ref MemoryMarshal.GetReference(B), n,
            beta, ref MemoryMarshal.GetReference(C), n);
    }

    public override void Gemm(int m, int n, int k, float alpha, ReadOnlySpan<float> A, ReadOnlySpan<float> B,
        float beta, Span<float> C)
    {
        CheckGemm(m, n, k, A, B, C);
        if (m == 0 || n == 0) return;
        if (k == 0) { Managed.Gemm(m, n, k, alpha, A, B, beta, C); return; }
        cblas_sgemm(RowMajor, NoTrans, NoTrans, m, n, k, alpha,
            ref MemoryMarshal.GetReference(A), k, ref MemoryMarshal.GetReference(B), n,
            beta, ref MemoryMarshal.GetReference(C), n);
    }

    public override DenseLU Factor(int n, ReadOnlySpan<double> rowMajor) => OpenBlasLU.Create(n, rowMajor);

    public override IDisposable UseThreads(int threads)
    {
        if (threads <= 1) return base.UseThreads(threads);
        openblas_set_num_threads(threads);
        return new ThreadScope();
    }

    sealed class ThreadScope : IDisposable
    {
        public void Dispose() => openblas_set_num_threads(1);
    }

    /// <summary>dsyevd (divide and conquer). A symmetric row-major matrix is its own column-major copy, and the
    /// column-major eigenvector matrix is transposed back to row-major.</summary>
    public override bool TrySymmetricEigen(int n, double[] rowMajor, out double[] values, out double[] vectors)
    {
        values = []; vectors = [];
        if (n == 0 || rowMajor.Length < n * n) return false;
        var a = rowMajor[..(n * n)];
        var w = new double[n];
        byte V = (byte)'V', U = (byte)'U';
        int nn = n, lda = n, lwork = -1, liwork = -1, info = 0;
        var wq = new double[1]; var iq = new int[1];
        dsyevd_(ref V, ref U, ref nn, ref a[0], ref lda, ref w[0], ref wq[0], ref lwork, ref iq[0], ref liwork, ref info);
        if (info != 0) return false;
        lwork = Math.Max(1, (int)wq[0]); liwork = Math.Max(1, iq[0]);
        var work = new double[lwork]; var iwork = new int[liwork];
        dsyevd_(ref V, ref U, ref nn, ref a[0], ref lda, ref w[0], ref work[0], ref lwork, ref iwork[0], ref liwork, ref info);
        if (info != 0) return false;
        values = w;
        vectors = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) vectors[i * n + j] = a[j * n + i];
        return true;
    }

    /// <summary>zgetrf + zgetri on the transpose: inv(A^T) = inv(A)^T, so a row-major A read as column-major
    /// (A^T) gives inv(A)^T column-major, i.e. inv(A) row-major, with no copies.</summary>
    public override bool TryInverse(int n, double[] rowMajor, out double[] inverse)
    {
        inverse = [];
        if (n == 0 || rowMajor.Length < 2 * n * n) return false;
        var a = rowMajor[..(2 * n * n)];
        var ipiv = new int[n];
        int nn = n, lda = n, info = 0, lwork = -1;
        zgetrf_(ref nn, ref nn, ref a[0], ref lda, ref ipiv[0], ref info);
        if (info != 0) return false;
        var q = new double[2];
        zgetri_(ref nn, ref a[0], ref lda, ref ipiv[0], ref q[0], ref lwork, ref info);
        lwork = Math.Max(1, (int)q[0]);
        var work = new double[2 * lwork];
        zgetri_(ref nn, ref a[0], ref lda, ref ipiv[0], ref work[0], ref lwork, ref info);
        if (info != 0) return false;
        inverse = a;
        return true;
    }

    /// <summary>zgeev; eigenvectors returned row-major interleaved: V[i, j] = component i of vector j.</summary>
    public override bool TryEigen(int n, double[] rowMajor, out double[] values, out double[] vectors)
    {
        values = []; vectors = [];
        if (n == 0) return false;
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
}
