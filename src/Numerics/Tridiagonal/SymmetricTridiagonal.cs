using System.Collections.Immutable;

namespace Ness.Numerics.Tridiagonal;

/// <summary>
/// A real symmetric tridiagonal matrix with diagonal d_x and constant off-diagonal entries −b, b = <see cref="Coupling"/> &gt; 0
/// (e.g. H = V − g Laplacian of eq. (2.1), b = g). Its eigenvalues depend on b^2 only and the moduli of its eigenvectors
/// on |b| only, which is all <see cref="SturmBisection"/> and <see cref="TwistedEigenvector"/> use.
/// </summary>
public sealed record SymmetricTridiagonal(ImmutableArray<double> Diagonal, double Coupling)
{
    public int Length => Diagonal.Length;

    /// <summary>Gershgorin interval containing the spectrum.</summary>
    public (double Lower, double Upper) Gershgorin()
    {
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        int n = Length;
        for (int x = 0; x < n; x++)
        {
            double r = Coupling * ((x > 0 ? 1 : 0) + (x < n - 1 ? 1 : 0));
            lo = Math.Min(lo, Diagonal[x] - r);
            hi = Math.Max(hi, Diagonal[x] + r);
        }
        return (lo, hi);
    }
}
