namespace Ness.Sparse.Ordering;

/// <summary>
/// Fill-reducing column ordering for <see cref="Factorization.SparseLU"/>; names and values as in
/// CSparse.NET (the <c>order</c> argument of cs_sqr/cs_amd, Davis (2006), §7.1 and §8.1).
/// </summary>
public enum ColumnOrdering
{
    /// <summary>No permutation (q = identity).</summary>
    Natural = 0,

    /// <summary>Approximate minimum degree on the pattern of A + Aᵀ; best when A is nearly
    /// structurally symmetric with a zero-free diagonal (cs_amd order 1).</summary>
    MinimumDegreeAtPlusA = 1,

    /// <summary>Approximate minimum degree on SᵀS, where S is A with its dense rows removed
    /// (cs_amd order 2; the usual choice for unsymmetric LU).</summary>
    MinimumDegreeStS = 2,

    /// <summary>Approximate minimum degree on AᵀA (cs_amd order 3).</summary>
    MinimumDegreeAtA = 3,
}
