namespace Ness.Numerics.Dense;

/// <summary>
/// An LU factorisation P A = L U of a dense real n×n matrix with partial pivoting. <see cref="Singular"/> is
/// decided on the pivots themselves (a pivot exactly zero or not finite), as LAPACK's dgetrf does; never on
/// the determinant, which underflows to 0 for a regular 2^L × 2^L rate matrix whose pivots are merely small.
/// </summary>
public abstract class DenseLU
{
    public int N { get; }

    /// <summary>Some pivot u_kk is exactly zero (or NaN/infinite): A is singular to working precision.</summary>
    public bool Singular { get; }

    /// <summary>Pivot of the smallest magnitude, min_k |u_kk| (diagnostic).</summary>
    public double SmallestPivot { get; }

    protected DenseLU(int n, bool singular, double smallestPivot)
    {
        N = n;
        Singular = singular;
        SmallestPivot = smallestPivot;
    }

    /// <summary>Solves A x = b in place (b has length <see cref="N"/>).</summary>
    public abstract void Solve(Span<double> b);

    /// <summary>Solves A X = B in place for <paramref name="nrhs"/> right-hand sides stored one after another (column-major
    /// N × nrhs); threads as the kernels' <see cref="DenseKernels.UseThreads"/> allows.</summary>
    public virtual void Solve(int nrhs, Span<double> columns)
    {
        for (int j = 0; j < nrhs; j++) Solve(columns.Slice(j * N, N));
    }

    /// <summary>Bytes held by the factors.</summary>
    public static double Bytes(long n) => 8.0 * n * n + 4.0 * n;

    /// <summary>The pivot test of dgetrf: u_kk == 0 (or not finite) means singular.</summary>
    protected static bool IsZeroPivot(double u) => !(u != 0 && double.IsFinite(u));
}
