using System.Numerics;

using Ness.Numerics.Dense;

namespace Ness.Numerics.Markov;

/// <summary>
/// The stationary law of a continuous-time Markov chain whose states fall into levels 0..K with jumps only
/// between neighbouring levels (a block tridiagonal generator, a quasi-birth–death chain), by a blocked,
/// subtraction-free GTH elimination (Grassmann, Taksar and Heyman 1985): the levels are eliminated in order,
/// level 0 first. Eliminating level N leaves the chain censored to the levels above it; only level N + 1 changes,
/// its rates gaining A_{N+1} = Z_N U_N with Z_N = D_N M_N^{-1}, where U_N (n×m) are the rates N → N+1,
/// D_N (m×n) the rates N+1 → N, and M_N = diag(out) − A_N the censored level-N block.
/// <para>
/// Every number is a sum of products of nonnegative numbers: the LU factors of the M-matrix M_N are computed with
/// each pivot recomputed as the sum of the remaining off-diagonal rates of its row plus its "excess" (its rates to
/// level N + 1, carried as a nonnegative recurrence), never as a difference; the triangular solves with these
/// factors and the Schur products add nonnegative terms (the off-diagonal factors are nonpositive, the unknowns
/// nonnegative); diagonal entries of the rate blocks are never read. So every stationary probability comes out
/// with a small relative error however ill-conditioned the chain (O'Cinneide 1993). The panel of
/// <see cref="Panel"/> states is eliminated by scalar loops, the rest of each update by gemm.
/// </para>
/// Memory: the current level's n×n block, the caller's two n×m rate blocks, the next level's m×m block, and the
/// stored Z_N (kept for the back substitution p_N = p_{N+1} Z_N).
/// </summary>
public sealed class LevelGth
{
    /// <summary>Width of the panels eliminated by scalar loops between gemm updates.</summary>
    public int Panel { get; }

    readonly ILevelStore z;
    readonly List<int> sizes = [];
    double[] a;
    int n;

    LevelGth(int n0, double[] a0, int panel, ILevelStore store) => (n, a, Panel, z) = (n0, a0, panel, store);

    /// <summary>A chain whose level 0 has <paramref name="n0"/> states, with rates within level 0 given by
    /// <paramref name="intra"/> (n0×n0 row-major, a[i, j] = rate i → j; diagonal ignored; null: none).</summary>
    public static LevelGth Create(int n0, double[]? intra = null, int panel = 64, ILevelStore? store = null)
    {
        if (n0 < 1) throw new ArgumentOutOfRangeException(nameof(n0), n0, "a level has at least one state");
        if (intra != null && intra.Length < (long)n0 * n0) throw new ArgumentException("intra: array too short");
        if (panel < 1) throw new ArgumentOutOfRangeException(nameof(panel));
        return new LevelGth(n0, intra ?? new double[(long)n0 * n0 > 1 ? n0 * n0 : 1], panel, store ?? new MemoryLevelStore());
    }

    /// <summary>The level to be eliminated next.</summary>
    public int Level => sizes.Count;

    /// <summary>
    /// Eliminates the current level (n states) given its rates up[i, t] = rate i → t into the next level
    /// (n×m) and down[t, i] = rate t → i (m×n, overwritten by Z_N and kept), and optional rates within the next
    /// level (m×m; null: none). Returns None, or the index in the level of a state with no way out to the remaining
    /// states (zero pivot: the chain is reducible and its stationary law not determined by this elimination order).
    /// </summary>
    public int? Eliminate(int m, double[] up, double[] down, double[]? intraNext = null)
    {
        if (m < 1) throw new ArgumentOutOfRangeException(nameof(m));
        if (up.Length < (long)n * m || down.Length < (long)n * m) throw new ArgumentException("up/down: array too short");
        var e = new double[n];
        for (int i = 0; i < n; i++)
        {
            double s = 0;
            var row = up.AsSpan(i * m, m);
            for (int t = 0; t < m; t++) s += row[t];
            e[i] = s;
        }
        var piv = new double[n];
        if (Factor(n, a, e, piv, Panel) is int bad) return bad;
        SolveRight(n, m, a, piv, down, Panel);
        var next = intraNext ?? new double[(long)m * m];
        NativeBlas.Gemm(false, false, m, m, n, 1, down, n, up, m, intraNext == null ? 0 : 1, next, m);
        z.Put(sizes.Count, down);
        sizes.Add(n);
        a = next;
        n = m;
        return null;
    }

    /// <summary>
    /// The stationary law: the last level by GTH (no excess), then p_N = p_{N+1} Z_N downwards (nonnegative
    /// vector–matrix products). Each level is returned normalized to sum 1 with the logarithm of its total
    /// probability, so that no level underflows. Returns null and the bad state when the last level is reducible.
    /// </summary>
    public (LevelLaw? Law, int? ZeroPivot) Finish()
    {
        var piv = new double[n];
        var e = new double[n];
        if (n > 1 && Factor(n - 1, a, e, piv, Panel, n) is int bad) return (null, bad);
        var q = new double[n];
        q[n - 1] = 1;
        for (int k = n - 2; k >= 0; k--)
        {
            double s = 0;
            for (int i = k + 1; i < n; i++) s += q[i] * a[(long)i * n + k];
            q[k] = s;
        }
        int K = sizes.Count;
        var levels = new double[K + 1][];
        var logW = new double[K + 1];
        logW[K] = Normalize(q);
        levels[K] = q;
        for (int N = K - 1; N >= 0; N--)
        {
            int nn = sizes[N], mm = levels[N + 1].Length;
            var p = new double[nn];
            NativeBlas.Gemm(false, false, 1, nn, mm, 1, levels[N + 1], mm, z.Get(N), nn, 0, p, nn);
            logW[N] = logW[N + 1] + Normalize(p);
            levels[N] = p;
        }
        double max = double.NegativeInfinity;
        foreach (var l in logW) max = Math.Max(max, l);
        double sum = 0;
        foreach (var l in logW) sum += Math.Exp(l - max);
        double logZ = max + Math.Log(sum);
        for (int N = 0; N <= K; N++) logW[N] -= logZ;
        return (new LevelLaw(levels, logW), null);
    }

    static double Normalize(double[] p)
    {
        double s = 0;
        foreach (var x in p) s += x;
        double inv = 1 / s;
        for (int i = 0; i < p.Length; i++) p[i] *= inv;
        return Math.Log(s);
    }

    /// <summary>
    /// GTH LU of M = diag(out) − A in place for the first <paramref name="count"/> states of the n×n block
    /// (row length <paramref name="ld"/>): afterwards a[i, k] (i &gt; k) holds the multiplier l_ik = r_ik / piv_k
    /// and a[k, j] (j &gt; k) the reduced rate r_kj at k's elimination; piv_k = sum_{j &gt; k} r_kj + excess_k.
    /// Blocked right-looking: panel by scalar loops (with the excess s_i of each panel row to the columns outside the
    /// panel), the row panel by a unit triangular solve with positive multipliers, the trailing block by gemm.
    /// Returns the first state with a zero pivot, or null.
    /// </summary>
    internal static int? Factor(int count, double[] a, double[] e, double[] piv, int b, int ld = -1)
    {
        int n = ld < 0 ? count : ld;   // the block is ld×ld; only the first `count` states are eliminated
        var s = new double[b];
        for (int k0 = 0; k0 < count; k0 += b)
        {
            int k1 = Math.Min(k0 + b, count), w = k1 - k0;
            // excess of the panel rows to everything outside the panel that is not yet eliminated
            for (int i = k0; i < k1; i++)
            {
                double x = e[i];
                var row = a.AsSpan((int)((long)i * n + k1), n - k1);
                x += Sum(row);
                s[i - k0] = x;
            }
            // the panel columns, all rows below
            for (int k = k0; k < k1; k++)
            {
                long rk = (long)k * n;
                double p = s[k - k0];
                for (int j = k + 1; j < k1; j++) p += a[rk + j];
                if (!(p > 0)) return k;
                piv[k] = p;
                double inv = 1 / p;
                var uk = a.AsSpan((int)(rk + k + 1), k1 - k - 1);
                double sk = s[k - k0], ek = e[k];
                for (int i = k + 1; i < n; i++)
                {
                    long ri = (long)i * n;
                    double l = a[ri + k] * inv;
                    a[ri + k] = l;
                    if (l == 0) continue;
                    Axpy(l, uk, a.AsSpan((int)(ri + k + 1), k1 - k - 1));
                    if (i < k1) s[i - k0] += l * sk;
                    e[i] += l * ek;
                }
            }
            if (k1 >= n) break;
            // row panel: U12 = L11^{-1} A12 (unit lower, positive multipliers), in column chunks that stay in cache
            for (int c0 = k1; c0 < n; c0 += 1024)
            {
                int cw = Math.Min(1024, n - c0);
                for (int k = k0; k < k1; k++)
                {
                    var uk = a.AsSpan((int)((long)k * n + c0), cw);
                    for (int i = k + 1; i < k1; i++)
                    {
                        double l = a[(long)i * n + k];
                        if (l != 0) Axpy(l, uk, a.AsSpan((int)((long)i * n + c0), cw));
                    }
                }
            }
            // trailing block: A22 += L21 U12 (rates of the states still to be eliminated)
            int rest = n - k1;
            if (k1 < count || ld >= 0)
                NativeBlas.Gemm(false, false, rest, rest, w, 1,
                    a.AsSpan((int)((long)k1 * n + k0)), n, a.AsSpan((int)((long)k0 * n + k1)), n, 1,
                    a.AsSpan((int)((long)k1 * n + k1)), n);
        }
        return null;
    }

    /// <summary>
    /// D ← D M^{-1} in place for the m×n matrix D, M = Ũ L̃ ... = L̃ Ũ the GTH factors of <see cref="Factor"/>:
    /// first Y Ũ = D (y_j = (d_j + sum_{k&lt;j} y_k r_kj) / piv_j), then Z L̃ = Y (z_j = y_j + sum_{k&gt;j} z_k l_kj);
    /// every term added is nonnegative. Column blocks of width b: the coupling to earlier blocks by gemm.
    /// </summary>
    internal static void SolveRight(int n, int m, double[] a, double[] piv, double[] d, int b)
    {
        for (int j0 = 0; j0 < n; j0 += b)
        {
            int j1 = Math.Min(j0 + b, n), w = j1 - j0;
            if (j0 > 0)
                NativeBlas.Gemm(false, false, m, w, j0, 1, d, n, a.AsSpan(j0), n, 1, d.AsSpan(j0), n);
            for (int t = 0; t < m; t++)
            {
                long rt = (long)t * n;
                for (int j = j0; j < j1; j++)
                {
                    double y = d[rt + j] / piv[j];
                    d[rt + j] = y;
                    if (y != 0 && j + 1 < j1) Axpy(y, a.AsSpan((int)((long)j * n + j + 1), j1 - j - 1), d.AsSpan((int)(rt + j + 1), j1 - j - 1));
                }
            }
        }
        int last = (n - 1) / b * b;
        for (int j0 = last; j0 >= 0; j0 -= b)
        {
            int j1 = Math.Min(j0 + b, n), w = j1 - j0;
            if (j1 < n)
                NativeBlas.Gemm(false, false, m, w, n - j1, 1, d.AsSpan(j1), n, a.AsSpan((int)((long)j1 * n + j0)), n, 1, d.AsSpan(j0), n);
            for (int t = 0; t < m; t++)
            {
                long rt = (long)t * n;
                for (int k = j1 - 1; k > j0; k--)
                {
                    double zk = d[rt + k];
                    if (zk != 0) Axpy(zk, a.AsSpan((int)((long)k * n + j0), k - j0), d.AsSpan((int)(rt + j0), k - j0));
                }
            }
        }
    }

    static double Sum(ReadOnlySpan<double> x)
    {
        var acc = Vector<double>.Zero;
        int i = 0, V = Vector<double>.Count;
        for (; i + V <= x.Length; i += V) acc += new Vector<double>(x.Slice(i, V));
        double s = Vector.Sum(acc);
        for (; i < x.Length; i++) s += x[i];
        return s;
    }

    static void Axpy(double alpha, ReadOnlySpan<double> x, Span<double> y)
    {
        int i = 0, V = Vector<double>.Count;
        var va = new Vector<double>(alpha);
        for (; i + V <= x.Length; i += V)
            (new Vector<double>(y.Slice(i, V)) + va * new Vector<double>(x.Slice(i, V))).CopyTo(y.Slice(i, V));
        for (; i < x.Length; i++) y[i] += alpha * x[i];
    }
}

/// <summary>A stationary law by levels: <see cref="Levels"/>[N] sums to 1; the probability of state i of level N is
/// exp(<see cref="LogWeight"/>[N]) Levels[N][i].</summary>
public sealed record LevelLaw(double[][] Levels, double[] LogWeight)
{
    public double Probability(int level, int i) => Math.Exp(LogWeight[level]) * Levels[level][i];
}

/// <summary>Where <see cref="LevelGth"/> keeps the Z_N of the eliminated levels until the back substitution (each is
/// written once and read once, in reverse order).</summary>
public interface ILevelStore
{
    void Put(int level, double[] z);
    double[] Get(int level);
}

/// <summary>The Z_N in memory.</summary>
public sealed class MemoryLevelStore : ILevelStore
{
    readonly List<double[]> z = [];
    public void Put(int level, double[] x) { if (level != z.Count) throw new ArgumentOutOfRangeException(nameof(level)); z.Add(x); }
    public double[] Get(int level) { var x = z[level]; z[level] = []; return x; }
}
