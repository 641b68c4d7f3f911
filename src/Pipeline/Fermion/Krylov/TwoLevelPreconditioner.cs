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
    readonly DenseLU coarse;
    /// <summary>The coarse steady state (populations in the H eigenbases, sum 1).</summary>
    public double[] CoarseSteadyState { get; private set; } = [];
    public int CoarseDimension { get; }
    /// <summary>max_n cond(V_n) estimate ||V||_F ||V^{-1}||_F / d (eigenvector conditioning of K).</summary>
    public double EigenvectorCondition { get; }
    public long Applications { get; private set; }
    /// <summary>Time spent in the smoother, the coarse correction (restriction, solve, prolongation) and the
    /// inner Liouvillian application.</summary>
    public readonly System.Diagnostics.Stopwatch SmootherTime = new(), CoarseTime = new(), MatvecTime = new();

    // workspace (full planar vectors of dimension D)
    readonly double[] tR, tI, pR, pI, r2R, lR, lI, inR, inI, outR, outI;

    /// <summary>Doubles held for a sector of dimension D with 2^L populations and largest block dmax: K eigen-data
    /// (12 D: V, V^+, W, W^+ planar and their re + im sums, 1/(w_i + conj w_j)), H eigenvectors (2 D), 13 planar
    /// work vectors, the coarse LU (2^L)^2 and the assembled coarse matrix during setup, and MathNet copies of the
    /// largest block during setup (about 12 dmax^2 doubles per setup thread).</summary>
    public static double Workspace(long D, long coarse, long dmax, int threads) =>
        D * (12.0 + 2 + 13) + 2.0 * coarse * coarse + 12.0 * dmax * dmax * Math.Max(1, threads);

    /// <summary>The preconditioner of <paramref name="op"/>, or <see cref="SteadyStateNotUnique"/> when the coarse
    /// rate matrix is singular (then so is the Liouvillian: part of the chain is decoupled from the baths).</summary>
    public static Fin<TwoLevelPreconditioner> Create(BlockLiouvillian op, DenseKernels kernels, int threads)
    {
        var M = new TwoLevelPreconditioner(op, kernels, Math.Max(1, threads));
        if (M.coarse.Singular)
            return new SteadyStateNotUnique("the populations' rate matrix is singular");
        var p = new double[M.CoarseDimension];
        p[0] = 1;
        M.coarse.Solve(p);
        M.CoarseSteadyState = p;
        return M;
    }

    TwoLevelPreconditioner(BlockLiouvillian op, DenseKernels kernels, int threads)
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
        coarseBuffer = new double[1 << L];

        // coarse operator
        coarseOffset = new int[nb + 1];
        for (int n = 0; n < nb; n++) coarseOffset[n + 1] = coarseOffset[n] + op.Size[n];
        int NC = coarseOffset[nb];
        CoarseDimension = NC;
        var A = new double[(long)NC * NC];
        for (int n = 0; n < nb; n++)
        {
            int d = op.Size[n];
            for (int a = 0; a < d; a++)
            {
                double g = 0;
                for (int k = 0; k < d; k++) g += u[n][k * d + a] * u[n][k * d + a] * B.Gamma[n][k];
                int ia = coarseOffset[n] + a;
                A[(long)ia * NC + ia] -= g;
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
            }
        }
        for (int j = 0; j < NC; j++) A[j] = 1;   // row 0: trace
        coarse = kernels.Factor(NC, A);

        int D = op.Dimension;
        tR = new double[D]; tI = new double[D]; pR = new double[D]; pI = new double[D];
        r2R = new double[D]; lR = new double[D]; lI = new double[D];
        inR = new double[D]; inI = new double[D]; outR = new double[D]; outI = new double[D];
    }

    /// <summary>The coarse state sum_n U_n diag(p_n) U_n^T as planar blocks (imaginary part zero).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void Prolong(ReadOnlySpan<double> p, Span<double> re, Span<double> im, bool add)
    {
        for (int n = 0; n <= L; n++)
        {
            int d = op.Size[n], o = op.Offset[n];
            var us = pR.AsSpan(o, d * d);
            for (int i = 0; i < d; i++)
                for (int j = 0; j < d; j++) us[i * d + j] = u[n][i * d + j] * p[coarseOffset[n] + j];
            kernels.Gemm(d, d, d, 1, us, ut[n], add ? 1 : 0, re.Slice(o, d * d));
            if (!add) im.Slice(o, d * d).Clear();
        }
    }

    /// <summary>Coarse restriction: c[n, a] = (U_n^T Re(R_n) U_n)_aa.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    void Restrict(ReadOnlySpan<double> re, Span<double> c)
    {
        for (int n = 0; n <= L; n++)
        {
            int d = op.Size[n], o = op.Offset[n];
            var Y = tR.AsSpan(o, d * d);
            kernels.Gemm(d, d, d, 1, re.Slice(o, d * d), u[n], 0, Y);  // R U
            for (int a = 0; a < d; a++)
            {
                double s = 0;
                for (int k = 0; k < d; k++) s += u[n][k * d + a] * Y[k * d + a];
                c[coarseOffset[n] + a] = s;
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
    public void CoarseCorrect(ReadOnlySpan<double> rR, Span<double> zR, Span<double> zI)
    {
        var c = coarseBuffer;
        Restrict(rR, c);
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
        for (int k = 0; k < D; k++) r2R[k] = rR[k] - lR[k];
        CoarseCorrect(r2R, zR, zI);
        CoarseTime.Stop();
    }
}
