using System.Numerics;
using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Ness.Operators.Fermion;
using Ness.Sparse.Dense;

namespace Ness.Pipeline.Fermion.Krylov;

/// <summary>
/// The two-level preconditioner of docs/numerics.md for the sector Liouvillian L(X) = K X + X K+ + sum_c c X c+:
/// <list type="bullet">
/// <item>smoother S: solve K X + X K+ = R blockwise, with K_n = V_n diag(w) V_n^{-1} (eigendecomposition
/// once per block): X = V [(V^{-1} R V^{-+}) ./ (w_i + conj w_j)] V^+;</item>
/// <item>coarse space: the populations &lt;a|X_n|a&gt; in the eigenbasis U_n of H_n (2^L unknowns), with the
/// Galerkin operator A_c[b,a] = sum_c |&lt;b|c|a&gt;|^2 − δ_ab &lt;a|Γ|a&gt; (a rate matrix), solved by LU with
/// the first equation replaced by the trace (corrections are traceless);</item>
/// <item>multiplicative combination: z = S r; z += P A_c^{-1} P^T (r − L z).</item>
/// </list>
/// All dense work is real matrix products (<see cref="DenseKernels.Gemm"/>) on planar (re/im) row-major blocks;
/// as an <see cref="IPreconditioner"/> it maps packed Hermitian vectors to packed vectors.
/// </summary>
public sealed class TwoLevelPreconditioner : IPreconditioner
{
    readonly DenseKernels kernels;
    readonly BlockLiouvillian op;
    readonly int L;
    // K eigen-data per block, planar row-major: V, V^+ , W = V^{-1}, W^+ ; 1/(w_i + conj w_j)
    readonly double[][] vr, vi, vhr, vhi, wr, wi, whr, whi, invR, invI;
    readonly double[][] vs, vhs, ws, whs;   // re + im of V, V^+, W, W^+ (3-multiplication products)
    readonly double[] sum1, sum2;
    readonly int[] bySize;
    readonly double[] coarseBuffer;
    /// <summary>Threads over blocks in the setup and the smoother (one BLAS thread each).</summary>
    public int Threads { get; }
    // H eigenvectors U_n (columns) and U_n^T, row-major
    readonly double[][] u, ut;
    readonly int[] coarseOffset;
    // coherences in the coarse space: per block, pairs (a, b), a < b, of H eigenstates; x_ab = Re X_ab at
    // pairOffset[n] + 2k, y_ab = Im X_ab right after it
    readonly int[][] pairs;
    readonly int[] pairOffset;
    readonly DenseLU coarse;
    /// <summary>The coarse steady state (populations in the H eigenbases, sum 1).</summary>
    public double[] CoarseSteadyState { get; private set; } = [];
    public int CoarseDimension { get; }
    /// <summary>Candidates for coherences: eigenstates a &lt; b of one block at most this many apart in energy order
    /// (L = 9, 10 at h = 10 with 2^L pairs: window 4 took 120 iterations where neighbours only (window 1) took 240;
    /// window 8 chose nearly the same pairs as 4).</summary>
    public const int PairWindow = 4;

    /// <summary>Share of the coherence pairs chosen by the energy gap alone; the rest by gap + mean decay rate.
    /// Measured at L = 9 (seed 1, realization 0, 2^L pairs): by gap alone h = 10 took 120 iterations and h = 1 180
    /// (as without coherences); by gap + decay h = 10 took 179 and h = 1 120; half and half took 120 at both.</summary>
    public const double GapShare = 0.5;

    /// <summary>Pairs of near-degenerate H eigenstates whose coherences are in the coarse space.</summary>
    public int CoherencePairs { get; }
    /// <summary>Largest energy gap |E_a − E_b| among the chosen pairs.</summary>
    public double MaxPairMetric { get; }
    /// <summary>max_n cond(V_n) estimate ||V||_F ||V^{-1}||_F / d (eigenvector conditioning of K).</summary>
    public double EigenvectorCondition { get; }
    public long Applications { get; private set; }
    /// <summary>Time spent in the smoother, the coarse correction (restriction, solve, prolongation) and the
    /// inner Liouvillian application.</summary>
    public readonly System.Diagnostics.Stopwatch SmootherTime = new(), CoarseTime = new(), MatvecTime = new();

    // workspace (full planar vectors of dimension D)
    readonly double[] tR, tI, pR, pI, r2R, r2I, lR, lI, inR, inI, outR, outI;

    /// <summary>Doubles held for a sector of dimension D with coarse dimension NC (2^L populations + 2 per coherence
    /// pair) and largest block dmax: K eigen-data (12 D: V, V^+, W, W^+ planar and their re + im sums,
    /// 1/(w_i + conj w_j)), H eigenvectors (2 D), 13 planar work vectors, the coarse LU NC^2 and the assembled coarse
    /// matrix during setup, and MathNet copies of the largest block during setup (about 12 dmax^2 doubles per setup
    /// thread).</summary>
    public static double Workspace(long D, long coarse, long dmax, int threads) =>
        D * (12.0 + 2 + 13) + 2.0 * coarse * coarse + 12.0 * dmax * dmax * Math.Max(1, threads);

    /// <summary>The preconditioner of <paramref name="op"/>, or <see cref="SteadyStateNotUnique"/> when the coarse
    /// rate matrix is singular (then so is the Liouvillian: part of the chain is decoupled from the baths).</summary>
    public static Fin<TwoLevelPreconditioner> Create(BlockLiouvillian op, DenseKernels kernels, int threads, int coherences = 0)
    {
        var M = new TwoLevelPreconditioner(op, kernels, Math.Max(1, threads), Math.Max(0, coherences));
        if (M.coarse.Singular)
            return new SteadyStateNotUnique("the populations' rate matrix is singular");
        var p = new double[M.CoarseDimension];
        p[0] = 1;
        M.coarse.Solve(p);
        M.CoarseSteadyState = p;
        return M;
    }

    TwoLevelPreconditioner(BlockLiouvillian op, DenseKernels kernels, int threads, int coherences)
    {
        this.op = op;
        this.kernels = kernels;
        Threads = threads;
        var B = op.Model;
        L = B.Length;
        int nb = L + 1;
        vr = new double[nb][]; vi = new double[nb][]; vhr = new double[nb][]; vhi = new double[nb][];
        wr = new double[nb][]; wi = new double[nb][]; whr = new double[nb][]; whi = new double[nb][];
        invR = new double[nb][]; invI = new double[nb][];
        u = new double[nb][]; ut = new double[nb][];
        var E = new double[nb][];
        double cond = 0;
        var order = Enumerable.Range(0, nb).OrderByDescending(n => op.Size[n]).ToArray();
        Parallel.ForEach(order, new ParallelOptions { MaxDegreeOfParallelism = Threads }, n =>
        {
            int d = op.Size[n];
            var H = B.H[n];
            var K = Matrix<Complex>.Build.Dense(d, d, (i, j) =>
                new Complex(i == j ? -0.5 * B.Gamma[n][i] : 0, -H[i, j]));
            Matrix<Complex> V;
            MathNet.Numerics.LinearAlgebra.Vector<Complex> w;
            var kr = new double[2 * d * d];
            for (int i = 0; i < d; i++)
                for (int j = 0; j < d; j++) { kr[2 * (i * d + j)] = K[i, j].Real; kr[2 * (i * d + j) + 1] = K[i, j].Imaginary; }
            if (kernels.TryEigen(d, kr, out var ev, out var evec))
            {
                V = Matrix<Complex>.Build.Dense(d, d, (i, j) => new Complex(evec[2 * (i * d + j)], evec[2 * (i * d + j) + 1]));
                w = MathNet.Numerics.LinearAlgebra.Vector<Complex>.Build.Dense(d, i => new Complex(ev[2 * i], ev[2 * i + 1]));
            }
            else
            {
                var evd = K.Evd(Symmetricity.Asymmetric);
                V = evd.EigenVectors;
                w = evd.EigenValues;
            }
            var Wm = V.Inverse();
            vr[n] = new double[d * d]; vi[n] = new double[d * d]; vhr[n] = new double[d * d]; vhi[n] = new double[d * d];
            wr[n] = new double[d * d]; wi[n] = new double[d * d]; whr[n] = new double[d * d]; whi[n] = new double[d * d];
            invR[n] = new double[d * d]; invI[n] = new double[d * d];
            for (int i = 0; i < d; i++)
                for (int j = 0; j < d; j++)
                {
                    vr[n][i * d + j] = V[i, j].Real; vi[n][i * d + j] = V[i, j].Imaginary;
                    vhr[n][j * d + i] = V[i, j].Real; vhi[n][j * d + i] = -V[i, j].Imaginary;
                    wr[n][i * d + j] = Wm[i, j].Real; wi[n][i * d + j] = Wm[i, j].Imaginary;
                    whr[n][j * d + i] = Wm[i, j].Real; whi[n][j * d + i] = -Wm[i, j].Imaginary;
                    var den = w[i] + Complex.Conjugate(w[j]);
                    var inv = den.Magnitude > 1e-300 ? 1 / den : Complex.Zero;
                    invR[n][i * d + j] = inv.Real; invI[n][i * d + j] = inv.Imaginary;
                }
            double c = V.FrobeniusNorm() * Wm.FrobeniusNorm() / d;
            lock (vr) cond = Math.Max(cond, c);
            var hevd = H.Evd(Symmetricity.Symmetric);
            u[n] = new double[d * d]; ut[n] = new double[d * d];
            E[n] = hevd.EigenValues.Select(z => z.Real).ToArray();
            for (int i = 0; i < d; i++)
                for (int j = 0; j < d; j++)
                {
                    u[n][i * d + j] = hevd.EigenVectors[i, j];
                    ut[n][j * d + i] = hevd.EigenVectors[i, j];
                }
        });
        EigenvectorCondition = cond;
        vs = new double[nb][]; vhs = new double[nb][]; ws = new double[nb][]; whs = new double[nb][];
        for (int n = 0; n < nb; n++)
        {
            vs[n] = vr[n].Zip(vi[n], (a, b) => a + b).ToArray();
            vhs[n] = vhr[n].Zip(vhi[n], (a, b) => a + b).ToArray();
            ws[n] = wr[n].Zip(wi[n], (a, b) => a + b).ToArray();
            whs[n] = whr[n].Zip(whi[n], (a, b) => a + b).ToArray();
        }
        sum1 = new double[op.Dimension];
        sum2 = new double[op.Dimension];
        bySize = order;
        // coarse space: the populations of the H eigenstates (2^L), and the coherences of up to `coherences` pairs
        // of eigenstates close in energy (within a block, at most PairWindow apart): half chosen by the smallest
        // gaps E_b − E_a, half by the smallest gap + (Γ_aa + Γ_bb)/2 (the smoother's denominator |w_a + conj w_b|),
        // overlaps counted once
        coarseOffset = new int[nb + 1];
        for (int n = 0; n < nb; n++) coarseOffset[n + 1] = coarseOffset[n] + op.Size[n];
        int NP = coarseOffset[nb];
        var gdiag = new double[nb][];   // <a|Γ|a> in the eigenbasis of H_n
        for (int n = 0; n < nb; n++)
        {
            int d = op.Size[n];
            gdiag[n] = new double[d];
            for (int a = 0; a < d; a++)
                for (int k = 0; k < d; k++) gdiag[n][a] += u[n][k * d + a] * u[n][k * d + a] * B.Gamma[n][k];
        }
        var candidates = Enumerable.Range(0, nb)
            .SelectMany(n => Enumerable.Range(0, op.Size[n]).SelectMany(a =>
                Enumerable.Range(a + 1, Math.Max(0, Math.Min(PairWindow, op.Size[n] - 1 - a)))
                    .Select(b => (n, a, b, gap: E[n][b] - E[n][a], slow: E[n][b] - E[n][a] + 0.5 * (gdiag[n][a] + gdiag[n][b])))))
            .ToArray();
        int byGap = (int)Math.Round(GapShare * coherences);
        var chosen = candidates.OrderBy(t => t.gap).Take(byGap)
            .Union(candidates.OrderBy(t => t.slow).Take(coherences - byGap))
            .Select(t => (t.n, t.a, t.b, t.gap)).ToArray();
        MaxPairMetric = chosen.Length == 0 ? 0 : chosen.Max(t => t.gap);
        pairs = new int[nb][];
        pairOffset = new int[nb + 1];
        pairOffset[0] = NP;
        for (int n = 0; n < nb; n++)
        {
            pairs[n] = chosen.Where(t => t.n == n).OrderBy(t => t.a).ThenBy(t => t.b).SelectMany(t => new[] { t.a, t.b }).ToArray();
            pairOffset[n + 1] = pairOffset[n] + pairs[n].Length;     // 2 unknowns per pair
        }
        int NC = pairOffset[nb];
        CoarseDimension = NC;
        CoherencePairs = chosen.Length;
        coarseBuffer = new double[NC];
        var A = new double[(long)NC * NC];
        void Add(int row, int col, double v) => A[(long)row * NC + col] += v;
        for (int n = 0; n < nb; n++)
        {
            int d = op.Size[n];
            var un = u[n]; var gam = B.Gamma[n];
            double G(int i, int j)   // (U^T Γ U)_ij
            {
                double s = 0;
                for (int k = 0; k < d; k++) s += un[k * d + i] * gam[k] * un[k * d + j];
                return s;
            }
            for (int a = 0; a < d; a++) Add(coarseOffset[n] + a, coarseOffset[n] + a, -G(a, a));
            // K part on coherences: −i[H, X] − {Γ, X}/2 in the eigenbasis of H_n
            var pn = pairs[n];
            for (int k = 0; k < pn.Length / 2; k++)
            {
                int a = pn[2 * k], b = pn[2 * k + 1], cx = pairOffset[n] + 2 * k, cy = cx + 1;
                double gab = G(a, b), dE = E[n][a] - E[n][b];
                Add(coarseOffset[n] + a, cx, -gab);            // x col → populations
                Add(coarseOffset[n] + b, cx, -gab);
                Add(cx, coarseOffset[n] + a, -0.5 * gab);      // populations → x rows
                Add(cx, coarseOffset[n] + b, -0.5 * gab);
                Add(cy, cx, -dE);                              // −i[H, X]
                Add(cx, cy, dE);
                for (int q = 0; q < pn.Length / 2; q++)        // −{Γ, X}/2 between pairs
                {
                    int a1 = pn[2 * q], b1 = pn[2 * q + 1], rx = pairOffset[n] + 2 * q;
                    double xx = 0, yy = 0;
                    if (b == b1) { double g = G(a1, a); xx += g; yy += g; }
                    if (a == b1) { double g = G(a1, b); xx += g; yy -= g; }
                    if (a1 == a) { double g = G(b, b1); xx += g; yy += g; }
                    if (a1 == b) { double g = G(a, b1); xx += g; yy -= g; }
                    if (xx != 0) Add(rx, cx, -0.5 * xx);
                    if (yy != 0) Add(rx + 1, cy, -0.5 * yy);
                }
            }
            foreach (var c in B.Jumps)
            {
                int m = c.To(n);
                if (c.Rate == 0 || m < 0 || m > L) continue;
                int dm = op.Size[m];
                // M1 = C U_n (dm × d): row t_a = sqrt(rate) s_a × row a of U_n
                var M1 = new double[dm * d];
                double sr = Math.Sqrt(c.Rate);
                for (int a = 0; a < d; a++)
                {
                    int t = c.Target[n][a];
                    if (t < 0) continue;
                    for (int j = 0; j < d; j++) M1[t * d + j] += sr * c.Sign[n][a] * u[n][a * d + j];
                }
                var M = new double[dm * d];
                kernels.Gemm(dm, d, dm, 1, ut[m], M1, 0, M);   // U_m^T C U_n
                for (int b = 0; b < dm; b++)
                    for (int a = 0; a < d; a++)
                        A[(long)(coarseOffset[m] + b) * NC + coarseOffset[n] + a] += M[b * d + a] * M[b * d + a];
                // c X c+ with coherences: entry (a', b') of M X M^T
                var pm = pairs[m];
                for (int q = 0; q < pm.Length / 2; q++)
                {
                    int a1 = pm[2 * q], b1 = pm[2 * q + 1], rx = pairOffset[m] + 2 * q;
                    for (int a = 0; a < d; a++) Add(rx, coarseOffset[n] + a, M[a1 * d + a] * M[b1 * d + a]);
                }
                for (int k = 0; k < pn.Length / 2; k++)
                {
                    int a = pn[2 * k], b = pn[2 * k + 1], cx = pairOffset[n] + 2 * k;
                    for (int a1 = 0; a1 < dm; a1++) Add(coarseOffset[m] + a1, cx, 2 * M[a1 * d + a] * M[a1 * d + b]);
                    for (int q = 0; q < pm.Length / 2; q++)
                    {
                        int a1 = pm[2 * q], b1 = pm[2 * q + 1], rx = pairOffset[m] + 2 * q;
                        double p1 = M[a1 * d + a] * M[b1 * d + b], p2 = M[a1 * d + b] * M[b1 * d + a];
                        Add(rx, cx, p1 + p2);
                        Add(rx + 1, cx + 1, p1 - p2);
                    }
                }
            }
        }
        Array.Clear(A, 0, NC);
        for (int j = 0; j < NP; j++) A[j] = 1;   // row 0: trace (coherences are traceless)
        coarse = kernels.Factor(NC, A);

        int D = op.Dimension;
        tR = new double[D]; tI = new double[D]; pR = new double[D]; pI = new double[D];
        r2R = new double[D]; r2I = new double[D]; lR = new double[D]; lI = new double[D];
        inR = new double[D]; inI = new double[D]; outR = new double[D]; outI = new double[D];
    }

    /// <summary>The coarse state sum_n U_n C_n U_n^T as planar blocks, C_n = diag(populations) plus the coherences
    /// C_ab = x + i y, C_ba = x − i y of the chosen pairs.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void Prolong(ReadOnlySpan<double> p, Span<double> re, Span<double> im, bool add)
    {
        for (int n = 0; n <= L; n++)
        {
            int d = op.Size[n], o = op.Offset[n];
            var un = u[n];
            var us = pR.AsSpan(o, d * d);                       // U C_re
            for (int i = 0; i < d; i++)
                for (int j = 0; j < d; j++) us[i * d + j] = un[i * d + j] * p[coarseOffset[n] + j];
            var pn = pairs[n];
            for (int k = 0; k < pn.Length / 2; k++)
            {
                int a = pn[2 * k], b = pn[2 * k + 1];
                double x = p[pairOffset[n] + 2 * k];
                for (int i = 0; i < d; i++) { us[i * d + b] += un[i * d + a] * x; us[i * d + a] += un[i * d + b] * x; }
            }
            kernels.Gemm(d, d, d, 1, us, ut[n], add ? 1 : 0, re.Slice(o, d * d));
            if (pn.Length > 0)
            {
                var ui = pI.AsSpan(o, d * d);                   // U C_im
                ui.Clear();
                for (int k = 0; k < pn.Length / 2; k++)
                {
                    int a = pn[2 * k], b = pn[2 * k + 1];
                    double y = p[pairOffset[n] + 2 * k + 1];
                    for (int i = 0; i < d; i++) { ui[i * d + b] += un[i * d + a] * y; ui[i * d + a] -= un[i * d + b] * y; }
                }
                kernels.Gemm(d, d, d, 1, ui, ut[n], add ? 1 : 0, im.Slice(o, d * d));
            }
            else if (!add) im.Slice(o, d * d).Clear();
        }
    }

    /// <summary>Coarse restriction: the populations (U_n^T Re(R_n) U_n)_aa and the coherences Re, Im (U_n^T R_n U_n)_ab
    /// of the chosen pairs.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    void Restrict(ReadOnlySpan<double> re, ReadOnlySpan<double> im, Span<double> c)
    {
        for (int n = 0; n <= L; n++)
        {
            int d = op.Size[n], o = op.Offset[n];
            var un = u[n];
            var Y = tR.AsSpan(o, d * d);
            kernels.Gemm(d, d, d, 1, re.Slice(o, d * d), un, 0, Y);  // Re(R) U
            for (int a = 0; a < d; a++)
            {
                double s = 0;
                for (int k = 0; k < d; k++) s += un[k * d + a] * Y[k * d + a];
                c[coarseOffset[n] + a] = s;
            }
            var pn = pairs[n];
            if (pn.Length == 0) continue;
            var Yi = tI.AsSpan(o, d * d);
            kernels.Gemm(d, d, d, 1, im.Slice(o, d * d), un, 0, Yi);  // Im(R) U
            for (int k = 0; k < pn.Length / 2; k++)
            {
                int a = pn[2 * k], b = pn[2 * k + 1];
                double x = 0, y = 0;
                for (int q = 0; q < d; q++) { x += un[q * d + a] * Y[q * d + b]; y += un[q * d + a] * Yi[q * d + b]; }
                c[pairOffset[n] + 2 * k] = x;
                c[pairOffset[n] + 2 * k + 1] = y;
            }
        }
    }

    /// <summary>Solves K X + X K+ = R blockwise (planar in → planar out). Complex products use the
    /// 3-multiplication (Gauss) form: 3 real products instead of 4 (the smoother needs no last-digit accuracy;
    /// flexible GMRES uses its output exactly as computed).</summary>
    public void Smooth(double[] rR, double[] rI, double[] xR, double[] xI)
    {
        if (Threads <= 1 || L < 4)
        {
            for (int n = 0; n <= L; n++) SmoothBlock(n, rR, rI, xR, xI);
            return;
        }
        // blocks are independent: largest first, one BLAS thread each
        Parallel.ForEach(bySize, new ParallelOptions { MaxDegreeOfParallelism = Threads },
            n => SmoothBlock(n, rR, rI, xR, xI));
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    void SmoothBlock(int n, ReadOnlySpan<double> rR, ReadOnlySpan<double> rI, Span<double> xR, Span<double> xI)
    {
        {
            int d = op.Size[n], o = op.Offset[n], dd = d * d;
            var Rr = rR.Slice(o, dd); var Ri = rI.Slice(o, dd);
            var Tr = tR.AsSpan(o, dd); var Ti = tI.AsSpan(o, dd);
            var Pr = pR.AsSpan(o, dd); var Pi = pI.AsSpan(o, dd);
            var s1 = sum1.AsSpan(o, dd); var s2 = sum2.AsSpan(o, dd);
            MulFixedLeft(d, wr[n], wi[n], ws[n], Rr, Ri, Tr, Ti, s1, s2);      // T = W R
            MulFixedRight(d, Tr, Ti, whr[n], whi[n], whs[n], Pr, Pi, s1, s2);  // P = T W^+
            var ir = invR[n]; var ii = invI[n];
            for (int k = 0; k < dd; k++)                                       // P ./= (w_i + conj w_j)
            {
                double a = Pr[k], b = Pi[k];
                Pr[k] = a * ir[k] - b * ii[k];
                Pi[k] = a * ii[k] + b * ir[k];
            }
            MulFixedLeft(d, vr[n], vi[n], vs[n], Pr, Pi, Tr, Ti, s1, s2);      // T = V P
            MulFixedRight(d, Tr, Ti, vhr[n], vhi[n], vhs[n], xR.Slice(o, dd), xI.Slice(o, dd), s1, s2);  // X = T V^+
        }
    }

    /// <summary>C = A B, A fixed with precomputed As = Ar + Ai.</summary>
    void MulFixedLeft(int d, double[] Ar, double[] Ai, double[] As, ReadOnlySpan<double> Br, ReadOnlySpan<double> Bi,
        Span<double> Cr, Span<double> Ci, Span<double> s1, Span<double> s2)
    {
        Sum(d * d, Br, Bi, s1);
        Gauss3(d, Ar, Ai, As, Br, Bi, s1, Cr, Ci, s2);
    }

    /// <summary>C = A B, B fixed with precomputed Bs = Br + Bi.</summary>
    void MulFixedRight(int d, ReadOnlySpan<double> Ar, ReadOnlySpan<double> Ai, double[] Br, double[] Bi, double[] Bs,
        Span<double> Cr, Span<double> Ci, Span<double> s1, Span<double> s2)
    {
        Sum(d * d, Ar, Ai, s1);
        Gauss3(d, Ar, Ai, s1, Br, Bi, Bs, Cr, Ci, s2);
    }

    static void Sum(int n, ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> s)
    {
        for (int k = 0; k < n; k++) s[k] = x[k] + y[k];
    }

    /// <summary>Complex C = A B from three real products (Gauss): Cr = ArBr − AiBi, Ci = (Ar + Ai)(Br + Bi) − ArBr − AiBi,
    /// given As = Ar + Ai and Bs = Br + Bi.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    void Gauss3(int d, ReadOnlySpan<double> Ar, ReadOnlySpan<double> Ai, ReadOnlySpan<double> As,
        ReadOnlySpan<double> Br, ReadOnlySpan<double> Bi, ReadOnlySpan<double> Bs,
        Span<double> Cr, Span<double> Ci, Span<double> s2)
    {
        int dd = d * d;
        kernels.Gemm(d, d, d, 1, Ar, Br, 0, Cr);
        kernels.Gemm(d, d, d, 1, Ai, Bi, 0, s2);
        kernels.Gemm(d, d, d, 1, As, Bs, 0, Ci);
        for (int k = 0; k < dd; k++) { Ci[k] -= Cr[k] + s2[k]; Cr[k] -= s2[k]; }
    }

    /// <summary>Solves the coarse problem A_c delta = c (c[0] is replaced by 0: traceless correction).</summary>
    public void CoarseSolve(double[] c)
    {
        c[0] = 0;
        coarse.Solve(c);
    }

    /// <summary>z = M^{-1} r on packed Hermitian vectors (<see cref="IPreconditioner"/>).</summary>
    public void Apply(ReadOnlySpan<double> r, Span<double> z)
    {
        op.Unpack(r, inR, inI);
        ApplyPlanar(inR, inI, outR, outI);
        op.Pack(outR, outI, z);
    }

    /// <summary>The coarse correction z += P A_c^{-1} P^T r (only Re r enters the populations). Exact on the
    /// coarse space: for a traceless population vector c, r = L(P c) gives z = P c (Galerkin A_c = P^T L P).</summary>
    public void CoarseCorrect(ReadOnlySpan<double> rR, ReadOnlySpan<double> rI, Span<double> zR, Span<double> zI)
    {
        var c = coarseBuffer;
        Restrict(rR, rI, c);
        CoarseSolve(c);
        Prolong(c, zR, zI, add: true);
    }

    /// <summary>z = M^{-1} r on planar blocks: smoother, then coarse correction of the new residual.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void ApplyPlanar(double[] rR, double[] rI, double[] zR, double[] zI)
    {
        Applications++;
        int D = op.Dimension;
        SmootherTime.Start();
        Smooth(rR, rI, zR, zI);
        SmootherTime.Stop();
        MatvecTime.Start();
        op.Apply(zR, zI, lR, lI);
        MatvecTime.Stop();
        CoarseTime.Start();
        for (int k = 0; k < D; k++) { r2R[k] = rR[k] - lR[k]; r2I[k] = rI[k] - lI[k]; }
        CoarseCorrect(r2R, r2I, zR, zI);
        CoarseTime.Stop();
    }
}
