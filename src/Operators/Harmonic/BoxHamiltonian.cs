using System.Collections.Immutable;

namespace Ness.Operators.Harmonic;

/// <summary>
/// H = V − g Laplacian of eq. (2.1) on a <see cref="Box"/> with free boundary conditions:
/// H_ii = V_i + g deg(i), H_ij = −g for nearest neighbours i ~ j (deg(i) = number of neighbours inside the box).
/// For a box of shape NX (d = 1) this is <see cref="ChainHamiltonian"/>.
/// </summary>
public sealed record BoxHamiltonian(Box Box, ImmutableArray<double> Pinning, double Coupling)
{
    public int Sites => Box.Sites;

    /// <summary>H for pinning V (one value per site, x fastest) and coupling g.</summary>
    public static BoxHamiltonian Of(Box box, ImmutableArray<double> pinning, double g)
    {
        if (pinning.Length != box.Sites) throw new ArgumentException($"pinning has {pinning.Length} values, the box {box.Sites} sites");
        return new BoxHamiltonian(box, pinning, g);
    }

    /// <summary>H_ii = V_i + g deg(i).</summary>
    public double Diagonal(int i) => Pinning[i] + Coupling * Box.Degree(i);

    /// <summary>The neighbours of site i inside the box (at most 2d), written to <paramref name="into"/>; returns their number.</summary>
    public int Neighbours(int i, Span<int> into)
    {
        var b = Box;
        var (x, y, z) = b.Coordinates(i);
        int m = 0;
        if (x > 1) into[m++] = i - 1;
        if (x < b.NX) into[m++] = i + 1;
        if (y > 1) into[m++] = i - b.NX;
        if (y < b.NY) into[m++] = i + b.NX;
        if (z > 1) into[m++] = i - b.NX * b.NY;
        if (z < b.NZ) into[m++] = i + b.NX * b.NY;
        return m;
    }

    /// <summary>y = H x (sparse, 2d + 1 entries per row).</summary>
    public void Apply(ReadOnlySpan<double> x, Span<double> y)
    {
        Span<int> nb = stackalloc int[6];
        for (int i = 0; i < Sites; i++)
        {
            double s = Diagonal(i) * x[i];
            int m = Neighbours(i, nb);
            for (int k = 0; k < m; k++) s -= Coupling * x[nb[k]];
            y[i] = s;
        }
    }

    /// <summary>H as a dense n x n array (row-major; H is symmetric, so it is also its column-major copy).</summary>
    public double[] Dense()
    {
        int n = Sites;
        var h = new double[(long)n * n];
        Span<int> nb = stackalloc int[6];
        for (int i = 0; i < n; i++)
        {
            h[(long)i * n + i] = Diagonal(i);
            int m = Neighbours(i, nb);
            for (int k = 0; k < m; k++) h[(long)i * n + nb[k]] = -Coupling;
        }
        return h;
    }

    /// <summary>max_i sum_j |H_ij| (= ||H||_1 = ||H||_inf, an upper bound of ||H||_2).</summary>
    public double NormBound()
    {
        double m = 0;
        for (int i = 0; i < Sites; i++)
            m = Math.Max(m, Math.Abs(Diagonal(i)) + Coupling * Box.Degree(i));
        return m;
    }
}
