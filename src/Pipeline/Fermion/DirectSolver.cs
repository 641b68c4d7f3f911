using System.Numerics;
using Ness.Operators;

namespace Ness.Pipeline.Fermion;

/// <summary>The one place that talks to the sparse LU (src/Sparse, a stand-in for CSparse.NET).</summary>
public static class DirectSolver
{
    /// <summary>Solves A x = b with a fill-reducing ordering and threshold partial pivoting.
    /// Returns the solution and the number of nonzeros in L + U.</summary>
    public static (Complex[] X, long FactorNonZeros) Solve(Triplets A, Complex[] b)
    {
        // TEMPORARY dense path until src/Sparse lands.
        var M = MathNet.Numerics.LinearAlgebra.Matrix<Complex>.Build.Dense(A.RowCount, A.ColumnCount);
        for (int k = 0; k < A.Count; k++) M[A.I[k], A.J[k]] += A.X[k];
        var x = M.LU().Solve(MathNet.Numerics.LinearAlgebra.Vector<Complex>.Build.Dense(b));
        return (x.ToArray(), (long)A.RowCount * A.RowCount);
    }
}
