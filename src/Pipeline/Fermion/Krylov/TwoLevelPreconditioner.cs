using System.Numerics;
using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Ness.Operators.Fermion;
using Ness.Numerics.Dense;
using Ness.Numerics.Krylov;

namespace Ness.Pipeline.Fermion.Krylov;

/// <summary>
/// The two-level preconditioner of docs/numerics.md for the sector Liouvillian L(X) = K X + X K+ + sum_c c X c+:
/// <list type="bullet">
/// <item>smoother S: solve K X + X K+ = R blockwise, with K_n = V_n diag(w) V_n^{-1} (eigendecomposition
/// once per block): X = V [(V^{-1} R V^{-+}) ./ (w_i + conj w_j)] V^+ (<see cref="SylvesterSmoother{T}"/>, single
/// precision by default), over the particle-number sectors in red–black order (<see cref="SectorSweep"/>);</item>
/// <item>coarse space: the populations &lt;a|X_n|a&gt; in the eigenbasis U_n of H_n (2^L unknowns), with the
/// Galerkin operator A_c[b,a] = sum_c |&lt;b|c|a&gt;|^2 − δ_ab &lt;a|Γ|a&gt; (a rate matrix), solved by LU with
/// the first equation replaced by the trace (corrections are traceless), block by block in the sectors
/// (<see cref="CoarseStorage"/>);</item>
/// <item>multiplicative combination: z = S r; z += P A_c^{-1} P^T (r − L z); optionally (<see cref="PostSmoothing"/>)
/// also z += S (r − L z) after it: smoother, coarse, smoother, like a multigrid V(1,1) cycle. That takes 25–40 % fewer
/// iterations at h = 10 but costs a smoother and a Liouvillian application more per iteration: CPU −9 % at L = 9,
/// +4 % at L = 10 (medians of 10 draws), −3 % at L = 11 (3 draws; −6 to −14 % on four others), +14 % at L = 12 (docs/benchmarks.md,
/// "Post-smoothing"), so it is off by default.</item>
/// </list>
/// All dense work is real matrix products (`DenseKernels.Gemm`, double and single precision) on planar (re/im) row-major blocks;
/// as an <see cref="IPreconditioner"/> it maps packed Hermitian vectors to packed vectors.
/// </summary>
public sealed class TwoLevelPreconditioner : IPreconditioner
{
    readonly DenseKernels kernels;
    readonly BlockLiouvillian op;
    readonly int L;
    readonly IBlockSmoother smoother;
    ICoarseTransfer transfer;   // the solve's; double from UseDoubleTransfers on
    readonly int[] even, odd;
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
    /// <summary>The populations' rate matrix is singular in double precision (<see cref="Create"/> refuses).</summary>
    bool PopulationsSingular { get; }
    /// <summary>Candidates for coherences: eigenstates a &lt; b of one block at most this many apart in energy order
    /// (L = 9, 10 at h = 10 with 2^L pairs: window 4 took 120 iterations where neighbours only (window 1) took 240;
    /// window 8 chose nearly the same pairs as 4).</summary>
    public const int PairWindow = 4;

    /// <summary>Share of the coherence pairs chosen by the energy gap alone; the rest by gap + mean decay rate.
    /// Measured at L = 9 (seed 1, realization 0, 2^L pairs): by gap alone h = 10 took 120 iterations and h = 1 180
    /// (as without coherences); by gap + decay h = 10 took 179 and h = 1 120; half and half took 120 at both.</summary>
    public const double GapShare = 0.5;

    /// <summary>A coherence is a candidate for the coarse space only when the jumps carry both its eigenstates into
    /// single eigenstates with at least this product of fidelities (see the constructor): the slow modes the smoother
    /// misses are coherences between states localized away from the ends, which the baths' jumps move from block
    /// to block intact. Measured at L = 9 (seed 1): the product is ≥ 0.1 for 147 of 1960 candidate pairs at h = 1,
    /// 1146 at h = 2, 1945 at h = 4 and all at h = 10, 20; at h = 1 the coherences did not reduce the iterations.</summary>
    public const double CarriedThreshold = 0.1;

    /// <summary>Carried pairs (product of fidelities ≥ 0.5) among all candidates: the pair budget grows beyond 2^L
    /// towards the maximum in proportion, reaching it at a share of one half.</summary>
    public double CarriedShare { get; }

    /// <summary>The memory budget allowed fewer coherence pairs than the pair budget asked for.</summary>
    public bool PairsLimitedByMemory { get; }

    /// <summary>Pairs of near-degenerate H eigenstates whose coherences are in the coarse space.</summary>
    public int CoherencePairs { get; }
    /// <summary>Largest energy gap |E_a − E_b| among the chosen pairs.</summary>
    public double MaxPairMetric { get; }
    /// <summary>max_n cond(V_n) estimate ||V||_F ||V^{-1}||_F / d (eigenvector conditioning of K).</summary>
    public double EigenvectorCondition { get; }
    public long Applications { get; private set; }
    /// <summary>The smoother also runs after the coarse correction (see the class comment).</summary>
    public bool PostSmoothing { get; }
    /// <summary>How the smoother visits the sectors (<see cref="Krylov.SectorSweep"/>).</summary>
    public SectorSweep Sweep { get; }
    /// <summary>Time spent in the smoother, the coarse correction (restriction, solve, prolongation) and the
    /// inner Liouvillian application; <see cref="CoarseSolveTime"/> is the part of the coarse time spent in the LU solve.</summary>
    public readonly System.Diagnostics.Stopwatch SmootherTime = new(), CoarseTime = new(), MatvecTime = new(), CoarseSolveTime = new();

    // workspace (full planar vectors of dimension D)
    readonly double[] tR, tI, r2R, r2I, lR, lI, inR, inI, outR, outI;

    /// <summary>Doubles held for good by the preconditioner of a sector of dimension D with coarse dimension NC
    /// (2^L populations + 2 per coherence pair): the smoother (<see cref="SylvesterSmoother{T}.Workspace"/>, 22 D
    /// numbers of 4 or 8 bytes), the transfers (<see cref="CoarseTransfer{T}.Workspace"/>: in double, and with
    /// <paramref name="singleTransfer"/> also in single), the H eigenvectors (2 D), 10 planar work vectors and the coarse LU (NC^2).</summary>
    public static double Workspace(long D, long coarse, bool single, bool singleTransfer) =>
        SylvesterSmoother<Real64>.Workspace(D) * (single ? 0.5 : 1)
        + (singleTransfer ? 0.5 * CoarseTransfer<Real32>.Workspace(D) : 0) + CoarseTransfer<Real64>.Workspace(D)
        + D * (2.0 + 10) + (double)coarse * coarse;

    /// <summary>Doubles held only during the setup (freed before the iteration): the assembled coarse matrix
    /// (NC^2), the populations' rate matrix and its LU (2 (2^L)^2), the jumps in the H eigenbases (at most 4 D) and
    /// MathNet copies of the largest block dmax (about 12 dmax^2 per setup thread).</summary>
    public static double SetupWorkspace(long D, long coarse, long populations, long dmax, int threads) =>
        (double)coarse * coarse + 2.0 * populations * populations + 4.0 * D + 12.0 * dmax * dmax * Math.Max(1, threads);

    /// <summary>An m×k complex array, row-major with interleaved re/im.</summary>
    static double[] Interleave(int m, int k, Func<int, int, Complex> f)
    {
        var a = new double[2 * m * k];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < k; j++) { var z = f(i, j); a[2 * (i * k + j)] = z.Real; a[2 * (i * k + j) + 1] = z.Imaginary; }
        return a;
    }

    static double SumOfSquares(double[] a)
    {
        double s = 0;
        foreach (var x in a) s += x * x;
        return s;
    }

    /// <summary>The preconditioner of <paramref name="op"/>, or a refusal when the coarse rate matrix is singular in double
    /// precision. A decoupled chain (J = 0) never gets here (<see cref="SteadyState"/> refuses it as not unique first);
    /// with J ≠ 0 an exactly zero pivot means the slowest populations' rates vanish in the rounding of the fastest
    /// (L = 10, h = 40, J = 0.3, V = 0, seed 1), not a second steady state: the Gaussian solver solves that chain.</summary>
    /// <param name="maxCoarse">The largest coarse dimension the memory budget allows (<see cref="KrylovSolver.MaxCoarseDimension"/>):
    /// fewer coherence pairs are chosen when the budget asks for it (<see cref="PairsLimitedByMemory"/>).</param>
    public static Fin<TwoLevelPreconditioner> Create(BlockLiouvillian op, DenseKernels kernels, int threads, int coherences = 0,
        bool singleSmoother = true, double minCarried = CarriedThreshold, int maxCoarse = int.MaxValue, bool postSmoothing = false,
        SectorSweep sweep = SectorSweep.RedBlack, bool singleTransfer = true)
    {
        var M = new TwoLevelPreconditioner(op, kernels, Math.Max(1, threads), Math.Max(0, coherences), singleSmoother, singleTransfer, minCarried, maxCoarse,
            postSmoothing, sweep);
        if (M.coarse.Singular || M.PopulationsSingular)
            return new NumericsRefused("krylov solver: the rate equations of the populations (the coarse space of its preconditioner) " +
                "are singular in double precision: the slowest transition rates vanish in the rounding of the fastest (strong disorder " +
                "with weak hopping, docs/numerics.md); at --interaction 0 use --solver gaussian, otherwise a shorter chain, weaker " +
                "disorder or larger hopping");
        var p = new double[M.CoarseDimension];
        p[0] = 1;
        M.coarse.Solve(p);
        M.CoarseSteadyState = p;
        return M;
    }

    /// <summary>The setup, step by step (each compiled optimized at once, as the setup loops of a short solve run once): the eigenbases of every block (<see cref="Eigenbases"/>), the coherence pairs
    /// of the coarse space (<see cref="ChoosePairs"/>), the Galerkin coarse operator (<see cref="CoarseMatrix"/>) and its LU.</summary>
    TwoLevelPreconditioner(BlockLiouvillian op, DenseKernels kernels, int threads, int coherences, bool singleSmoother,
        bool singleTransfer, double minCarried, int maxCoarse, bool postSmoothing, SectorSweep sweep)
    {
        this.op = op;
        PostSmoothing = postSmoothing;
        Sweep = sweep;
        this.kernels = kernels;
        Threads = threads;
        var B = op.Model;
        L = B.Length;
        int nb = L + 1;
        smoother = singleSmoother
            ? new SylvesterSmoother<Real32>(kernels, op.Size, op.Offset, op.Dimension)
            : new SylvesterSmoother<Real64>(kernels, op.Size, op.Offset, op.Dimension);
        var eig = Eigenbases(op, kernels, smoother, Threads);
        (u, ut, bySize, EigenvectorCondition) = (eig.U, eig.Ut, eig.BySize, eig.Condition);
        (even, odd) = (bySize.Where(n => n % 2 == 0).ToArray(), bySize.Where(n => n % 2 == 1).ToArray());

        coarseOffset = new int[nb + 1];
        for (int n = 0; n < nb; n++) coarseOffset[n + 1] = coarseOffset[n] + op.Size[n];
        int NP = coarseOffset[nb];
        var gdiag = DecayRates(op, u);
        var jumps = B.Jumps.Where(c => c.Rate != 0).ToArray();
        var Mj = JumpsInEigenbases(op, kernels, jumps, u, ut, Threads);
        var fidelity = Fidelities(op, jumps, Mj);

        var pc = PairCandidates.Create(op.Size, eig.E, gdiag, fidelity);
        var chosen = ChoosePairs(pc, L, coherences, NP, maxCoarse, minCarried);
        (CarriedShare, PairsLimitedByMemory) = (chosen.Share, chosen.LimitedByMemory);
        (pairs, pairOffset, MaxPairMetric, CoherencePairs) = (chosen.Pairs, chosen.Offset, chosen.MaxGap, chosen.Count);
        int NC = pairOffset[nb];
        CoarseDimension = NC;
        coarseBuffer = new double[NC];

        var A = CoarseMatrix(op, eig.E, u, jumps, Mj, coarseOffset, pairs, pairOffset);
        // uniqueness is decided on the populations' rate matrix alone (with the trace row), whose zero pivots are
        // exact when part of the chain is decoupled (J = 0); the coherence rows would blur them by rounding
        PopulationsSingular = kernels.Factor(NP, Populations(A, coarseOffset), Threads).Singular;
        coarse = BlockTridiagonalLU.Create(kernels, A, Threads);   // nothing else runs now: LAPACK may use the solver's threads

        int D = op.Dimension;
        transfer = singleTransfer
            ? new CoarseTransfer<Real32>(kernels, op.Size, op.Offset, D, u, ut, coarseOffset, pairs, pairOffset)
            : new CoarseTransfer<Real64>(kernels, op.Size, op.Offset, D, u, ut, coarseOffset, pairs, pairOffset);
        tR = new double[D]; tI = new double[D];
        r2R = new double[D]; r2I = new double[D]; lR = new double[D]; lI = new double[D];
        inR = new double[D]; inI = new double[D]; outR = new double[D]; outI = new double[D];
    }

    /// <summary>The coarse operator's storage (<see cref="BlockTridiagonalMatrix"/>, factored by
    /// <see cref="BlockTridiagonalLU"/>): each jump changes the particle number by one, so with the unknowns of a sector
    /// together (its populations, then its pairs) the Galerkin matrix is block tridiagonal in the sectors, but for the
    /// trace row, row 0: the empty state's, sector 0, which the order n = L, L − 1, ..., 1, 0 puts last as the border.
    /// Eliminating from the full sector down leaves in each Schur complement states that can still lose a particle.
    /// Cost about sum_n s_n^3 instead of NC^3, storage sum_n s_n (s_n + s_{n±1}) + NC instead of NC^2 (L = 10, h = 10,
    /// seed 1: blocks of at most 1184 of NC = 4124).</summary>
    static BlockTridiagonalMatrix CoarseStorage(int[] coarseOffset, int[] pairOffset)
    {
        int nb = coarseOffset.Length - 1;
        var order = new List<int>(pairOffset[nb]);
        var sizes = new int[nb];
        for (int n = nb - 1, b = 0; n >= 0; n--, b++)
        {
            for (int i = coarseOffset[n]; i < coarseOffset[n + 1]; i++) order.Add(i);
            for (int i = pairOffset[n]; i < pairOffset[n + 1]; i++) order.Add(i);
            sizes[b] = coarseOffset[n + 1] - coarseOffset[n] + pairOffset[n + 1] - pairOffset[n];
        }
        return BlockTridiagonalMatrix.Create([.. order], sizes);
    }

    /// <summary>The populations' rows and columns of the coarse operator (with its trace row), dense NP × NP row-major:
    /// a sector's populations couple only to its own and its neighbours'.</summary>
    static double[] Populations(BlockTridiagonalMatrix A, int[] coarseOffset)
    {
        int nb = coarseOffset.Length - 1, NP = coarseOffset[nb];
        var Ap = new double[(long)NP * NP];
        for (int n = 0; n < nb; n++)
            for (int i = coarseOffset[n]; i < coarseOffset[n + 1]; i++)
                for (int j = i == 0 ? 0 : coarseOffset[Math.Max(n - 1, 0)]; j < (i == 0 ? NP : coarseOffset[Math.Min(n + 2, nb)]); j++)
                    Ap[(long)i * NP + j] = A[i, j];
        return Ap;
    }

    /// <summary>The eigen-data of every block: H eigenvalues E_n (ascending) and eigenvectors U_n (and U_n^T), row-major;
    /// the smoother's K_n = −iH_n − Γ_n/2 = V diag(w) V^{-1}; the blocks by decreasing size; max_n cond(V_n).</summary>
    sealed record BlockEigen(double[][] E, double[][] U, double[][] Ut, int[] BySize, double Condition);

    /// <summary>Diagonalizes K_n (for the smoother, <see cref="IBlockSmoother.SetBlock"/>) and H_n of every block, largest
    /// blocks first, in parallel: by LAPACK when the provider has it, MathNet's managed decompositions otherwise.</summary>
    static BlockEigen Eigenbases(BlockLiouvillian op, DenseKernels kernels, IBlockSmoother smoother, int threads)
    {
        var B = op.Model;
        int nb = B.Length + 1;
        var u = new double[nb][];
        var ut = new double[nb][];
        var E = new double[nb][];
        double cond = 0;
        var order = Enumerable.Range(0, nb).OrderByDescending(n => op.Size[n]).ToArray();
        Parallel.ForEach(order, new ParallelOptions { MaxDegreeOfParallelism = threads }, (n) =>
        {
            int d = op.Size[n];
            var H = B.H[n];
            // K = −iH − Γ/2, interleaved re/im, row-major; eigenvectors V, V^{-1} and the H eigenbasis by LAPACK
            // when the provider has it (MathNet's managed decompositions otherwise)
            var kr = new double[2 * d * d];
            for (int i = 0; i < d; i++)
            {
                kr[2 * (i * d + i)] = -0.5 * B.Gamma[n][i];
                for (int j = 0; j < d; j++) kr[2 * (i * d + j) + 1] = -H[i, j];
            }
            double[] ev, v, vInv;   // eigenvalues w, eigenvectors V and V^{-1}, interleaved re/im
            if (!kernels.TryEigen(d, kr, out ev, out v))
            {
                var evd = Matrix<Complex>.Build.Dense(d, d, (i, j) => new Complex(kr[2 * (i * d + j)], kr[2 * (i * d + j) + 1]))
                    .Evd(Symmetricity.Asymmetric);
                ev = Interleave(d, 1, (i, _) => evd.EigenValues[i]);
                v = Interleave(d, d, (i, j) => evd.EigenVectors[i, j]);
            }
            if (!kernels.TryInverse(d, v, out vInv))
            {
                var inv = Matrix<Complex>.Build.Dense(d, d, (i, j) => new Complex(v[2 * (i * d + j)], v[2 * (i * d + j) + 1])).Inverse();
                vInv = Interleave(d, d, (i, j) => inv[i, j]);
            }
            smoother.SetBlock(n, (i, j) => new Complex(v[2 * (i * d + j)], v[2 * (i * d + j) + 1]),
                (i, j) => new Complex(vInv[2 * (i * d + j)], vInv[2 * (i * d + j) + 1]), i => new Complex(ev[2 * i], ev[2 * i + 1]));
            double c = Math.Sqrt(SumOfSquares(v) * SumOfSquares(vInv)) / d;
            lock (u) cond = Math.Max(cond, c);
            var hr = new double[d * d];
            for (int i = 0; i < d; i++)
                for (int j = 0; j < d; j++) hr[i * d + j] = H[i, j];
            if (!kernels.TrySymmetricEigen(d, hr, out var eh, out var uh))
            {
                var hevd = H.Evd(Symmetricity.Symmetric);
                eh = hevd.EigenValues.Select(z => z.Real).ToArray();
                uh = new double[d * d];
                for (int i = 0; i < d; i++)
                    for (int j = 0; j < d; j++) uh[i * d + j] = hevd.EigenVectors[i, j];
            }
            E[n] = eh;
            u[n] = uh; ut[n] = new double[d * d];
            for (int i = 0; i < d; i++)
                for (int j = 0; j < d; j++) ut[n][j * d + i] = uh[i * d + j];
        });
        return new BlockEigen(E, u, ut, order, cond);
    }

    /// <summary>&lt;a|Γ|a&gt; in the eigenbasis of H_n, per block.</summary>
    static double[][] DecayRates(BlockLiouvillian op, double[][] u)
    {
        int nb = op.Length + 1;
        var gdiag = new double[nb][];
        for (int n = 0; n < nb; n++)
        {
            int d = op.Size[n];
            gdiag[n] = new double[d];
            for (int a = 0; a < d; a++)
                for (int k = 0; k < d; k++) gdiag[n][a] += u[n][k * d + a] * u[n][k * d + a] * op.Model.Gamma[n][k];
        }
        return gdiag;
    }

    /// <summary>The jumps in the H eigenbases: M = U_m^T C U_n for every jump C from block n to block m
    /// ([j, n], null where the jump leaves the sector).</summary>
    static double[,][] JumpsInEigenbases(BlockLiouvillian op, DenseKernels kernels, BlockJump[] jumps, double[][] u, double[][] ut, int threads)
    {
        int L = op.Length, nb = L + 1;
        var Mj = new double[jumps.Length, nb][];
        Parallel.For(0, jumps.Length * nb, new ParallelOptions { MaxDegreeOfParallelism = threads }, (k) =>
        {
            int j = k / nb, n = k % nb;
            var c = jumps[j];
            int m = c.To(n);
            if (m < 0 || m > L) return;
            int d = op.Size[n], dm = op.Size[m];
            var M1 = new double[dm * d];                       // C U_n: row t_a = sqrt(rate) s_a × row a of U_n
            double sr = Math.Sqrt(c.Rate);
            for (int a = 0; a < d; a++)
            {
                int t = c.Target[n][a];
                if (t < 0) continue;
                for (int i = 0; i < d; i++) M1[t * d + i] += sr * c.Sign[n][a] * u[n][a * d + i];
            }
            var M = new double[dm * d];
            kernels.Gemm(dm, d, dm, 1, ut[m], M1, 0, M);
            Mj[j, n] = M;
        });
        return Mj;
    }

    /// <summary>How cleanly the jumps carry eigenstate a of block n into single eigenstates: the smallest, over the jumps
    /// that act on it with weight sum_a' M_a'a^2 above 1 % of the rate, of max_a' M_a'a^2 / sum_a' M_a'a^2
    /// (near 1 for states localized away from the ends, small for delocalized ones).</summary>
    static double[][] Fidelities(BlockLiouvillian op, BlockJump[] jumps, double[,][] Mj)
    {
        int nb = op.Length + 1;
        var fidelity = new double[nb][];
        for (int n = 0; n < nb; n++)
        {
            int d = op.Size[n];
            fidelity[n] = Enumerable.Repeat(1.0, d).ToArray();
            for (int j = 0; j < jumps.Length; j++)
            {
                var M = Mj[j, n];
                if (M is null) continue;
                int dm = M.Length / Math.Max(d, 1);
                for (int a = 0; a < d; a++)
                {
                    double sum = 0, max = 0;
                    for (int b = 0; b < dm; b++) { double w2 = M[b * d + a] * M[b * d + a]; sum += w2; max = Math.Max(max, w2); }
                    if (sum > 0.01 * jumps[j].Rate) fidelity[n][a] = Math.Min(fidelity[n][a], max / sum);
                }
            }
        }
        return fidelity;
    }

    /// <summary>The coherence pairs of the coarse space, per block (a, b) flattened, with their coarse offsets (after the
    /// NP populations, two unknowns per pair: x_ab = Re X_ab, y_ab = Im X_ab).</summary>
    sealed record ChosenPairs(int[][] Pairs, int[] Offset, double MaxGap, int Count, double Share, bool LimitedByMemory);

    /// <summary>
    /// Up to `coherences` pairs of eigenstates close in energy (within a block, at most <see cref="PairWindow"/> apart):
    /// <see cref="GapShare"/> chosen by the smallest gaps E_b − E_a, the rest by the smallest gap + (Γ_aa + Γ_bb)/2 (the
    /// smoother's denominator |w_a + conj w_b|), overlaps counted once; only pairs the jumps carry intact
    /// (<paramref name="minCarried"/>) are candidates. The budget: 2^L pairs, growing towards `coherences` with the share
    /// of pairs carried intact, full from a share of one half (localization: at L = 9 the share is 0.89 at h = 10 and
    /// 0.045 at h = 4; L = 10, seed 1: twice the pairs took 180 instead of 360 iterations at h = 10 but gained nothing
    /// at h = 4), and at most what a coarse dimension of <paramref name="maxCoarse"/> allows.
    /// </summary>
    static ChosenPairs ChoosePairs(PairCandidates pc, int L, int coherences, int NP, int maxCoarse, double minCarried)
    {
        int nb = L + 1;
        double share = pc.Share(0.5);
        int lo = Math.Min(coherences, 1 << L);
        coherences = (int)Math.Round(lo + (coherences - lo) * Math.Min(1, 2 * share));
        int affordable = (int)Math.Max(0, ((long)maxCoarse - NP) / 2);
        bool limited = coherences > affordable;
        coherences = Math.Min(coherences, affordable);
        var chosen = pc.Choose(minCarried, (int)Math.Round(GapShare * coherences), coherences);
        var pairs = new int[nb][];
        var pairOffset = new int[nb + 1];
        pairOffset[0] = NP;
        double maxGap = 0;
        var count = new int[nb];
        for (int k = 0; k < pc.Count; k++) if (chosen[k]) { count[pc.N[k]]++; maxGap = Math.Max(maxGap, pc.Gap[k]); }
        for (int n = 0; n < nb; n++) pairs[n] = new int[2 * count[n]];
        Array.Clear(count);
        for (int k = 0; k < pc.Count; k++)     // candidates are in (n, a, b) order
            if (chosen[k]) { int n = pc.N[k]; pairs[n][count[n]++] = pc.A[k]; pairs[n][count[n]++] = pc.B[k]; }
        for (int n = 0; n < nb; n++) pairOffset[n + 1] = pairOffset[n] + pairs[n].Length;     // 2 unknowns per pair
        return new ChosenPairs(pairs, pairOffset, maxGap, count.Sum() / 2, share, limited);
    }

    /// <summary>The Galerkin coarse operator (NC × NC, row-major): per block the decay and the −i[H, X] − {Γ, X}/2 of
    /// the chosen coherences in the eigenbasis of H_n, and the jumps' c X c+ between blocks (populations: the rate matrix
    /// sum_c |&lt;b|c|a&gt;|^2 − δ_ab &lt;a|Γ|a&gt;); row 0 replaced by the trace (coherences are traceless). Stored by
    /// sectors (<see cref="CoarseStorage"/>).</summary>
    static BlockTridiagonalMatrix CoarseMatrix(BlockLiouvillian op, double[][] E, double[][] u, BlockJump[] jumps, double[,][] Mj,
        int[] coarseOffset, int[][] pairs, int[] pairOffset)
    {
        var B = op.Model;
        int nb = op.Length + 1, NP = coarseOffset[nb], NC = pairOffset[nb];
        var A = CoarseStorage(coarseOffset, pairOffset);
        void Add(int row, int col, double v) => A.Add(row, col, v);
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
            for (int j = 0; j < jumps.Length; j++)
            {
                var M = Mj[j, n];
                if (M is null) continue;
                int m = jumps[j].To(n), dm = op.Size[m];
                for (int b = 0; b < dm; b++)
                    for (int a = 0; a < d; a++)
                        Add(coarseOffset[m] + b, coarseOffset[n] + a, M[b * d + a] * M[b * d + a]);
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
        var trace = new double[NC];
        for (int j = 0; j < NP; j++) trace[j] = 1;
        A.SetBorderRow(0, trace);   // row 0: trace (coherences are traceless)
        return A;
    }

    /// <summary>The coarse state sum_n U_n C_n U_n^T as planar blocks, C_n = diag(populations) plus the coherences
    /// C_ab = x + i y, C_ba = x − i y of the chosen pairs (blocks in parallel), in double precision whatever the
    /// transfers of the solve (the coarse steady state is the solve's start: at h = 20 and 40 its populations are
    /// nearly the answer, and rounded to single they cost the solve iterations).</summary>
    public void Prolong(double[] p, double[] re, double[] im, bool add) => Prolong(Precise, p, re, im, add);

    void Prolong(ICoarseTransfer t, double[] p, double[] re, double[] im, bool add) =>
        ForEachBlock(n => t.ProlongBlock(n, p, re, im, add));

    /// <summary>Coarse restriction: the populations (U_n^T Re(R_n) U_n)_aa and the coherences Re, Im (U_n^T R_n U_n)_ab
    /// of the chosen pairs (blocks in parallel; <see cref="CoarseTransfer{T}"/>).</summary>
    void Restrict(double[] re, double[] im, double[] c) =>
        ForEachBlock(n => transfer.RestrictBlock(n, re, im, c));

    /// <summary>Runs <paramref name="f"/> for every block, largest first, on <see cref="Threads"/> threads.</summary>
    void ForEachBlock(Action<int> f) => ForEachBlock(bySize, f);

    /// <summary>Runs <paramref name="f"/> for the given blocks (largest first) on <see cref="Threads"/> threads.</summary>
    void ForEachBlock(int[] blocks, Action<int> f)
    {
        if (Threads <= 1 || L < 4)
            foreach (int n in blocks) f(n);
        else
            Parallel.ForEach(blocks, new ParallelOptions { MaxDegreeOfParallelism = Threads }, f);
    }

    /// <summary>Solves K X + X K+ = R blockwise (planar in → planar out) with <see cref="SylvesterSmoother{T}"/>: every
    /// sector from R (<see cref="SectorSweep.Jacobi"/>), or (<see cref="SectorSweep.RedBlack"/>) the even sectors from R,
    /// then the odd sectors n from R_n − sum_c c X_m c+ over the jumps from the even neighbours m = n ± 1 just solved
    /// (in the scratch vectors of <see cref="Residual"/>, free until it runs). Within a colour the sectors are independent,
    /// one BLAS thread each.</summary>
    public void Smooth(double[] rR, double[] rI, double[] xR, double[] xI)
    {
        if (Sweep == SectorSweep.Jacobi) { ForEachBlock(bySize, n => smoother.SmoothBlock(n, rR, rI, xR, xI)); return; }
        ForEachBlock(even, n => smoother.SmoothBlock(n, rR, rI, xR, xI));
        foreach (int n in odd)
        {
            int o = op.Offset[n], dd = op.Size[n] * op.Size[n];
            Array.Copy(rR, o, lR, o, dd);
            Array.Copy(rI, o, lI, o, dd);
        }
        foreach (int m in even)
        {
            op.AddJumpsInto(m, m + 1, -1, xR, xI, lR, lI);
            op.AddJumpsInto(m, m - 1, -1, xR, xI, lR, lI);
        }
        ForEachBlock(odd, n => smoother.SmoothBlock(n, lR, lI, xR, xI));
    }

    /// <summary>"single" (mixed precision) or "double".</summary>
    public string SmootherPrecision => smoother.Precision;

    /// <summary>From now on the restriction and prolongation in double precision (allocating their workspace,
    /// <see cref="CoarseTransfer{T}.Workspace"/>, if they were single): for the iterative refinement's corrections and
    /// the error estimates, whose residuals are rounding noise in every mode; restricted in single precision, the noise
    /// of a block (u_f = 6e-8 of its norm) would be amplified by 1/rate in the slowest populations.</summary>
    public void UseDoubleTransfers() => transfer = Precise;

    /// <summary>The transfers in double precision (the solve's own when they are double; else made once, when first asked).</summary>
    ICoarseTransfer Precise => precise ??= transfer as CoarseTransfer<Real64>
        ?? new CoarseTransfer<Real64>(kernels, op.Size, op.Offset, op.Dimension, u, ut, coarseOffset, pairs, pairOffset);
    ICoarseTransfer? precise;

    /// <summary>Solves the coarse problem A_c delta = c (c[0] is replaced by 0: traceless correction).</summary>
    public void CoarseSolve(double[] c)
    {
        c[0] = 0;
        CoarseSolveTime.Start();
        coarse.Solve(c);
        CoarseSolveTime.Stop();
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
    public void CoarseCorrect(double[] rR, double[] rI, double[] zR, double[] zI)
    {
        var c = coarseBuffer;
        Restrict(rR, rI, c);
        CoarseSolve(c);
        Prolong(transfer, c, zR, zI, add: true);
    }

    /// <summary>z = M^{-1} r on planar blocks: smoother, then coarse correction of the new residual, then (with
    /// <see cref="PostSmoothing"/>) the smoother on the residual left, into the restriction's scratch vectors t.</summary>
    public void ApplyPlanar(double[] rR, double[] rI, double[] zR, double[] zI)
    {
        Applications++;
        SmootherTime.Start();
        Smooth(rR, rI, zR, zI);
        SmootherTime.Stop();
        Residual(rR, rI, zR, zI);
        CoarseTime.Start();
        CoarseCorrect(r2R, r2I, zR, zI);
        CoarseTime.Stop();
        if (!PostSmoothing) return;
        Residual(rR, rI, zR, zI);
        SmootherTime.Start();
        Smooth(r2R, r2I, tR, tI);
        SmootherTime.Stop();
        for (int k = 0; k < tR.Length; k++) { zR[k] += tR[k]; zI[k] += tI[k]; }
    }

    /// <summary>r2 = r − L z (planar), the Liouvillian application timed in <see cref="MatvecTime"/>.</summary>
    void Residual(double[] rR, double[] rI, double[] zR, double[] zI)
    {
        MatvecTime.Start();
        op.Apply(zR, zI, lR, lI);
        MatvecTime.Stop();
        for (int k = 0; k < r2R.Length; k++) { r2R[k] = rR[k] - lR[k]; r2I[k] = rI[k] - lI[k]; }
    }
}
