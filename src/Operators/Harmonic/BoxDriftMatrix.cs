namespace Ness.Operators.Harmonic;

/// <summary>The drift matrix and noise of the Langevin dynamics dX = A X dt + S dB on a box with baths on any
/// boundary set, eq. (2.5): X = (q, p) (2n coordinates, q first).</summary>
public static class BoxDriftMatrix
{
    /// <summary>A = [[0, 1], [−H, −lambda sum_{y in bath set} |y&gt;&lt;y|]] of eq. (2.5), dense column-major 2n x 2n
    /// (a[i + 2n j] = A_ij). <paramref name="bathSites"/>: the 0-based sites of the boundary set (no duplicates).</summary>
    public static double[] Dense(BoxHamiltonian h, ReadOnlySpan<int> bathSites, double lambda)
    {
        int n = h.Sites, dim = 2 * n;
        var a = new double[(long)dim * dim];
        Span<int> nb = stackalloc int[6];
        for (int x = 0; x < n; x++)
        {
            a[x + (long)dim * (n + x)] = 1;                       // dq_x = p_x dt
            a[n + x + (long)dim * x] = -h.Diagonal(x);            // dp_x = −(H q)_x dt ...
            int m = h.Neighbours(x, nb);
            for (int k = 0; k < m; k++) a[n + x + (long)dim * nb[k]] = h.Coupling;
        }
        foreach (int y in bathSites) a[n + y + (long)dim * (n + y)] -= lambda;   // ... − lambda p_y dt on the bath sites
        return a;
    }
}
