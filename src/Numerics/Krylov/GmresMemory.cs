namespace Ness.Numerics.Krylov;

/// <summary>
/// The vectors of <see cref="FlexibleGmres"/> (the bases V and Z of a cycle, the residual, the augmentation and the
/// correction in flight), kept from one solve to the next on the same dimension. Mixed-precision iterative refinement
/// solves a correction after the solve itself; with one memory the correction works in the solve's vectors instead of
/// allocating a second set, which the garbage collector does not hand back in time (measured at L = 10, h = 40: the
/// resident set grew by one basis, 0.19 GB, during the refinement; at L = 12, h = 40 by 2.9 GB, above the budget).
/// A longer cycle (restart growth) keeps the vectors it has and adds the missing ones. Whatever the number of solves,
/// it allocates at most <see cref="FlexibleGmres.Workspace"/> doubles at the longest cycle used
/// (<see cref="AllocatedDoubles"/>). One solve at a time.
/// </summary>
public sealed class GmresMemory
{
    double[][] v = [], z = [];
    double[]? residual;
    readonly Stack<double[]> spare = new();
    int dimension = -1;

    /// <summary>Doubles allocated so far (vectors of the dimension in use).</summary>
    public double AllocatedDoubles { get; private set; }

    internal FlexibleGmres.Basis Basis(int m, int D)
    {
        Use(D);
        v = Grow(v, m + 1, D);
        z = Grow(z, m, D);
        return new FlexibleGmres.Basis(m, v, z);
    }

    internal double[] Residual(int D)
    {
        Use(D);
        return residual ??= New(D);
    }

    /// <summary>A vector of dimension D, not necessarily zero.</summary>
    internal double[] Vector(int D)
    {
        Use(D);
        return spare.Count > 0 ? spare.Pop() : New(D);
    }

    internal void Return(double[] x)
    {
        if (x.Length == dimension) spare.Push(x);
    }

    internal void Return(List<double[]> xs)
    {
        foreach (var x in xs) Return(x);
        xs.Clear();
    }

    /// <summary>A new dimension drops what was kept (a memory serves one dimension at a time).</summary>
    void Use(int D)
    {
        if (D == dimension) return;
        (v, z, residual, dimension) = ([], [], null, D);
        spare.Clear();
    }

    double[][] Grow(double[][] have, int count, int D)
    {
        if (have.Length >= count) return have;
        var more = new double[count][];
        for (int i = 0; i < count; i++) more[i] = i < have.Length ? have[i] : New(D);
        return more;
    }

    double[] New(int D)
    {
        AllocatedDoubles += D;
        return new double[D];
    }
}
