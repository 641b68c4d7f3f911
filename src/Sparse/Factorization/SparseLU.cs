using System.Buffers;
using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Ness.Sparse.Ordering;
using Ness.Sparse.Storage;

namespace Ness.Sparse.Factorization;

/// <summary>
/// Sparse LU factorization P A Q = L U of a square complex matrix, L unit lower triangular, U upper
/// triangular. Davis (2006), §6.3, cs_lu: left-looking, one column of A at a time; column k of L and U
/// is the solution of a sparse triangular system L x = A(:, q[k]) whose nonzero pattern is found by a
/// depth-first search in the graph of L (§3.2, cs_spsolve / cs_reach / cs_dfs), followed by threshold
/// partial pivoting. Q is a fill-reducing column ordering (§7.1, cs_amd), P is chosen numerically.
/// </summary>
/// <remarks>
/// <para>Pivoting: among the candidate rows (not yet pivotal) the entry of largest modulus a is found;
/// the "diagonal" entry A(q[k], q[k]) is preferred whenever its modulus is ≥ tol·a. tol = 1 is plain
/// partial pivoting; small tol keeps the diagonal (and the symmetric AMD ordering) unless it is tiny.
/// Moduli are compared squared (no hypot), so entries beyond ~1e154 would compare as infinite.</para>
/// <para>Storage: L and U grow geometrically (×1.5); the arrays are not trimmed at the end, so they may
/// hold up to about 1/3 unused capacity. An oversized request throws <see cref="OutOfMemoryException"/>.
/// Exact numerical cancellation is kept as stored zeros (as in cs_lu).</para>
/// <para>Measured (AMD on A + Aᵀ, tol = 1, Release, .NET 10, one core of a shared 2-core machine, best
/// of 3; tests/Sparse.Tests/FillMeasurements.cs with NESS_SPARSE_MEASURE=1):
/// 2D 5-point grid 100×100 (n = 10⁴, nnz(A) = 49 600): nnz(L+U) = 412 664 (fill 8.3×), 12 M complex
/// multiply-adds, ordering ≈ 0.015 s, ordering + factorization ≈ 0.06–0.11 s;
/// 3D 7-point grid 20³ (n = 8000, nnz(A) = 53 600): nnz(L+U) = 1 684 564 (fill 31×), 307 M complex
/// multiply-adds, ordering ≈ 0.01–0.02 s, ordering + factorization ≈ 0.97–1.1 s (≈ 3 ns per multiply-add,
/// about a third of the time in the depth-first reach). One solve ≈ 10 ms for either.</para>
/// </remarks>
public sealed class SparseLU
{
    readonly int n;
    readonly int[] pinv;   // pinv[i] = k: row i of A is the k-th pivot row
    readonly int[] q;      // q[k] = j: column j of A is the k-th pivot column

    /// <summary>Unit lower triangular factor (diagonal stored first in each column), rows in pivot order.</summary>
    public CompressedColumnStorage L { get; }

    /// <summary>Upper triangular factor (diagonal stored last in each column).</summary>
    public CompressedColumnStorage U { get; }

    /// <summary>Order of the factored matrix.</summary>
    public int Size => n;

    /// <summary>nnz(L) + nnz(U), the unit diagonal of L included (it is stored). CSparse.NET's
    /// <c>NonZerosCount</c> subtracts it (lnz + unz − n), so this count is larger by n.</summary>
    public long NonZerosCount => (long)L.NonZerosCount + U.NonZerosCount;

    /// <summary>nnz(L), unit diagonal included.</summary>
    public int LowerNonZerosCount => L.NonZerosCount;

    /// <summary>nnz(U), diagonal included.</summary>
    public int UpperNonZerosCount => U.NonZerosCount;

    /// <summary>nnz(A) of the factored matrix.</summary>
    public int MatrixNonZerosCount { get; }

    /// <summary>Fill ratio (nnz(L) + nnz(U)) / nnz(A) (0 for an empty matrix).</summary>
    public double FillRatio => MatrixNonZerosCount == 0 ? 0 : (double)NonZerosCount / MatrixNonZerosCount;

    /// <summary>Wall time of the ordering step.</summary>
    public TimeSpan OrderingTime { get; }

    /// <summary>Wall time of the numerical factorization (excluding ordering).</summary>
    public TimeSpan FactorizationTime { get; }

    /// <summary>Inverse row permutation: pinv[i] = k when row i of A is the k-th pivot row.</summary>
    public ReadOnlySpan<int> RowPermutationInverse => pinv;

    /// <summary>Column permutation: q[k] = j when column j of A is the k-th pivot column.</summary>
    public ReadOnlySpan<int> ColumnPermutation => q;

    SparseLU(int n, int[] pinv, int[] q, CompressedColumnStorage L, CompressedColumnStorage U,
        int nnzA, TimeSpan orderingTime, TimeSpan factorizationTime)
    {
        this.n = n;
        this.pinv = pinv;
        this.q = q;
        this.L = L;
        this.U = U;
        MatrixNonZerosCount = nnzA;
        OrderingTime = orderingTime;
        FactorizationTime = factorizationTime;
    }

    /// <summary>
    /// Orders and factors A. Davis (2006), §8.1 cs_sqr (ordering, initial size guess 4·nnz(A) + n for
    /// each factor) and §6.3 cs_lu.
    /// </summary>
    /// <param name="A">Square matrix; row indices within a column need not be sorted but must be unique.</param>
    /// <param name="ordering">Column ordering (fill reduction).</param>
    /// <param name="tol">Pivot threshold in [0, 1]; 1 = partial pivoting, smaller prefers the diagonal.</param>
    /// <exception cref="ArgumentNullException">A is null.</exception>
    /// <exception cref="ArgumentException">A is not square.</exception>
    /// <exception cref="ArgumentOutOfRangeException">tol is outside [0, 1] (or NaN), or ordering is undefined.</exception>
    /// <exception cref="SingularMatrixException">No nonzero pivot in some column.</exception>
    /// <exception cref="OutOfMemoryException">The factors do not fit in memory / in one .NET array.</exception>
    public static SparseLU Create(CompressedColumnStorage A, ColumnOrdering ordering, double tol)
    {
        ArgumentNullException.ThrowIfNull(A);
        if (A.RowCount != A.ColumnCount)
            throw new ArgumentException($"Matrix must be square, got {A.RowCount}×{A.ColumnCount}.", nameof(A));
        if (!(tol >= 0.0 && tol <= 1.0))
            throw new ArgumentOutOfRangeException(nameof(tol), tol, "Pivot tolerance must lie in [0, 1].");
        if (!Enum.IsDefined(ordering))
            throw new ArgumentOutOfRangeException(nameof(ordering), ordering, "Unknown column ordering.");

        var sw = Stopwatch.StartNew();
        int[] q = Amd.Generate(A, ordering);
        var tOrder = sw.Elapsed;
        sw.Restart();
        var (pinv, L, U) = Factorize(A, q, tol);
        var tFactor = sw.Elapsed;
        return new SparseLU(A.ColumnCount, pinv, q, L, U, A.NonZerosCount, tOrder, tFactor);
    }

    // ------------------------------------------------------------------ factorization

    /// <summary>Left-looking LU with threshold partial pivoting. Davis (2006), §6.3, cs_lu.</summary>
    static (int[] pinv, CompressedColumnStorage L, CompressedColumnStorage U) Factorize(
        CompressedColumnStorage A, int[] q, double tol)
    {
        int n = A.ColumnCount;
        int[] ap = A.ColumnPointers, ai = A.RowIndices;
        Complex[] ax = A.Values;

        // Initial guess for nnz(L) and nnz(U), as cs_sqr: 4 nnz(A) + n, capped.
        int guess = (int)Math.Min(4L * A.NonZerosCount + n, Array.MaxLength);
        guess = Math.Max(guess, 1);
        var lp = new int[n + 1];
        var li = new int[guess];
        var lx = new Complex[guess];
        var up = new int[n + 1];
        var ui = new int[guess];
        var ux = new Complex[guess];

        var pinv = new int[n];
        Array.Fill(pinv, -1);
        var x = new Complex[n];        // dense work column, all zero between columns
        var xi = new int[n];           // reach output: xi[top..n) in topological order
        var stack = new int[n];        // DFS node stack
        var pstack = new int[n];       // DFS position stack
        var marked = new int[n];       // marked[j] == k + 1: node j visited during column k
        double tol2 = tol * tol;

        int lnz = 0, unz = 0;
        for (int k = 0; k < n; k++)
        {
            lp[k] = lnz;
            up[k] = unz;
            if ((long)lnz + n > li.Length) Grow(ref li, ref lx, (long)lnz + n);
            if ((long)unz + n > ui.Length) Grow(ref ui, ref ux, (long)unz + n);

            int col = q[k];

            // x = L \ A(:, col), sparse (§3.2, cs_spsolve with lo = 1 and unit diagonal).
            int top = Reach(n, lp, li, ap, ai, col, pinv, xi, stack, pstack, marked, k + 1);
            for (int p = ap[col], end = ap[col + 1]; p < end; p++) x[ai[p]] = ax[p];
            for (int px = top; px < n; px++)
            {
                int j = xi[px];
                int J = pinv[j];
                if (J < 0) continue;                       // x(j) is not yet a U entry
                Complex xj = x[j];
                if (xj == Complex.Zero) continue;
                Axpy(x, li, lx, lp[J] + 1, lp[J + 1], xj);
            }

            // Split x into U(:, k) (pivotal rows) and pivot candidates (§6.3).
            int ipiv = -1;
            double a = -1;
            bool anyCandidate = false;
            for (int p = top; p < n; p++)
            {
                int i = xi[p];
                if (pinv[i] < 0)
                {
                    anyCandidate = true;
                    double t = Abs2(x[i]);
                    if (t > a) { a = t; ipiv = i; }
                }
                else
                {
                    ui[unz] = pinv[i];
                    ux[unz++] = x[i];
                }
            }
            if (ipiv < 0 || !(a > 0))
            {
                throw new SingularMatrixException(col, k, structural: !anyCandidate);
            }
            if (pinv[col] < 0 && Abs2(x[col]) >= a * tol2) ipiv = col;   // prefer the diagonal

            Complex pivot = x[ipiv];
            ui[unz] = k;                                   // diagonal is the last entry of U(:, k)
            ux[unz++] = pivot;
            pinv[ipiv] = k;
            li[lnz] = ipiv;                                // unit diagonal is the first entry of L(:, k)
            lx[lnz++] = Complex.One;
            Complex rpivot = Complex.One / pivot;
            for (int p = top; p < n; p++)
            {
                int i = xi[p];
                if (pinv[i] < 0)
                {
                    li[lnz] = i;
                    lx[lnz++] = x[i] * rpivot;
                }
                x[i] = Complex.Zero;
            }
        }
        lp[n] = lnz;
        up[n] = unz;
        for (int p = 0; p < lnz; p++) li[p] = pinv[li[p]];     // rows of L into pivot order

        var L = new CompressedColumnStorage(n, n, lp, li, lx);
        var U = new CompressedColumnStorage(n, n, up, ui, ux);
        return (pinv, L, U);
    }

    /// <summary>x[li[p]] -= lx[p]·a for p in [start, end): the scatter update of the column solve.
    /// Indices are trusted (they come from the factorization itself), so bounds checks are skipped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Axpy(Complex[] x, int[] li, Complex[] lx, int start, int end, Complex a)
    {
        ref Complex x0 = ref MemoryMarshal.GetArrayDataReference(x);
        ref int i0 = ref MemoryMarshal.GetArrayDataReference(li);
        ref Complex l0 = ref MemoryMarshal.GetArrayDataReference(lx);
        double ar = a.Real, ai = a.Imaginary;
        for (int p = start; p < end; p++)
        {
            Complex l = Unsafe.Add(ref l0, p);
            ref Complex t = ref Unsafe.Add(ref x0, Unsafe.Add(ref i0, p));
            double lr = l.Real, lim = l.Imaginary;
            t = new Complex(t.Real - (lr * ar - lim * ai), t.Imaginary - (lr * ai + lim * ar));
        }
    }

    static double Abs2(Complex z) => z.Real * z.Real + z.Imaginary * z.Imaginary;

    static void Grow(ref int[] idx, ref Complex[] val, long required)
    {
        int size = Growth.Next(idx.Length, required);
        Array.Resize(ref idx, size);
        Array.Resize(ref val, size);
    }

    /// <summary>
    /// Nonzero pattern of L \ A(:, col): all nodes reachable in the graph of L (edge j → i for
    /// L(i, pinv[j]) ≠ 0) from the rows of A(:, col), in topological order in xi[top..n).
    /// Davis (2006), §3.2, cs_reach; marks use a stamp instead of flipping column pointers.
    /// </summary>
    static int Reach(int n, int[] lp, int[] li, int[] ap, int[] ai, int col, int[] pinv,
        int[] xi, int[] stack, int[] pstack, int[] marked, int stamp)
    {
        int top = n;
        for (int p = ap[col], end = ap[col + 1]; p < end; p++)
        {
            int r = ai[p];
            if (marked[r] != stamp) top = Dfs(r, lp, li, top, pinv, xi, stack, pstack, marked, stamp);
        }
        return top;
    }

    /// <summary>Non-recursive depth-first search from node j. Davis (2006), §3.2, cs_dfs.</summary>
    static int Dfs(int j, int[] lp, int[] li, int top, int[] pinv,
        int[] xi, int[] stack, int[] pstack, int[] marked, int stamp)
    {
        int head = 0;
        stack[0] = j;
        while (head >= 0)
        {
            j = stack[head];
            int jnew = pinv[j];
            if (marked[j] != stamp)
            {
                marked[j] = stamp;
                pstack[head] = jnew < 0 ? 0 : lp[jnew] + 1;   // skip L's unit diagonal (it is j itself)
            }
            bool done = true;
            int p2 = jnew < 0 ? 0 : lp[jnew + 1];
            for (int p = pstack[head]; p < p2; p++)
            {
                int i = li[p];
                if (marked[i] == stamp) continue;
                pstack[head] = p;                             // resume here when i is finished
                stack[++head] = i;
                done = false;
                break;
            }
            if (done)
            {
                head--;
                xi[--top] = j;
            }
        }
        return top;
    }

    // ------------------------------------------------------------------ solves

    /// <summary>Solves A x = b. Davis (2006), §8.2, cs_lusol: x = Q U⁻¹ L⁻¹ P b.
    /// b and x may be the same memory.</summary>
    public void Solve(ReadOnlySpan<Complex> b, Span<Complex> x)
    {
        CheckSolveArguments(b, x);
        var pool = ArrayPool<Complex>.Shared;
        var rented = pool.Rent(n);
        try
        {
            var w = rented.AsSpan(0, n);
            for (int k = 0; k < n; k++) w[pinv[k]] = b[k];          // w = P b (cs_ipvec)
            LowerSolve(w);
            UpperSolve(w);
            for (int k = 0; k < n; k++) x[q[k]] = w[k];             // x = Q w (cs_ipvec)
        }
        finally { pool.Return(rented); }
    }

    /// <summary>
    /// Solves Aᵀ x = b with the plain transpose (no conjugation): x = Pᵀ L⁻ᵀ U⁻ᵀ Qᵀ b (cs_ltsolve,
    /// cs_utsolve of Davis (2006), §3.1, without conjugation). Note: CSparse.NET's complex
    /// <c>SparseLU.SolveTranspose</c> (like CXSparse's complex cs_ltsolve/cs_utsolve) conjugates, i.e. it
    /// solves Aᴴ x = b; that corresponds to <see cref="SolveConjugateTranspose"/> here.
    /// </summary>
    public void SolveTranspose(ReadOnlySpan<Complex> b, Span<Complex> x) => SolveTransposed(b, x, conjugate: false);

    /// <summary>Solves Aᴴ x = b (conjugate transpose); same as CSparse.NET's complex SolveTranspose.</summary>
    public void SolveConjugateTranspose(ReadOnlySpan<Complex> b, Span<Complex> x) => SolveTransposed(b, x, conjugate: true);

    void SolveTransposed(ReadOnlySpan<Complex> b, Span<Complex> x, bool conjugate)
    {
        CheckSolveArguments(b, x);
        var pool = ArrayPool<Complex>.Shared;
        var rented = pool.Rent(n);
        try
        {
            var w = rented.AsSpan(0, n);
            for (int k = 0; k < n; k++) w[k] = b[q[k]];             // w = Qᵀ b (cs_pvec)
            UpperTransposeSolve(w, conjugate);
            LowerTransposeSolve(w, conjugate);
            for (int k = 0; k < n; k++) x[k] = w[pinv[k]];          // x = Pᵀ w (cs_pvec)
        }
        finally { pool.Return(rented); }
    }

    void CheckSolveArguments(ReadOnlySpan<Complex> b, Span<Complex> x)
    {
        if (b.Length != n) throw new ArgumentException($"Right-hand side has length {b.Length}, expected {n}.", nameof(b));
        if (x.Length != n) throw new ArgumentException($"Solution has length {x.Length}, expected {n}.", nameof(x));
    }

    /// <summary>L x = b in place, L unit lower triangular. Davis (2006), §3.1, cs_lsolve.</summary>
    void LowerSolve(Span<Complex> x)
    {
        int[] lp = L.ColumnPointers, li = L.RowIndices;
        Complex[] lx = L.Values;
        for (int j = 0; j < n; j++)
        {
            Complex xj = x[j];
            if (xj == Complex.Zero) continue;
            for (int p = lp[j] + 1, end = lp[j + 1]; p < end; p++) x[li[p]] -= lx[p] * xj;
        }
    }

    /// <summary>U x = b in place, diagonal last in each column. Davis (2006), §3.1, cs_usolve.</summary>
    void UpperSolve(Span<Complex> x)
    {
        int[] up = U.ColumnPointers, ui = U.RowIndices;
        Complex[] ux = U.Values;
        for (int j = n - 1; j >= 0; j--)
        {
            int end = up[j + 1] - 1;
            Complex xj = x[j] / ux[end];
            x[j] = xj;
            if (xj == Complex.Zero) continue;
            for (int p = up[j]; p < end; p++) x[ui[p]] -= ux[p] * xj;
        }
    }

    /// <summary>Lᵀ x = b (or Lᴴ x = b) in place. Davis (2006), §3.1, cs_ltsolve.</summary>
    void LowerTransposeSolve(Span<Complex> x, bool conjugate)
    {
        int[] lp = L.ColumnPointers, li = L.RowIndices;
        Complex[] lx = L.Values;
        for (int j = n - 1; j >= 0; j--)
        {
            Complex s = x[j];
            if (conjugate)
                for (int p = lp[j] + 1, end = lp[j + 1]; p < end; p++) s -= Complex.Conjugate(lx[p]) * x[li[p]];
            else
                for (int p = lp[j] + 1, end = lp[j + 1]; p < end; p++) s -= lx[p] * x[li[p]];
            x[j] = s;
        }
    }

    /// <summary>Uᵀ x = b (or Uᴴ x = b) in place. Davis (2006), §3.1, cs_utsolve.</summary>
    void UpperTransposeSolve(Span<Complex> x, bool conjugate)
    {
        int[] up = U.ColumnPointers, ui = U.RowIndices;
        Complex[] ux = U.Values;
        for (int j = 0; j < n; j++)
        {
            int end = up[j + 1] - 1;
            Complex s = x[j];
            if (conjugate)
            {
                for (int p = up[j]; p < end; p++) s -= Complex.Conjugate(ux[p]) * x[ui[p]];
                x[j] = s / Complex.Conjugate(ux[end]);
            }
            else
            {
                for (int p = up[j]; p < end; p++) s -= ux[p] * x[ui[p]];
                x[j] = s / ux[end];
            }
        }
    }
}
