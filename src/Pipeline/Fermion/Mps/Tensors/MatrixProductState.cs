namespace Ness.Pipeline.Fermion.Mps.Tensors;

/// <summary>
/// A real matrix product state on L sites of local dimension d: A[x] is Bond[x] × d × Bond[x+1], flattened
/// row-major as (l · d + s) · Bond[x+1] + r, with Bond[0] = Bond[L] = 1. Mutable: the solver replaces site
/// tensors in place during its sweeps; everything outside the solver receives it as finished.
/// </summary>
public sealed class MatrixProductState
{
    public int Length { get; }
    public int LocalDimension { get; }
    public int[] Bond { get; }
    public double[][] A { get; }

    public MatrixProductState(int d, int[] bond, double[][] a)
    {
        if (bond.Length != a.Length + 1 || bond[0] != 1 || bond[^1] != 1)
            throw new ArgumentException("bond dimensions must be 1 at both ends, one more than sites");
        (LocalDimension, Bond, A, Length) = (d, bond, a, a.Length);
    }

    public int MaxBond => Bond.Max();

    /// <summary>The product state ⊗_x v.</summary>
    public static MatrixProductState Product(int L, double[] v) =>
        new(v.Length, Enumerable.Repeat(1, L + 1).ToArray(), Enumerable.Range(0, L).Select(_ => (double[])v.Clone()).ToArray());

    public MatrixProductState Copy() => new(LocalDimension, (int[])Bond.Clone(), A.Select(t => (double[])t.Clone()).ToArray());

    /// <summary>Number of stored doubles.</summary>
    public long Size => A.Sum(t => (long)t.Length);
}
