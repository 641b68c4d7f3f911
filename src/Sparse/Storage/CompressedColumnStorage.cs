using System.Numerics;

namespace Ness.Sparse.Storage;

/// <summary>
/// Sparse complex matrix in compressed-column form: column j holds the entries
/// <c>RowIndices[p]</c>, <c>Values[p]</c> for <c>ColumnPointers[j] ≤ p &lt; ColumnPointers[j+1]</c>.
/// Davis (2006), §2.2, "compressed-column form" (cs). The arrays may be longer than
/// <see cref="NonZerosCount"/> (= <c>ColumnPointers[ColumnCount]</c>). Matrices built by the
/// factories here have sorted row indices and no duplicates.
/// </summary>
public sealed class CompressedColumnStorage
{
    /// <summary>Number of rows.</summary>
    public int RowCount { get; }

    /// <summary>Number of columns.</summary>
    public int ColumnCount { get; }

    /// <summary>Column pointers, length <see cref="ColumnCount"/> + 1.</summary>
    public int[] ColumnPointers { get; }

    /// <summary>Row indices, length ≥ <see cref="NonZerosCount"/>.</summary>
    public int[] RowIndices { get; internal set; }

    /// <summary>Values, length ≥ <see cref="NonZerosCount"/>.</summary>
    public Complex[] Values { get; internal set; }

    /// <summary>Number of stored entries, <c>ColumnPointers[ColumnCount]</c>.</summary>
    public int NonZerosCount => ColumnPointers[ColumnCount];

    /// <summary>Allocates an all-zero <paramref name="rowCount"/>×<paramref name="columnCount"/>
    /// matrix with room for <paramref name="valueCount"/> entries (cs_spalloc).</summary>
    public CompressedColumnStorage(int rowCount, int columnCount, int valueCount)
    {
        if (rowCount < 0) throw new ArgumentOutOfRangeException(nameof(rowCount));
        if (columnCount < 0) throw new ArgumentOutOfRangeException(nameof(columnCount));
        if (valueCount < 0) throw new ArgumentOutOfRangeException(nameof(valueCount));
        RowCount = rowCount;
        ColumnCount = columnCount;
        ColumnPointers = new int[columnCount + 1];
        RowIndices = new int[valueCount];
        Values = new Complex[valueCount];
    }

    internal CompressedColumnStorage(int rowCount, int columnCount, int[] ap, int[] ai, Complex[] ax)
    {
        RowCount = rowCount;
        ColumnCount = columnCount;
        ColumnPointers = ap;
        RowIndices = ai;
        Values = ax;
    }

    // ------------------------------------------------------------------ factories

    /// <summary>Compresses a triplet builder, summing duplicates; row indices come out sorted.
    /// Davis (2006), §2.4, cs_compress + cs_dupl (done as a bucket sort by row, then by column).</summary>
    public static CompressedColumnStorage OfIndexed(CoordinateStorage coo)
    {
        ArgumentNullException.ThrowIfNull(coo);
        return Compress(coo.RowCount, coo.ColumnCount, coo.NonZerosCount,
            coo.RowIndices, coo.ColumnIndices, coo.Values);
    }

    /// <summary>Builds a matrix from parallel triplet arrays (duplicates are summed).</summary>
    public static CompressedColumnStorage OfTriplets(int rows, int cols,
        ReadOnlySpan<int> i, ReadOnlySpan<int> j, ReadOnlySpan<Complex> values)
    {
        if (rows < 0) throw new ArgumentOutOfRangeException(nameof(rows));
        if (cols < 0) throw new ArgumentOutOfRangeException(nameof(cols));
        if (i.Length != j.Length || i.Length != values.Length)
            throw new ArgumentException("Triplet arrays must have equal lengths.", nameof(values));
        for (int k = 0; k < i.Length; k++)
        {
            if ((uint)i[k] >= (uint)rows) throw new ArgumentOutOfRangeException(nameof(i), $"Row index {i[k]} at {k}.");
            if ((uint)j[k] >= (uint)cols) throw new ArgumentOutOfRangeException(nameof(j), $"Column index {j[k]} at {k}.");
        }
        return Compress(rows, cols, i.Length, i, j, values);
    }

    /// <summary>Builds a matrix from a sequence of triplets (duplicates are summed).</summary>
    public static CompressedColumnStorage OfTriplets(int rows, int cols, IEnumerable<(int i, int j, Complex value)> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var coo = new CoordinateStorage(rows, cols, 16);
        foreach (var (i, j, v) in entries) coo.At(i, j, v);
        return OfIndexed(coo);
    }

    /// <summary>Builds a matrix from a dense array (row-major [i, j]); exact zeros are not stored.</summary>
    public static CompressedColumnStorage OfArray(Complex[,] array)
    {
        ArgumentNullException.ThrowIfNull(array);
        int m = array.GetLength(0), n = array.GetLength(1);
        var coo = new CoordinateStorage(m, n, 16);
        for (int j = 0; j < n; j++)
            for (int i = 0; i < m; i++)
                if (array[i, j] != Complex.Zero) coo.At(i, j, array[i, j]);
        return OfIndexed(coo);
    }

    /// <summary>Sparse identity of order n.</summary>
    public static CompressedColumnStorage CreateIdentity(int n)
    {
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n));
        var A = new CompressedColumnStorage(n, n, n);
        for (int k = 0; k < n; k++)
        {
            A.ColumnPointers[k] = k;
            A.RowIndices[k] = k;
            A.Values[k] = Complex.One;
        }
        A.ColumnPointers[n] = n;
        return A;
    }

    static CompressedColumnStorage Compress(int m, int n, int nz,
        ReadOnlySpan<int> ti, ReadOnlySpan<int> tj, ReadOnlySpan<Complex> tx)
    {
        // Pass 1: bucket the triplets by row (stable), giving a row-major order.
        var rp = new int[m + 1];
        for (int k = 0; k < nz; k++) rp[ti[k] + 1]++;
        for (int i = 0; i < m; i++) rp[i + 1] += rp[i];
        var next = (int[])rp.Clone();
        var order = new int[nz];
        for (int k = 0; k < nz; k++) order[next[ti[k]]++] = k;

        // Pass 2: scatter row-major into columns; rows arrive increasing, so duplicates are
        // adjacent at the end of their column and are summed in place.
        var cnt = new int[n + 1];
        for (int k = 0; k < nz; k++) cnt[tj[k] + 1]++;
        for (int j = 0; j < n; j++) cnt[j + 1] += cnt[j];
        var start = (int[])cnt.Clone();          // start of each column's slot range
        var fill = (int[])cnt.Clone();           // next free slot per column
        var ci = new int[nz];
        var cx = new Complex[nz];
        for (int r = 0; r < nz; r++)
        {
            int k = order[r], i = ti[k], j = tj[k];
            int f = fill[j];
            if (f > start[j] && ci[f - 1] == i) { cx[f - 1] += tx[k]; continue; }
            ci[f] = i;
            cx[f] = tx[k];
            fill[j] = f + 1;
        }

        // Pass 3: squeeze out the slots freed by duplicates.
        var cp = new int[n + 1];
        int q = 0;
        for (int j = 0; j < n; j++)
        {
            cp[j] = q;
            for (int p = start[j]; p < fill[j]; p++)
            {
                ci[q] = ci[p];
                cx[q] = cx[p];
                q++;
            }
        }
        cp[n] = q;
        return new CompressedColumnStorage(m, n, cp, ci, cx);
    }

    // ------------------------------------------------------------------ operations

    /// <summary>y = A x. Davis (2006), §2.3, cs_gaxpy (with y cleared first).</summary>
    public void Multiply(ReadOnlySpan<Complex> x, Span<Complex> y)
    {
        if (x.Length != ColumnCount) throw new ArgumentException($"x has length {x.Length}, expected {ColumnCount}.", nameof(x));
        if (y.Length != RowCount) throw new ArgumentException($"y has length {y.Length}, expected {RowCount}.", nameof(y));
        y.Clear();
        int[] ap = ColumnPointers, ai = RowIndices;
        Complex[] ax = Values;
        for (int j = 0; j < ColumnCount; j++)
        {
            Complex xj = x[j];
            if (xj == Complex.Zero) continue;
            for (int p = ap[j], end = ap[j + 1]; p < end; p++) y[ai[p]] += ax[p] * xj;
        }
    }

    /// <summary>y = Aᵀ x (plain transpose, no conjugation).</summary>
    public void TransposeMultiply(ReadOnlySpan<Complex> x, Span<Complex> y)
    {
        if (x.Length != RowCount) throw new ArgumentException($"x has length {x.Length}, expected {RowCount}.", nameof(x));
        if (y.Length != ColumnCount) throw new ArgumentException($"y has length {y.Length}, expected {ColumnCount}.", nameof(y));
        int[] ap = ColumnPointers, ai = RowIndices;
        Complex[] ax = Values;
        for (int j = 0; j < ColumnCount; j++)
        {
            Complex s = Complex.Zero;
            for (int p = ap[j], end = ap[j + 1]; p < end; p++) s += ax[p] * x[ai[p]];
            y[j] = s;
        }
    }

    /// <summary>Aᵀ (plain transpose); row indices of the result are sorted.
    /// Davis (2006), §2.5, cs_transpose.</summary>
    public CompressedColumnStorage Transpose() => Transpose(conjugate: false);

    /// <summary>Aᴴ (conjugate transpose).</summary>
    public CompressedColumnStorage ConjugateTranspose() => Transpose(conjugate: true);

    CompressedColumnStorage Transpose(bool conjugate)
    {
        int m = RowCount, n = ColumnCount, nz = NonZerosCount;
        int[] ap = ColumnPointers, ai = RowIndices;
        Complex[] ax = Values;
        var cp = new int[m + 1];
        var ci = new int[nz];
        var cx = new Complex[nz];
        for (int p = 0; p < nz; p++) cp[ai[p] + 1]++;
        for (int i = 0; i < m; i++) cp[i + 1] += cp[i];
        var w = new int[m];
        Array.Copy(cp, w, m);
        for (int j = 0; j < n; j++)
            for (int p = ap[j], end = ap[j + 1]; p < end; p++)
            {
                int q = w[ai[p]]++;
                ci[q] = j;
                cx[q] = conjugate ? Complex.Conjugate(ax[p]) : ax[p];
            }
        return new CompressedColumnStorage(n, m, cp, ci, cx);
    }

    /// <summary>A + B (same dimensions). Davis (2006), §2.5, cs_add with alpha = beta = 1.</summary>
    public CompressedColumnStorage Add(CompressedColumnStorage other) => Add(Complex.One, Complex.One, other);

    /// <summary>alpha A + beta B (same dimensions); row indices of the result are sorted.
    /// Davis (2006), §2.5, cs_add (scatter into a dense work vector, cs_scatter).</summary>
    public CompressedColumnStorage Add(Complex alpha, Complex beta, CompressedColumnStorage other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.RowCount != RowCount || other.ColumnCount != ColumnCount)
            throw new ArgumentException("Matrix dimensions must agree.", nameof(other));
        int m = RowCount, n = ColumnCount;
        long cap = (long)NonZerosCount + other.NonZerosCount;
        if (cap > Array.MaxLength) throw new OutOfMemoryException("A + B has too many entries for one array.");
        var cp = new int[n + 1];
        var ci = new int[cap];
        var cx = new Complex[cap];
        var w = new int[m];
        Array.Fill(w, -1);
        var x = new Complex[m];
        int nz = 0;
        for (int j = 0; j < n; j++)
        {
            cp[j] = nz;
            int first = nz;
            nz = Scatter(this, j, alpha, w, x, j, ci, nz);
            nz = Scatter(other, j, beta, w, x, j, ci, nz);
            Array.Sort(ci, first, nz - first);
            for (int p = first; p < nz; p++) cx[p] = x[ci[p]];
        }
        cp[n] = nz;
        return new CompressedColumnStorage(m, n, cp, ci, cx);
    }

    static int Scatter(CompressedColumnStorage A, int j, Complex beta, int[] w, Complex[] x, int mark, int[] ci, int nz)
    {
        int[] ap = A.ColumnPointers, ai = A.RowIndices;
        Complex[] ax = A.Values;
        for (int p = ap[j]; p < ap[j + 1]; p++)
        {
            int i = ai[p];
            if (w[i] < mark) { w[i] = mark; ci[nz++] = i; x[i] = beta * ax[p]; }
            else x[i] += beta * ax[p];
        }
        return nz;
    }

    /// <summary>Dense copy, row-major [i, j] (for tests and small matrices).</summary>
    public Complex[,] ToArray()
    {
        var d = new Complex[RowCount, ColumnCount];
        for (int j = 0; j < ColumnCount; j++)
            for (int p = ColumnPointers[j]; p < ColumnPointers[j + 1]; p++)
                d[RowIndices[p], j] += Values[p];
        return d;
    }

    /// <summary>Enumerates the stored entries column by column.</summary>
    public IEnumerable<(int i, int j, Complex value)> EnumerateIndexed()
    {
        for (int j = 0; j < ColumnCount; j++)
            for (int p = ColumnPointers[j]; p < ColumnPointers[j + 1]; p++)
                yield return (RowIndices[p], j, Values[p]);
    }
}
