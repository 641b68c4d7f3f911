using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using CSparseMatrix = MathNet.Numerics.LinearAlgebra.Complex.SparseMatrix;

namespace Ness.Operators.Fermion;

/// <summary>
/// Jordan–Wigner fermion operators on the full Fock space (dimension 2^L) as sparse matrices:
/// a_x |s> = (−1)^(sum_{y&lt;x} n_y) |s − e_x> when n_x = 1 (paper, section 3: the fermion picture).
/// The spin picture (<see cref="Lowering"/>) is the same without the strings.
/// </summary>
public static class FermionOperators
{
    /// <summary>The annihilator a_x (x = 1..L), with its Jordan–Wigner string.</summary>
    public static Matrix<Complex> Annihilator(int L, int x) => Build(L, x, withString: true);

    /// <summary>The creator a+_x = (a_x)^+.</summary>
    public static Matrix<Complex> Creator(int L, int x) => Annihilator(L, x).ConjugateTranspose();

    /// <summary>The spin lowering operator S^-_x: a_x without the Jordan–Wigner string.</summary>
    public static Matrix<Complex> Lowering(int L, int x) => Build(L, x, withString: false);

    /// <summary>The number operator n_x = a+_x a_x (diagonal).</summary>
    public static Matrix<Complex> Number(int L, int x)
    {
        var n = new CSparseMatrix(1 << L, 1 << L);
        for (int s = 0; s < 1 << L; s++)
            if (FockBasis.Occupation(s, x) == 1) n[s, s] = 1;
        return n;
    }

    static Matrix<Complex> Build(int L, int x, bool withString)
    {
        if (x < 1 || x > L) throw new ArgumentOutOfRangeException(nameof(x), x, $"site must be in 1..{L}");
        var a = new CSparseMatrix(1 << L, 1 << L);
        for (int s = 0; s < 1 << L; s++)
            if (FockBasis.Occupation(s, x) == 1)
                a[s & ~(1 << (x - 1)), s] = withString ? FockBasis.StringSign(s, x) : 1;
        return a;
    }
}
