namespace Ness.Sparse.Factorization;

/// <summary>
/// Raised by <see cref="SparseLU.Create"/> when no nonzero pivot exists: at elimination step
/// <see cref="Step"/> the (permuted) column <see cref="Column"/> of A has no nonzero entry in the rows
/// not yet used as pivots (structurally or numerically singular; cs_lu returns NULL here).
/// </summary>
public sealed class SingularMatrixException : Exception
{
    /// <summary>Index of the column of the original matrix A that has no pivot.</summary>
    public int Column { get; }

    /// <summary>Elimination step k (position of <see cref="Column"/> in the column ordering).</summary>
    public int Step { get; }

    /// <summary>True when the column had no candidate entry at all (structurally singular given the
    /// rows already pivoted); false when the candidates were all numerically zero (or NaN).</summary>
    public bool Structural { get; }

    public SingularMatrixException(int column, int step, bool structural)
        : base($"Matrix is singular: no {(structural ? "structural" : "nonzero")} pivot in column {column} (elimination step {step}).")
    {
        Column = column;
        Step = step;
        Structural = structural;
    }
}
