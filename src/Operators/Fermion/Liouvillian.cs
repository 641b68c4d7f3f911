using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace Ness.Operators.Fermion;

/// <summary>
/// The Lindblad superoperator of section 3.2 on the full operator space (dimension 4^L), as a sparse
/// matrix acting on vec(rho) (column-major, vec(A rho B) = (B^T ⊗ A) vec(rho)):
/// L = −i (1 ⊗ H − H^T ⊗ 1) + sum_c [ conj(c) ⊗ c − ½ 1 ⊗ c+c − ½ (c+c)^T ⊗ 1 ].
/// Kept for cross-checks of the q = 0 sector form (L ≤ 6).
/// </summary>
public static class Liouvillian
{
    public static Triplets Full(Matrix<Complex> H, IReadOnlyList<Matrix<Complex>> jumps)
    {
        int d = H.RowCount;
        var one = Matrix<Complex>.Build.SparseIdentity(d);
        var T = new Triplets(d * d, d * d);
        Kron(T, one, H, new Complex(0, -1));
        Kron(T, H.Transpose(), one, new Complex(0, 1));
        foreach (var c in jumps)
        {
            var cc = c.ConjugateTranspose() * c;
            Kron(T, c.Conjugate(), c, 1);
            Kron(T, one, cc, -0.5);
            Kron(T, cc.Transpose(), one, -0.5);
        }
        return T;
    }

    /// <summary>Adds s (A ⊗ B) to T, visiting nonzeros only.</summary>
    static void Kron(Triplets T, Matrix<Complex> A, Matrix<Complex> B, Complex s)
    {
        int rb = B.RowCount, cb = B.ColumnCount;
        var bnz = B.EnumerateIndexed(MathNet.Numerics.LinearAlgebra.Zeros.AllowSkip).ToArray();
        foreach (var (i, j, a) in A.EnumerateIndexed(MathNet.Numerics.LinearAlgebra.Zeros.AllowSkip))
            foreach (var (k, l, b) in bnz)
                T.At(i * rb + k, j * cb + l, s * a * b);
    }
}
