using System.Numerics;
using System.Runtime.CompilerServices;

namespace Ness.Numerics.Dense;

/// <summary>Right-looking LU with partial pivoting on a row-major copy; row updates as SIMD axpys.
/// A zero pivot column is recorded (Singular) and skipped, as in dgetrf.</summary>
public sealed class ManagedLU : DenseLU
{
    readonly double[] lu;     // row-major: L below the diagonal (unit), U on and above
    readonly int[] perm;      // row i of P A is row perm[i] of A

    ManagedLU(int n, double[] lu, int[] perm, bool singular, double smallest) : base(n, singular, smallest)
    {
        this.lu = lu;
        this.perm = perm;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ManagedLU Create(int n, ReadOnlySpan<double> rowMajor)
    {
        if (rowMajor.Length < (long)n * n) throw new ArgumentException("LU: array too short");
        var a = rowMajor[..(n * n)].ToArray();
        var perm = new int[n];
        for (int i = 0; i < n; i++) perm[i] = i;
        bool singular = false;
        double smallest = double.PositiveInfinity;
        int W = Vector<double>.Count;
        for (int k = 0; k < n; k++)
        {
            int p = k;
            double best = Math.Abs(a[k * n + k]);
            for (int i = k + 1; i < n; i++)
            {
                double v = Math.Abs(a[i * n + k]);
                if (v > best || double.IsNaN(v)) { best = v; p = i; }
            }
            if (p != k)
            {
                SwapRows(a, k, p, n);
                (perm[k], perm[p]) = (perm[p], perm[k]);
            }
            double u = a[k * n + k];
            smallest = Math.Min(smallest, Math.Abs(u));
            if (IsZeroPivot(u)) { singular = true; continue; }
            var rowK = a.AsSpan(k * n + k + 1, n - k - 1);
            for (int i = k + 1; i < n; i++)
            {
                double f = a[i * n + k] / u;
                a[i * n + k] = f;
                if (f == 0) continue;
                var rowI = a.AsSpan(i * n + k + 1, n - k - 1);
                var vf = new Vector<double>(f);
                int j = 0;
                for (; j + W <= rowI.Length; j += W)
                    (new Vector<double>(rowI.Slice(j, W)) - vf * new Vector<double>(rowK.Slice(j, W))).CopyTo(rowI.Slice(j, W));
                for (; j < rowI.Length; j++) rowI[j] -= f * rowK[j];
            }
        }
        return new ManagedLU(n, a, perm, singular, smallest);
    }

    static void SwapRows(double[] a, int k, int p, int n)
    {
        for (int j = 0; j < n; j++) (a[k * n + j], a[p * n + j]) = (a[p * n + j], a[k * n + j]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Solve(Span<double> b)
    {
        if (Singular) throw new InvalidOperationException("LU: the matrix is singular");
        int n = N;
        var y = new double[n];
        for (int i = 0; i < n; i++) y[i] = b[perm[i]];
        for (int i = 0; i < n; i++)          // L y = P b (unit lower)
        {
            double s = y[i];
            var row = lu.AsSpan(i * n, i);
            for (int j = 0; j < row.Length; j++) s -= row[j] * y[j];
            y[i] = s;
        }
        for (int i = n - 1; i >= 0; i--)     // U x = y
        {
            double s = y[i];
            var row = lu.AsSpan(i * n + i + 1, n - i - 1);
            for (int j = 0; j < row.Length; j++) s -= row[j] * y[i + 1 + j];
            y[i] = s / lu[i * n + i];
        }
        y.CopyTo(b);
    }
}
