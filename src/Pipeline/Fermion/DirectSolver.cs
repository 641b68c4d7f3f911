using System.Numerics;
using Ness.Operators;
using Ness.Sparse.Factorization;
using Ness.Sparse.Ordering;
using Ness.Sparse.Storage;

namespace Ness.Pipeline.Fermion;

/// <summary>The one place that talks to the sparse LU (src/Sparse, a stand-in for CSparse.NET, which is not
/// available here). The API follows CSparse.NET's names (<c>SparseLU.Create(A, ColumnOrdering, tol)</c>,
/// <c>Solve(b, x)</c>) but is not the same: storage is not generic (<c>CompressedColumnStorage</c> holds
/// <see cref="Complex"/>), it is built from spans of triplets, and <c>NonZerosCount</c> includes L's unit
/// diagonal. Swapping to the package means rewriting this file, nothing else.</summary>
public static class DirectSolver
{
    /// <summary>Partial-pivoting threshold: 0.1 prefers the diagonal (less fill) unless it is 10x smaller
    /// than the largest candidate (Davis 2006, §6.3).</summary>
    public const double PivotTolerance = 0.1;

    /// <summary>The fill-reducing ordering, by name (for the provenance of a result).</summary>
    public static string Ordering => ColumnOrdering.MinimumDegreeAtPlusA.ToString();

    /// <summary>Solves A x = b with approximate minimum degree ordering on A + A^T and threshold partial
    /// pivoting. Returns the solution and the number of nonzeros in L + U.
    /// Throws <see cref="SingularMatrixException"/> if A is singular.</summary>
    public static (Complex[] X, long FactorNonZeros) Solve(Triplets A, Complex[] b)
    {
        var (solve, fill) = Factor(A);
        return (solve(b), fill);
    }

    /// <summary>Factors A once (as <see cref="Solve"/>) and returns b ↦ A^-1 b, for iterative refinement with the same
    /// factors, and the number of nonzeros in L + U.</summary>
    public static (Func<Complex[], Complex[]> Solve, long FactorNonZeros) Factor(Triplets A)
    {
        var C = CompressedColumnStorage.OfTriplets(A.RowCount, A.ColumnCount,
            System.Runtime.InteropServices.CollectionsMarshal.AsSpan(A.I),
            System.Runtime.InteropServices.CollectionsMarshal.AsSpan(A.J),
            System.Runtime.InteropServices.CollectionsMarshal.AsSpan(A.X));
        var lu = SparseLU.Create(C, ColumnOrdering.MinimumDegreeAtPlusA, PivotTolerance);
        return (b =>
        {
            var x = new Complex[b.Length];
            lu.Solve(b, x);
            return x;
        }, lu.NonZerosCount);
    }
}
