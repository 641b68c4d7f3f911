using System.Numerics;

namespace Ness.Operators;

/// <summary>A sparse matrix as (row, column, value) triplets; duplicates are summed when compressed.
/// The exchange format between operator assembly and the sparse solvers.</summary>
public sealed class Triplets(int rows, int columns, int capacity = 16)
{
    public int RowCount { get; } = rows;
    public int ColumnCount { get; } = columns;
    public List<int> I { get; } = new(capacity);
    public List<int> J { get; } = new(capacity);
    public List<Complex> X { get; } = new(capacity);
    public int Count => X.Count;

    public void At(int i, int j, Complex x)
    {
        if (x == Complex.Zero) return;
        I.Add(i); J.Add(j); X.Add(x);
    }
}
