namespace Ness.Numerics.Dense;

/// <summary>
/// A provider of the real dense kernels the block solvers need (in the spirit of MathNet's linear-algebra
/// providers): C = alpha A B + beta C on row-major arrays (no transposes: callers keep transposed copies),
/// an LU factorisation, and optionally a complex eigendecomposition. Two providers: <see cref="Managed"/>
/// (System.Numerics.Vector SIMD, always available) and <see cref="OpenBlas"/> (the system OpenBLAS, Debian
/// package libopenblas0-pthread, loaded at run time; null when it cannot be loaded). Which one a solver uses is
/// an option chosen at the edge of the program, not a global switch.
/// </summary>
public abstract class DenseKernels
{
    /// <summary>"managed" or "openblas".</summary>
    public abstract string Name { get; }

    /// <summary>C (m×n) = alpha A (m×k) B (k×n) + beta C, all row-major and contiguous.</summary>
    public abstract void Gemm(int m, int n, int k, double alpha, ReadOnlySpan<double> A, ReadOnlySpan<double> B,
        double beta, Span<double> C);

    /// <summary>The same in single precision (the Krylov smoother's mixed-precision products).</summary>
    public abstract void Gemm(int m, int n, int k, float alpha, ReadOnlySpan<float> A, ReadOnlySpan<float> B,
        float beta, Span<float> C);

    /// <summary>LU factorisation with partial pivoting of the n×n matrix given row-major.</summary>
    public abstract DenseLU Factor(int n, ReadOnlySpan<double> rowMajor);

    /// <summary>The same, allowed to use up to <paramref name="threads"/> threads (for one large matrix, when nothing
    /// else runs).</summary>
    public DenseLU Factor(int n, ReadOnlySpan<double> rowMajor, int threads)
    {
        using var scope = UseThreads(threads);
        return Factor(n, rowMajor);
    }

    /// <summary>Lets the kernels called until the scope is disposed use up to <paramref name="threads"/> threads (for a
    /// setup in which nothing else runs); the managed kernels ignore it.</summary>
    public virtual IDisposable UseThreads(int threads) => NoScope.Instance;

    sealed class NoScope : IDisposable
    {
        public static readonly NoScope Instance = new();
        public void Dispose() { }
    }

    /// <summary>Eigenvalues and right eigenvectors of a general complex n×n matrix (row-major, interleaved re/im);
    /// false when the provider has no eigensolver (the caller falls back to MathNet).</summary>
    public virtual bool TryEigen(int n, double[] rowMajor, out double[] values, out double[] vectors)
    {
        values = [];
        vectors = [];
        return false;
    }

    /// <summary>Eigenvalues (ascending) and orthonormal eigenvectors of a real symmetric n×n matrix (row-major);
    /// vectors[i * n + j] = component i of vector j. False when the provider has none (the caller falls back to MathNet).</summary>
    public virtual bool TrySymmetricEigen(int n, double[] rowMajor, out double[] values, out double[] vectors)
    {
        values = [];
        vectors = [];
        return false;
    }

    /// <summary>The inverse of a general complex n×n matrix (row-major, interleaved re/im), or false when the provider
    /// has no such kernel or the matrix is singular (the caller falls back to MathNet).</summary>
    public virtual bool TryInverse(int n, double[] rowMajor, out double[] inverse)
    {
        inverse = [];
        return false;
    }

    /// <summary>The managed SIMD kernels.</summary>
    public static DenseKernels Managed { get; } = new ManagedKernels();

    /// <summary>The system OpenBLAS, or null when libopenblas cannot be loaded.</summary>
    public static DenseKernels? OpenBlas => OpenBlasKernels.Instance;

    /// <summary>OpenBLAS when it loads, the managed kernels otherwise.</summary>
    public static DenseKernels Best => OpenBlas ?? Managed;

    protected static void CheckGemm<T>(int m, int n, int k, ReadOnlySpan<T> A, ReadOnlySpan<T> B, Span<T> C)
    {
        if (m < 0 || n < 0 || k < 0) throw new ArgumentOutOfRangeException(nameof(m), "gemm: negative size");
        if (A.Length < (long)m * k || B.Length < (long)k * n || C.Length < (long)m * n) throw new ArgumentException("gemm: array too short");
    }
}
