namespace Ness.Operators.Harmonic;

/// <summary>
/// A box Lambda = {1..NX} x {1..NY} x {1..NZ} in Z^d (d = 1, 2, 3; unused directions have size 1), the site set of
/// eq. (2.1) in its general form. Sites are ordered x fastest: index i = (x−1) + NX((y−1) + NY(z−1)), 0-based.
/// </summary>
public sealed record Box(int NX, int NY, int NZ)
{
    /// <summary>Number of sites |Lambda|.</summary>
    public int Sites => NX * NY * NZ;

    /// <summary>The dimension d: 3 if NZ &gt; 1, else 2 if NY &gt; 1, else 1.</summary>
    public int Dimension => NZ > 1 ? 3 : NY > 1 ? 2 : 1;

    /// <summary>The extents of the first <see cref="Dimension"/> directions.</summary>
    public int[] Extents => Dimension switch { 1 => [NX], 2 => [NX, NY], _ => [NX, NY, NZ] };

    /// <summary>"NX", "NXxNY" or "NXxNYxNZ", as given to --shape.</summary>
    public override string ToString() => string.Join("x", Extents);

    /// <summary>0-based index of the site with 1-based coordinates (x, y, z).</summary>
    public int Index(int x, int y = 1, int z = 1) => (x - 1) + NX * ((y - 1) + NY * (z - 1));

    /// <summary>1-based coordinates (x, y, z) of the site with 0-based index i.</summary>
    public (int X, int Y, int Z) Coordinates(int i) => (i % NX + 1, i / NX % NY + 1, i / (NX * NY) + 1);

    /// <summary>True when (x, y, z) (1-based) lies in the box.</summary>
    public bool Contains(int x, int y = 1, int z = 1) => x >= 1 && x <= NX && y >= 1 && y <= NY && z >= 1 && z <= NZ;

    /// <summary>True when site i has a neighbour missing in Z^d, i.e. lies on the geometric boundary of the box.</summary>
    public bool OnBoundary(int i)
    {
        var (x, y, z) = Coordinates(i);
        return x == 1 || x == NX || (Dimension >= 2 && (y == 1 || y == NY)) || (Dimension == 3 && (z == 1 || z == NZ));
    }

    /// <summary>Number of neighbours of site i inside the box (free boundary conditions).</summary>
    public int Degree(int i)
    {
        var (x, y, z) = Coordinates(i);
        return (x > 1 ? 1 : 0) + (x < NX ? 1 : 0) + (y > 1 ? 1 : 0) + (y < NY ? 1 : 0) + (z > 1 ? 1 : 0) + (z < NZ ? 1 : 0);
    }

    /// <summary>The box reflected x -> NX + 1 − x: the index of the mirror image of site i.</summary>
    public int MirrorX(int i)
    {
        var (x, y, z) = Coordinates(i);
        return Index(NX + 1 - x, y, z);
    }
}
