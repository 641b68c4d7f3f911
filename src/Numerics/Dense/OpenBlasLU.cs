
namespace Ness.Numerics.Dense;

/// <summary>LU by LAPACK dgetrf (column-major copy), solves by dgetrs. Singular when dgetrf reports an exactly
/// zero pivot (info &gt; 0) or a pivot is not finite.</summary>
public sealed class OpenBlasLU : DenseLU
{
    readonly double[] colMajor;
    readonly int[] pivots;

    OpenBlasLU(int n, double[] colMajor, int[] pivots, bool singular, double smallest) : base(n, singular, smallest)
    {
        this.colMajor = colMajor;
        this.pivots = pivots;
    }

    public static OpenBlasLU Create(int n, ReadOnlySpan<double> rowMajor)
    {
        if (rowMajor.Length < (long)n * n) throw new ArgumentException("LU: array too short");
        var a = new double[Math.Max(1, n * n)];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) a[i + j * n] = rowMajor[i * n + j];
        var ipiv = new int[Math.Max(1, n)];
        int m = n, lda = Math.Max(1, n), info = 0;
        if (n > 0) OpenBlasKernels.dgetrf_(ref m, ref m, ref a[0], ref lda, ref ipiv[0], ref info);
        if (info < 0) throw new InvalidOperationException($"dgetrf: argument {-info} is invalid");
        bool singular = info > 0;
        double smallest = double.PositiveInfinity;
        for (int k = 0; k < n; k++)
        {
            double u = a[k + k * n];
            smallest = Math.Min(smallest, Math.Abs(u));
            singular |= IsZeroPivot(u);
        }
        return new OpenBlasLU(n, a, ipiv, singular, smallest);
    }

    public override void Solve(Span<double> b)
    {
        if (Singular) throw new InvalidOperationException("LU: the matrix is singular");
        if (N == 0) return;
        byte t = (byte)'N';
        int m = N, one = 1, lda = N, ldb = N, info = 0;
        OpenBlasKernels.dgetrs_(ref t, ref m, ref one, ref colMajor[0], ref lda, ref pivots[0],
            ref System.Runtime.InteropServices.MemoryMarshal.GetReference(b), ref ldb, ref info);
        if (info != 0) throw new InvalidOperationException($"dgetrs: info {info}");
    }

    public override void Solve(int nrhs, Span<double> columns)
    {
        if (Singular) throw new InvalidOperationException("LU: the matrix is singular");
        if (N == 0 || nrhs == 0) return;
        if (columns.Length < (long)N * nrhs) throw new ArgumentException("LU: array too short");
        byte t = (byte)'N';
        int m = N, k = nrhs, lda = N, ldb = N, info = 0;
        OpenBlasKernels.dgetrs_(ref t, ref m, ref k, ref colMajor[0], ref lda, ref pivots[0],
            ref System.Runtime.InteropServices.MemoryMarshal.GetReference(columns), ref ldb, ref info);
        if (info != 0) throw new InvalidOperationException($"dgetrs: info {info}");
    }
}
