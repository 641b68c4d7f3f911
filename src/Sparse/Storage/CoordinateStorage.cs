using System.Numerics;

namespace Ness.Sparse.Storage;

/// <summary>
/// Triplet (coordinate) builder for a sparse complex matrix: entries are appended with
/// <see cref="At"/>; duplicates are summed when converted by
/// <see cref="CompressedColumnStorage.OfIndexed"/>. Davis (2006), §2.1, "triplet form" (cs_entry).
/// </summary>
public sealed class CoordinateStorage
{
    int[] rowind;
    int[] colind;
    Complex[] values;
    int nz;

    /// <summary>Number of rows.</summary>
    public int RowCount { get; }

    /// <summary>Number of columns.</summary>
    public int ColumnCount { get; }

    /// <summary>Number of stored triplets (duplicates counted separately).</summary>
    public int NonZerosCount => nz;

    /// <summary>Row indices of the stored triplets (length ≥ <see cref="NonZerosCount"/>).</summary>
    public int[] RowIndices => rowind;

    /// <summary>Column indices of the stored triplets (length ≥ <see cref="NonZerosCount"/>).</summary>
    public int[] ColumnIndices => colind;

    /// <summary>Values of the stored triplets (length ≥ <see cref="NonZerosCount"/>).</summary>
    public Complex[] Values => values;

    /// <summary>Creates an empty builder for a <paramref name="rowCount"/>×<paramref name="columnCount"/>
    /// matrix with room for <paramref name="capacity"/> triplets (it grows if needed).</summary>
    public CoordinateStorage(int rowCount, int columnCount, int capacity)
    {
        if (rowCount < 0) throw new ArgumentOutOfRangeException(nameof(rowCount));
        if (columnCount < 0) throw new ArgumentOutOfRangeException(nameof(columnCount));
        if (capacity < 0) throw new ArgumentOutOfRangeException(nameof(capacity));
        RowCount = rowCount;
        ColumnCount = columnCount;
        capacity = Math.Max(capacity, 4);
        rowind = new int[capacity];
        colind = new int[capacity];
        values = new Complex[capacity];
    }

    /// <summary>Appends the entry A(i, j) += value. Davis (2006), §2.1, cs_entry.</summary>
    public void At(int i, int j, Complex value)
    {
        if ((uint)i >= (uint)RowCount) throw new ArgumentOutOfRangeException(nameof(i));
        if ((uint)j >= (uint)ColumnCount) throw new ArgumentOutOfRangeException(nameof(j));
        if (nz == values.Length) Grow();
        rowind[nz] = i;
        colind[nz] = j;
        values[nz] = value;
        nz++;
    }

    void Grow()
    {
        int size = Growth.Next(values.Length, values.Length + 1);
        Array.Resize(ref rowind, size);
        Array.Resize(ref colind, size);
        Array.Resize(ref values, size);
    }
}

/// <summary>Geometric growth of index/value arrays with an explicit ceiling, so an oversize request
/// surfaces as <see cref="OutOfMemoryException"/> rather than as an int overflow.</summary>
internal static class Growth
{
    /// <summary>New capacity ≥ <paramref name="required"/>, about 1.5× <paramref name="current"/>.</summary>
    public static int Next(long current, long required)
    {
        long size = Math.Max(required, current + current / 2 + 16);
        if (required > Array.MaxLength)
            throw new OutOfMemoryException(
                $"Sparse storage needs {required} entries, more than the largest .NET array ({Array.MaxLength}).");
        return (int)Math.Min(size, Array.MaxLength);
    }
}
