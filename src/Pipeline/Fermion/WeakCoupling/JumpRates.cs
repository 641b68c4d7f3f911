using Ness.Numerics.Dense;
using Ness.Numerics.Markov;
using Ness.Operators.Fermion;

namespace Ness.Pipeline.Fermion.WeakCoupling;

/// <summary>
/// The Pauli rates between the eigenstates of neighbouring sectors N and N + 1 (the weak-coupling limit of the
/// boundary Lindblad terms, eq. (3.8) with rates scaled by eps → 0): up[i, t] = g1p |&lt;t|a+_1|i&gt;|^2 +
/// gLp |&lt;t|a+_L|i&gt;|^2 (i → t) and down[t, i] = g1m |&lt;i|a_1|t&gt;|^2 + gLm |&lt;i|a_L|t&gt;|^2 (t → i): the same
/// matrix elements, since a_x = (a+_x)^+. The Jordan–Wigner string of a_L is the constant sign (−1)^N on a sector
/// and drops out of the squares. &lt;t|a+_x|i&gt; = sum_r V_{N+1}[t, s_r + x] V_N[i, s_r] over the states s_r with site
/// x empty: one gemm per site. Rates are squares: nonnegative, no subtraction.
/// </summary>
public static class JumpRates
{
    /// <summary>Per-state sums the certificate needs, accumulated over both neighbours of a sector.</summary>
    public sealed class Tallies(int n)
    {
        /// <summary>Total rate out of each state.</summary>
        public readonly double[] Out = new double[n];
        /// <summary>First-order bound on the error of that total from the eigenvector errors.</summary>
        public readonly double[] OutError = new double[n];
        /// <summary>Coupling of consecutive eigenstates a, a + 1 through common jump partners,
        /// sum_j g_j sum_m |&lt;a|c_j|m&gt;| |&lt;a+1|c_j|m&gt;| (what feeds their coherence).</summary>
        public readonly double[] PairCoupling = new double[Math.Max(n - 1, 0)];
    }

    /// <summary>up (n×m) and down (m×n) between <paramref name="lo"/> (N particles) and <paramref name="hi"/> (N + 1),
    /// tallies updated for both; with <paramref name="perturbed"/> also the same rates from matrix elements moved by
    /// their error bound with a pseudo-random sign, |M| → max(0, |M| ± dM), dM = eta_i + eta_t + sqrt(r) u (one
    /// perturbation per element, shared by the up and down rates it enters, as the rounding errors are).</summary>
    public static (double[] Up, double[] Down, double[]? UpP, double[]? DownP) Between(
        FockBasis basis, Sector lo, Sector hi, Rates g, Tallies tLo, Tallies tHi, bool perturbed = false)
    {
        int n = lo.Size, m = hi.Size, L = basis.Length;
        var up = new double[(long)n * m];
        var down = new double[(long)n * m];
        var upP = perturbed ? new double[(long)n * m] : null;
        var downP = perturbed ? new double[(long)n * m] : null;
        // at L = 1 sites 1 and L are the same mode: one operator with the summed rates
        (int Site, double Plus, double Minus)[] sites = L == 1
            ? [(1, g.G1p + g.GLp, g.G1m + g.GLm)]
            : [(1, g.G1p, g.G1m), (L, g.GLp, g.GLm)];
        foreach (var (x, gp, gm) in sites)
        {
            if (gp == 0 && gm == 0) continue;
            int bit = 1 << (x - 1);
            var from = new List<int>();
            foreach (var s in lo.States) if ((s & bit) == 0) from.Add(s);
            int r = from.Count;
            var idxLo = new int[r];
            var idxHi = new int[r];
            for (int k = 0; k < r; k++) { idxLo[k] = basis.IndexInBlock[from[k]]; idxHi[k] = basis.IndexInBlock[from[k] | bit]; }
            var H = new double[(long)m * r];
            for (int t = 0; t < m; t++)
            {
                var row = hi.Vectors.AsSpan((int)((long)t * m), m);
                var ht = H.AsSpan((int)((long)t * r), r);
                for (int k = 0; k < r; k++) ht[k] = row[idxHi[k]];
            }
            // row blocks of the n×m matrix of <t|a+_x|i>: the gemm operands and product stay small; one row of overlap
            // so that the pair coupling of the block's last row with the next one is available
            const int B = 512;
            var G = new double[(long)(B + 1) * r];
            var M = new double[(long)(B + 1) * m];
            for (int i0 = 0; i0 < n; i0 += B)
            {
                int rows = Math.Min(B + 1, n - i0);
                for (int i = 0; i < rows; i++)
                {
                    var row = lo.Vectors.AsSpan((int)((long)(i0 + i) * n), n);
                    var gi = G.AsSpan(i * r, r);
                    for (int k = 0; k < r; k++) gi[k] = row[idxLo[k]];
                }
                NativeBlas.Gemm(false, true, rows, m, r, 1, G, r, H, r, 0, M, m);
                Accumulate(i0, Math.Min(B, n - i0), n, m, M, gp, gm, Math.Sqrt(r) * Sector.Unit, lo.VectorError, hi.VectorError, up, down, tLo, tHi,
                    upP, downP, (uint)(x * 7919 + lo.N * 104729));
            }
        }
        return (up, down, upP, downP);
    }

    /// <summary>Rows i0 .. i0 + rows − 1 of the matrix elements, M[i − i0, t] (one more row beyond when i0 + rows &lt; n).</summary>
    static void Accumulate(int b0, int rows, int n, int m, double[] M, double gp, double gm, double dot, double[] etaLo, double[] etaHi,
        double[] up, double[] down, Tallies tLo, Tallies tHi, double[]? upP, double[]? downP, uint salt)
    {
        double gs = gp + gm;
        const int T = 64;
        for (int i0 = b0; i0 < b0 + rows; i0 += T)
        {
            int i1 = Math.Min(i0 + T, b0 + rows);
            for (int t0 = 0; t0 < m; t0 += T)
            {
                int t1 = Math.Min(t0 + T, m);
                for (int i = i0; i < i1; i++)
                {
                    long ri = (long)i * m, mi = (long)(i - b0) * m;
                    double outUp = 0, errUp = 0, pair = 0;
                    for (int t = t0; t < t1; t++)
                    {
                        double v = M[mi + t], a = Math.Abs(v), v2 = v * v;
                        up[ri + t] += gp * v2;
                        down[(long)t * n + i] += gm * v2;
                        double d = etaLo[i] + etaHi[t] + dot;
                        double dw = 2 * a * d + d * d;
                        outUp += gp * v2;
                        errUp += gp * dw;
                        tHi.Out[t] += gm * v2;
                        tHi.OutError[t] += gm * dw;
                        if (i + 1 < n) pair += a * Math.Abs(M[mi + m + t]);
                        if (t + 1 < m) tHi.PairCoupling[t] += gs * a * Math.Abs(M[mi + t + 1]);
                        if (upP != null)
                        {
                            double w = Math.Max(0, a + (Sign(salt, i, t) ? d : -d)), w2 = w * w;
                            upP[ri + t] += gp * w2;
                            downP![(long)t * n + i] += gm * w2;
                        }
                    }
                    tLo.Out[i] += outUp;
                    tLo.OutError[i] += errUp;
                    if (i + 1 < n) tLo.PairCoupling[i] += gs * pair;
                }
            }
        }
    }

    /// <summary>A reproducible pseudo-random sign for element (i, t) (a 32-bit integer hash).</summary>
    static bool Sign(uint salt, int i, int t)
    {
        uint h = salt ^ (uint)i * 0x9E3779B1u ^ (uint)t * 0x85EBCA77u;
        h ^= h >> 15; h *= 0x2C1B3C6Du; h ^= h >> 12; h *= 0x297A2D39u; h ^= h >> 15;
        return (h & 1) == 0;
    }
}
