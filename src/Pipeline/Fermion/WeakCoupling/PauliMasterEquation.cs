using System.Collections.Immutable;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using LanguageExt;
using Ness.Numerics.Dense;
using Ness.Numerics.Markov;
using Ness.Operators.Fermion;

namespace Ness.Pipeline.Fermion.WeakCoupling;

/// <summary>
/// The fermion chain in the weak-coupling limit (all four rates of eq. (3.8) scaled by eps → 0): the NESS tends to
/// sum_n p_n |n&gt;&lt;n| over the eigenstates of H_F, p the stationary law of the Pauli generator
/// W[m, n] = sum_j g_j |&lt;m|c_j|n&gt;|^2, c_j = a+_1, a_1, a+_L, a_L with rates g1p, g1m, gLp, gLm.
/// Sector by sector (H_F conserves N; the jumps change N by one, so W is block tridiagonal in N): diagonalize
/// sector N + 1 (<see cref="Sector"/>), form the rates between N and N + 1 (<see cref="JumpRates"/>), eliminate
/// sector N (<see cref="LevelGth"/>: blocked, subtraction-free GTH); then back substitution gives every p_n with a
/// small relative error. Only two sectors' eigenvectors and rates are alive at a time.
/// </summary>
public static class PauliMasterEquation
{
    public const string Method = "pauli: sector eigenstates (dsyevd), Pauli rates by gemm, blocked GTH elimination";

    /// <summary>Largest profile error estimate accepted (as the Krylov solver's gate).</summary>
    public const double MaxProfileError = 1e-6;

    /// <summary>Estimated peak memory (bytes) of <see cref="Solve"/> at length L. Two eliminations run side by side
    /// (the rates and the perturbed rates of the certificate), so twice: the stored Z_N of the sectors below, the
    /// eliminated n×n blocks, the n×m rate blocks and the next m×m blocks (n = C(L, N), m = C(L, N+1),
    /// r = C(L−1, N)); once: the eigenvectors of N and N + 1, dsyevd's matrix and 2 m^2 workspace, the gathered m×r
    /// operand. With two or more threads sector N + 2 (k = C(L, N+2)) is diagonalized beside the rates and the
    /// elimination of step N (3 k^2 more) wherever that fits in <paramref name="cap"/>; at the steps where it does
    /// not, sector N + 2 is diagonalized in turn (<see cref="AheadFits"/>). With <paramref name="spill"/> the Z_N go to
    /// a file (<see cref="SpillStore"/>). Plus 15 % for the collector and 150 MB for the runtime.</summary>
    public static double MemoryEstimate(int L, int threads = 1, bool spill = false, double cap = double.PositiveInfinity)
    {
        double peak = 0;
        for (int N = 0; N < L; N++)
        {
            var (inTurn, ahead) = Step(L, N, spill);
            peak = Math.Max(peak, threads >= 2 && ahead <= cap ? ahead : inTurn);
        }
        return peak;
    }

    /// <summary>The estimate as the solver will run: in memory when that fits <paramref name="cap"/>, else with the
    /// Z_N spilled to a file when <paramref name="canSpill"/> (a directory is given).</summary>
    public static (double Bytes, bool Spill) Footprint(int L, int threads, double cap, bool canSpill)
    {
        double inMemory = MemoryEstimate(L, threads, false, cap);
        return inMemory <= cap || !canSpill ? (inMemory, false) : (MemoryEstimate(L, threads, true, cap), true);
    }

    /// <summary>Whether step N of the sweep may diagonalize sector N + 2 beside its rates and elimination within
    /// <paramref name="cap"/> bytes (else the sector is diagonalized in turn at the next step, with all threads).</summary>
    public static bool AheadFits(int L, int N, bool spill, double cap) => Step(L, N, spill).Ahead <= cap;

    /// <summary>Peak bytes of step N: in turn (one stage at a time) and with sector N + 2 diagonalized beside it.</summary>
    static (double InTurn, double Ahead) Step(int L, int N, bool spill)
    {
        double stored = 0;
        for (int M = 0; M < N; M++) stored += (double)Binomial(L, M) * Binomial(L, M + 1);
        double n = Binomial(L, N), m = Binomial(L, N + 1), r = Binomial(L - 1, N), k = Binomial(L, N + 2);
        double diag = 3 * n * n + 3 * m * m;
        double rates = 3 * n * n + m * m + 4 * n * m + m * r;
        double elim = 2 * n * n + 4 * n * m + 3 * m * m;
        double z = spill ? 0 : 2 * stored;
        static double Bytes(double words) => 8 * words * 1.15 + 150e6;
        return (Bytes(z + Math.Max(diag, Math.Max(rates, elim))), Bytes(z + Math.Max(rates, elim) + 3 * k * k));
    }

    /// <summary>The largest L whose estimate (one stream, spilled when allowed) fits in <paramref name="cap"/> bytes, 0 if none.</summary>
    public static int LargestLength(double cap, bool spill)
    {
        int L = 0;
        while (L < WeakCouplingSolver.MaxLength && MemoryEstimate(L + 1, 1, spill) <= cap) L++;
        return L;
    }

    public static long Binomial(int n, int k)
    {
        if (k < 0 || k > n) return 0;
        long c = 1;
        for (int i = 1; i <= k; i++) c = c * (n - k + i) / i;
        return c;
    }

    /// <summary>The stationary law and its observables; refuses when the memory estimate exceeds the cap, when the
    /// chain is reducible (a state with no way out), and never prints beyond the certificate (see
    /// <see cref="PauliState"/>).</summary>
    public static Fin<PauliState> Solve(FermionParameters p, PauliOptions o)
    {
        int L = p.Length;
        if (p.Hopping == 0 && L >= 2)
            return new SteadyStateNotUnique("--hopping 0: the sites do not exchange particles, each keeps its own population");
        double cap = MemoryBudget.Of(o.MemoryLimitBytes);
        var (need, spill) = Footprint(L, o.Threads, cap, o.SpillDirectory != null);
        if (need > cap)
        {
            int fit = LargestLength(cap, o.SpillDirectory != null);
            return new NumericsRefused($"--length {L} --weak-coupling: the Pauli solver would need about {MemoryBudget.GB(need)} " +
                $"(sector {L / 2}: {Binomial(L, L / 2)} states, dense rate blocks), more than the {MemoryBudget.GB(cap)} " +
                $"ness plans to use; " + (fit >= 1 ? $"the largest L that fits is {fit} (--length {fit})" : "no length fits"));
        }
        var g = p.Rates;
        if (g.G1p + g.GLp == 0) return Frozen(p, 0);
        var sw = Stopwatch.StartNew();
        SpillStore? s1 = null, s2 = null;
        try
        {
            if (spill) { s1 = new SpillStore(o.SpillDirectory!); s2 = new SpillStore(o.SpillDirectory!); }
            return Sweep(p, o, sw, s1, s2, cap);
        }
        catch (IOException e)
        {
            return new IoFailure($"--weak-coupling: the temporary file for the elimination blocks in {o.SpillDirectory} failed: {e.Message}");
        }
        finally
        {
            NativeBlas.SetThreads(1);
            s1?.Dispose();
            s2?.Dispose();
        }
    }

    /// <summary>Without injection (g1p = gLp = 0) the empty chain is absorbing: p = vacuum.</summary>
    static Fin<PauliState> Frozen(FermionParameters p, int N)
    {
        int L = p.Length;
        var n = new double[L];
        var vac = new double[L];
        for (int x = 0; x < L; x++) vac[x] = 1;
        return new PauliState(p, [.. n], [.. vac], 0, double.PositiveInfinity, double.PositiveInfinity, 1 << L,
            new Dictionary<string, double> { ["seconds"] = 0 });
    }

    /// <summary>One diagonalized sector with what the certificate and the profile keep of it.</summary>
    sealed record Diagonal(Sector Sector, double[][] Occupation, double[][] Vacancy, double Seconds);

    static Diagonal Diagonalize(FockBasis basis, int N, FermionParameters p, bool managed)
    {
        var t0 = Stopwatch.GetTimestamp();
        var s = Sector.Diagonalize(basis, N, p, managed);
        var (occ, vac) = s.Occupations();
        return new Diagonal(s, occ, vac, Stopwatch.GetElapsedTime(t0).TotalSeconds);
    }

    /// <summary>
    /// The sweep N = 0 .. L − 1: rates between N and N + 1, elimination of N. With two or more threads the
    /// diagonalization of sector N + 2 runs beside it (two single-threaded streams use two cores better than one
    /// dsyevd on two threads, whose tridiagonal reduction is bound by memory bandwidth); with one thread in turn.
    /// </summary>
    static Fin<PauliState> Sweep(FermionParameters p, PauliOptions o, Stopwatch sw, ILevelStore? z1, ILevelStore? z2, double cap)
    {
        int L = p.Length;
        var basis = FockBasis.Create(L);
        var report = o.Progress ?? (_ => { });
        bool pipeline = o.Threads >= 2;
        NativeBlas.SetThreads(pipeline ? 1 : o.Threads);
        var occ = new double[L + 1][][];
        var vac = new double[L + 1][][];
        var tallies = new JumpRates.Tallies[L + 1];
        var eta = new double[L + 1][];
        var energies = new double[L + 1][];
        double tEig = 0, tRates = 0, tElim = 0;

        Sector Keep(Diagonal d)
        {
            int N = d.Sector.N;
            (occ[N], vac[N]) = (d.Occupation, d.Vacancy);
            eta[N] = d.Sector.VectorError;
            energies[N] = d.Sector.Energies;
            tallies[N] = new JumpRates.Tallies(d.Sector.Size);
            tEig += d.Seconds;
            Collect(d.Sector.Size);
            report(new PauliProgress("diagonalized", N, L + 1, d.Sector.Size, sw.Elapsed));
            return d.Sector;
        }

        // sector k from the look-ahead or diagonalized now; in its own frame, so that no hidden temporary of the sweep
        // keeps the finished Diagonal (and its eigenvectors) alive into the next step
        [MethodImpl(MethodImplOptions.NoInlining)]
        Sector Next(Task<Diagonal>? ahead, int k) => Keep(ahead?.GetAwaiter().GetResult() ?? InTurn(basis, k, p, o, pipeline));

        var cur = Keep(Diagonalize(basis, 0, p, o.ManagedEigensolver));
        Task<Diagonal>? ahead = null;
        var gth = LevelGth.Create(1, store: z1);
        var gthP = LevelGth.Create(1, store: z2);
        for (int N = 0; N < L; N++)
        {
            var next = Next(ahead, N + 1);
            ahead = null;
            if (pipeline && N + 2 <= L && AheadFits(L, N, z1 != null, cap))
            {
                int k = N + 2;
                ahead = Task.Run(() => Diagonalize(basis, k, p, o.ManagedEigensolver));
            }
            var t0 = Stopwatch.GetTimestamp();
            var blocks = RateBlocks.Between(basis, cur, next, p.Rates, tallies[N], tallies[N + 1]);
            tRates += Stopwatch.GetElapsedTime(t0).TotalSeconds;
            int size = cur.Size;
            cur = next;
            next = null!;
            Collect(size);
            t0 = Stopwatch.GetTimestamp();
            int? bad = blocks.Eliminate(cur.Size, gth, gthP, pipeline, size);
            blocks = null!;
            if (bad is int b)
            {
                ahead?.Wait();
                return new SteadyStateNotUnique($"eigenstate {b} of sector N = {N} has no transition to the sectors above " +
                    "(the Pauli chain is reducible)");
            }
            tElim += Stopwatch.GetElapsedTime(t0).TotalSeconds;
            Collect(size);
            report(new PauliProgress("eliminated", N, L + 1, size, sw.Elapsed));
        }
        cur = null!;
        var t1 = Stopwatch.GetTimestamp();
        var (law, zero) = gth.Finish();
        var (lawP, zeroP) = gthP.Finish();
        tElim += Stopwatch.GetElapsedTime(t1).TotalSeconds;
        if (law is null || lawP is null)
            return new SteadyStateNotUnique($"eigenstate {zero ?? zeroP} of sector N = {L} has no transition out (the Pauli chain is reducible)");
        return Observe(p, law, lawP, occ, vac, tallies, eta, energies, new Dictionary<string, double>
        {
            ["seconds_eigen"] = tEig, ["seconds_rates"] = tRates, ["seconds_elimination"] = tElim,
            ["seconds"] = sw.Elapsed.TotalSeconds, ["states"] = 1L << L, ["threads"] = o.Threads, ["spilled"] = z1 != null ? 1 : 0,
        });
    }

    /// <summary>A sector diagonalized while nothing else runs: in the pipelined sweep (where the step before could not
    /// afford to diagonalize it ahead) on all the threads, then back to one thread per stream.</summary>
    static Diagonal InTurn(FockBasis basis, int N, FermionParameters p, PauliOptions o, bool pipeline)
    {
        if (!pipeline || N == 0) return Diagonalize(basis, N, p, o.ManagedEigensolver);
        NativeBlas.SetThreads(o.Threads);
        try { return Diagonalize(basis, N, p, o.ManagedEigensolver); }
        finally { NativeBlas.SetThreads(1); }
    }

    /// <summary>
    /// The rate blocks of one step (up, down and the certificate's perturbed pair), held only here: each elimination
    /// drops its pair as soon as it is done. Kept out of the sweep's frame on purpose: a tuple of the four blocks there
    /// is a hidden temporary that the collector treats as live until the next step overwrites it (L = 16: two 1.2 GB
    /// blocks of step 8 were still resident after its elimination).
    /// </summary>
    sealed class RateBlocks
    {
        double[]? up, down, upP, downP;

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static RateBlocks Between(FockBasis basis, Sector lo, Sector hi, Rates g, JumpRates.Tallies tLo, JumpRates.Tallies tHi)
        {
            var (up, down, upP, downP) = JumpRates.Between(basis, lo, hi, g, tLo, tHi, perturbed: true);
            return new RateBlocks { up = up, down = down, upP = upP, downP = downP };
        }

        /// <summary>Eliminates the level with both chains: side by side when <paramref name="pipeline"/> (the two are
        /// independent and each deterministic, so the result is the same as in turn: with sector N + 2 diagonalized
        /// beside them, three single-threaded streams keep both cores busy), else one after the other. Returns the
        /// first zero pivot, if any.</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        public int? Eliminate(int m, LevelGth gth, LevelGth gthP, bool pipeline, int size)
        {
            if (pipeline)
            {
                var perturbed = Task.Run(() =>
                {
                    int? r = gthP.Eliminate(m, upP!, downP!);
                    upP = downP = null;
                    return r;
                });
                int? bad = gth.Eliminate(m, up!, down!);
                up = down = null;
                int? badP = perturbed.GetAwaiter().GetResult();
                return bad ?? badP;
            }
            int? first = gth.Eliminate(m, up!, down!);
            up = down = null;
            Collect(size);
            first ??= gthP.Eliminate(m, upP!, downP!);
            upP = downP = null;
            return first;
        }
    }

    /// <summary>Returns the large blocks of the previous stage to the operating system before the next stage allocates
    /// its own (<see cref="MemoryBudget.Release"/>; the resident set would otherwise grow to their sum).</summary>
    static void Collect(int size)
    {
        if (size >= 1000) MemoryBudget.Release();
    }

    /// <summary>The perturbation response counts this many times in the profile error estimate (one random-sign
    /// direction gives the typical size of the error, not its worst case).</summary>
    public const double PerturbationSafety = 3;

    static (double[] N, double[] Vacancy) Profile(int L, LevelLaw law, double[][][] occ, double[][][] vac)
    {
        var n = new double[L];
        var v = new double[L];
        for (int N = 0; N <= L; N++)
        {
            double w = Math.Exp(law.LogWeight[N]);
            var q = law.Levels[N];
            for (int x = 0; x < L; x++)
            {
                double s = 0, t = 0;
                for (int a = 0; a < q.Length; a++) { s += q[a] * occ[N][x][a]; t += q[a] * vac[N][x][a]; }
                n[x] += w * s;
                v[x] += w * t;
            }
        }
        return (n, v);
    }

    /// <summary>
    /// n_x = sum_n p_n &lt;n|n_x|n&gt; and the certificate's numbers. Profile error estimate: the larger of
    /// (1) <see cref="PerturbationSafety"/> times the response of the profile to moving every matrix element
    /// &lt;t|c|i&gt; by its error bound dM = eta_i + eta_t + sqrt(r) u with a pseudo-random sign (a second elimination
    /// with those rates: this catches the tiny elements, (J/2h)^d for an l-bit d sites from the baths, whose relative
    /// error dM/|M| decides the occupation of that l-bit) and (2) the local first-order bound
    /// sum_a p_a (eps_a |&lt;a|n_x|a&gt; − n_x| + 2 eta_a), eps_a = 2 dOut_a / Out_a (the error bound of the total rate
    /// out of a, <see cref="JumpRates"/>). The limit's range: eps* = min over consecutive
    /// eigenstates a, a+1 of a sector of |E_a+1 − E_a| / K_a (K_a: their coupling through common jump partners);
    /// the Pauli limit describes the chain at rates × eps for eps ≪ eps*.
    /// </summary>
    static Fin<PauliState> Observe(FermionParameters p, LevelLaw law, LevelLaw lawP, double[][][] occ, double[][][] vac,
        JumpRates.Tallies[] tallies, double[][] eta, double[][] energies, Dictionary<string, double> stats)
    {
        int L = p.Length;
        var (n, v) = Profile(L, law, occ, vac);
        var (nP, _) = Profile(L, lawP, occ, vac);
        double perturbation = 0;
        for (int x = 0; x < L; x++) perturbation = Math.Max(perturbation, Math.Abs(n[x] - nP[x]));
        double err = 0, limit = double.PositiveInfinity, minGap = double.PositiveInfinity, maxEta = 0;
        var errX = new double[L];
        for (int N = 0; N <= L; N++)
        {
            double w = Math.Exp(law.LogWeight[N]);
            var q = law.Levels[N];
            var T = tallies[N];
            for (int a = 0; a < q.Length; a++)
            {
                double pa = w * q[a];
                double rel = T.Out[a] > 0 ? Math.Min(1, 2 * T.OutError[a] / T.Out[a]) : 1;
                for (int x = 0; x < L; x++) errX[x] += pa * (rel * Math.Abs(occ[N][x][a] - n[x]) + Math.Min(1, 2 * eta[N][a]));
                maxEta = Math.Max(maxEta, eta[N][a]);
            }
            var E = energies[N];
            for (int a = 0; a + 1 < E.Length; a++)
            {
                double gap = E[a + 1] - E[a];
                minGap = Math.Min(minGap, gap);
                if (T.PairCoupling[a] > 0) limit = Math.Min(limit, gap / T.PairCoupling[a]);
            }
        }
        foreach (var e in errX) err = Math.Max(err, e);
        stats["max_eigenvector_error"] = maxEta;
        stats["local_error_estimate"] = err;
        stats["perturbation_response"] = perturbation;
        err = Math.Max(err, PerturbationSafety * perturbation);
        return new PauliState(p, [.. n], [.. v], err, limit, minGap, 1L << L, stats) { Law = law };
    }
}

/// <summary>
/// The weak-coupling NESS of the fermion chain: <see cref="Profile"/>[x−1] = n_x, <see cref="Vacancy"/>[x−1] =
/// 1 − n_x summed directly (for the currents), <see cref="ProfileErrorEstimate"/> (max over x of the first-order bound of
/// <see cref="PauliMasterEquation"/>), <see cref="LimitEps"/> = eps* (the limit holds at rates × eps for eps ≪ eps*),
/// <see cref="MinGap"/> the smallest gap between eigenvalues of a sector, <see cref="States"/> = 2^L.
/// </summary>
public sealed record PauliState(
    FermionParameters Parameters, ImmutableArray<double> Profile, ImmutableArray<double> Vacancy, double ProfileErrorEstimate,
    double LimitEps, double MinGap, long States, IReadOnlyDictionary<string, double> Statistics)
{
    /// <summary>The stationary law by sector: Law.Levels[N][a] (sector N normalized) for eigenstate a of
    /// sector N in ascending energy; null for the frozen chain without injection.</summary>
    public LevelLaw? Law { get; init; }

    /// <summary>Current per unit coupling J/eps through bath 1, g1p (1 − n_1) − g1m n_1 (injected at site 1), and through
    /// bath L, −(gLp (1 − n_L) − gLm n_L) (extracted at site L); equal in exact arithmetic.</summary>
    public (double Left, double Right) Current
    {
        get
        {
            var g = Parameters.Rates;
            int L = Parameters.Length;
            return (g.G1p * Vacancy[0] - g.G1m * Profile[0], -(g.GLp * Vacancy[L - 1] - g.GLm * Profile[L - 1]));
        }
    }

    /// <summary>Bound on the current's error: each boundary flux g (1 − n) and g n moves by at most g times the
    /// profile error, so |dJ| &lt;= (g1p + g1m) ProfileErrorEstimate (plus the rounding of the two sums).</summary>
    public double CurrentErrorEstimate
    {
        get
        {
            var g = Parameters.Rates;
            return (g.G1p + g.G1m) * ProfileErrorEstimate + 4 * Sector.Unit * (g.G1p * Vacancy[0] + g.G1m * Profile[0]);
        }
    }
}
