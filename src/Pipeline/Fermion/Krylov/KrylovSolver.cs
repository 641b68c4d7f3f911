using System.Diagnostics;
using System.Numerics;
using SVec = System.Numerics.Vector;
using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Ness.Operators.Fermion;

namespace Ness.Pipeline.Fermion.Krylov;

/// <summary>
/// The steady state by matrix-free, preconditioned, restarted GMRES on the q = 0 sector (docs/numerics.md):
/// unknowns are the Hermitian blocks rho_n in packed real form (<see cref="BlockLiouvillian"/>), the start
/// is the coarse steady state rho0, and GMRES solves L(delta) = −L(rho0) with the right preconditioner
/// <see cref="TwoLevelPreconditioner"/>. Every restart recomputes the TRUE residual ||L(rho0 + delta)||_F
/// from the state, and only that residual decides convergence. Non-convergence is refused (exit 3) with
/// what was reached.
/// Environment knobs for experiments and benchmarks (none needed in normal use): NESS_KRYLOV_TOL,
/// NESS_KRYLOV_RESTART, NESS_KRYLOV_AUGMENT override the options; NESS_KRYLOV_TRACE=1 prints the true
/// residual at every restart to stderr; NESS_KRYLOV_VARIANT=sym uses the coarse–smoother–coarse cycle
/// (measured: same iterations, more time); NESS_THREADS (smoother threads over blocks), NESS_BLAS=managed
/// and NESS_BLAS_THREADS select the dense kernels.
/// </summary>
public static class KrylovSolver
{
    /// <summary>Estimated peak memory in bytes: flexible Krylov basis (2m + 1 packed vectors of dimension D), about
    /// 16 full planar work vectors, K and H eigen-data (10 + 2 arrays of sum d_n^2 doubles, plus MathNet
    /// copies during setup), the dense coarse LU (2^L)^2 twice, and the certificate's dense complex blocks.</summary>
    public static double MemoryEstimate(int L, int restart)
    {
        double D = 0, maxd = 0;
        for (int n = 0; n <= L; n++) { double d = Binomial(L, n); D += d * d; maxd = Math.Max(maxd, d); }
        double NC = Math.Pow(2, L);
        return 1.3 * (8 * D * (2 * restart + 1 + 4) + 8 * D * 16 + 8 * D * 12 + 16 * D * 4 + 2 * 8 * NC * NC + 64 * maxd * maxd) + 100e6;   // 1.3: GC slack (measured: L = 10 estimate 0.36 GB, peak RSS 0.38 GB)
    }

    static double Binomial(int n, int k)
    {
        double r = 1;
        for (int i = 1; i <= k; i++) r = r * (n - k + i) / i;
        return Math.Round(r);
    }

    public static Fin<FermionState> Solve(FermionParameters p)
    {
        var o = p.KrylovOptions ?? KrylovOptions.Default;
        if (double.TryParse(Environment.GetEnvironmentVariable("NESS_KRYLOV_TOL"), System.Globalization.CultureInfo.InvariantCulture, out var tolOverride))
            o = o with { Tolerance = tolOverride };
        if (int.TryParse(Environment.GetEnvironmentVariable("NESS_KRYLOV_RESTART"), out var restartOverride) && restartOverride > 0)
            o = o with { Restart = restartOverride };
        if (int.TryParse(Environment.GetEnvironmentVariable("NESS_KRYLOV_AUGMENT"), out var augOverride) && augOverride >= 0)
            o = o with { Augment = augOverride };
        var sw = Stopwatch.StartNew();
        double need = MemoryEstimate(p.Length, o.Restart);
        double avail = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (need > o.MemoryFraction * avail)
            return new NumericsRefused(
                $"--length {p.Length}: the krylov solver would need about {need / 1e9:F1} GB " +
                $"(restart {o.Restart}) but {avail / 1e9:F1} GB are available; use a smaller --length");

        var B = SectorBlocks.Create(p.Length, p.Hopping, p.Interaction, p.Fields.AsSpan(), p.Rates.ToArray());
        var op = new BlockLiouvillian(B);
        int D = op.Dimension;
        TwoLevelPreconditioner M;
        try { M = new TwoLevelPreconditioner(op) { PreCoarse = Environment.GetEnvironmentVariable("NESS_KRYLOV_VARIANT") == "sym" }; }
        catch (InvalidOperationException e) when (e.Message.Contains("singular"))
        {
            // the rate matrix of the populations has more than one stationary state: so does the Liouvillian
            return new NumericsRefused(
                "the steady state is not unique (the populations' rate matrix is singular); this happens when part " +
                "of the chain is decoupled from the baths, e.g. --hopping 0");
        }
        double setup = sw.Elapsed.TotalSeconds;

        // ||L||_est as in the certificate: 2 max_n ||K_n||_F + sum of rates
        double kNorm = 0;
        for (int n = 0; n <= B.Length; n++)
        {
            double s = 0;
            int d = op.Size[n];
            for (int i = 0; i < d; i++)
                for (int j = 0; j < d; j++)
                {
                    double h = B.H[n][i, j], g = i == j ? 0.5 * B.Gamma[n][i] : 0;
                    s += h * h + g * g;
                }
            kNorm = Math.Max(kNorm, Math.Sqrt(s));
        }
        double lNorm = 2 * kNorm + B.Jumps.Sum(c => c.Rate);

        // planar work vectors
        var xR = new double[D]; var xI = new double[D];
        var yR = new double[D]; var yI = new double[D];
        var zR = new double[D]; var zI = new double[D];
        long matvecs = 0;

        // rho0 = coarse steady state
        var rho0R = new double[D]; var rho0I = new double[D];
        M.Prolong(M.CoarseSteadyState, rho0R, rho0I, add: false);
        var rho0 = new double[D];
        op.Pack(rho0R, rho0I, rho0);

        int m = Math.Max(1, o.Restart);
        int augment = Math.Clamp(o.Augment, 0, m - 1);
        var aug = new List<double[]>();   // latest first
        var V = new double[m + 1][];
        for (int i = 0; i <= m; i++) V[i] = new double[D];
        var Hh = new double[m + 1, m];
        var cs = new double[m]; var sn = new double[m]; var g0 = new double[m + 1];
        var delta = new double[D];
        var r = new double[D];
        var w = new double[D];

        // flexible GMRES: Z[j] = M(V[j]) is kept, w = L(Z[j]); the update uses Z exactly
        var Z = new double[m][];
        for (int i = 0; i < m; i++) Z[i] = new double[D];
        void PrecondOp(double[] v, double[] z, double[] result)
        {
            op.Unpack(v, xR, xI);
            M.Apply(xR, xI, zR, zI);
            matvecs++;                       // inside the multiplicative preconditioner
            op.Pack(zR, zI, z);
            op.Unpack(z, zR, zI);            // the Hermitian part, exactly as stored
            op.Apply(zR, zI, yR, yI);
            matvecs++;
            op.Pack(yR, yI, result);
        }

        // true residual r = −L(rho0 + delta); returns (||r||, ||rho||)
        (double Res, double RhoNorm) TrueResidual()
        {
            for (int k = 0; k < D; k++) w[k] = rho0[k] + delta[k];
            op.Unpack(w, xR, xI);
            op.Apply(xR, xI, yR, yI);
            matvecs++;
            op.Pack(yR, yI, r);
            double rn = 0, xn = 0;
            for (int k = 0; k < D; k++) { r[k] = -r[k]; rn += r[k] * r[k]; xn += w[k] * w[k]; }
            return (Math.Sqrt(rn), Math.Sqrt(xn));
        }

        int iterations = 0, restarts = 0, stall = 0, growths = 0;
        bool augCleared = false;
        double lastCurrentError = double.NaN;
        var history = new List<double>();
        double rel, best = double.PositiveInfinity;
        string outcome;
        while (true)
        {
            var (res, rhoNorm) = TrueResidual();
            rel = res / (lNorm * rhoNorm);
            history.Add(rel);
            if (Environment.GetEnvironmentVariable("NESS_KRYLOV_TRACE") == "1")
                Console.Error.WriteLine($"krylov: restart {restarts} iterations {iterations} true relative residual {rel:E3} abs {res:E3} ({sw.Elapsed.TotalSeconds:F1} s)");
            var (defect, current) = ContinuityDefect(B, op, yR, xR, xI);
            double currentError = defect / Math.Max(Math.Abs(current), double.Epsilon);
            lastCurrentError = currentError;
            if (rel <= o.Tolerance) { outcome = "converged"; break; }
            if (rel <= o.CurrentCheckTolerance && currentError <= o.CurrentTolerance) { outcome = "converged"; break; }
            if (rel < 0.9 * best) stall = 0; else stall++;
            best = Math.Min(best, rel);
            if (stall >= 2 && aug.Count > 0 && !augCleared)
            {
                // stagnation with augmentation: drop the stored corrections once and go on with plain cycles
                aug.Clear();
                augCleared = true;
                stall = 0;
            }
            if (stall >= 3 && 2 * m <= o.MaxRestart && MemoryEstimate(p.Length, 2 * m) <= o.MemoryFraction * avail)
            {
                // restarted GMRES stagnates when a slow mode needs more directions than one cycle holds
                // (seen at h = 10 for about 1 % of the disorder draws): double the cycle and go on from here
                m *= 2;
                V = new double[m + 1][];
                for (int i = 0; i <= m; i++) V[i] = new double[D];
                Z = new double[m][];
                for (int i = 0; i < m; i++) Z[i] = new double[D];
                Hh = new double[m + 1, m];
                cs = new double[m]; sn = new double[m]; g0 = new double[m + 1];
                need = Math.Max(need, MemoryEstimate(p.Length, m));
                growths++;
                stall = 0;
            }
            if (stall >= 3)
            {
                outcome = rel <= o.AcceptTolerance ? "stagnated" : "failed";
                break;
            }
            if (iterations >= o.MaxIterations) { outcome = "failed"; break; }

            // one GMRES cycle
            restarts++;
            double beta = res;
            for (int k = 0; k < D; k++) V[0][k] = r[k] / beta;
            Array.Clear(g0);
            g0[0] = beta;
            double target = 0.3 * o.Tolerance * lNorm * rhoNorm;
            int j = 0;
            for (; j < m && iterations < o.MaxIterations; j++)
            {
                if (j >= m - aug.Count)
                {
                    // loose GMRES: the last directions of a cycle are the corrections of earlier cycles
                    Array.Copy(aug[j - (m - aug.Count)], Z[j], D);
                    op.Unpack(Z[j], zR, zI);
                    op.Apply(zR, zI, yR, yI);
                    matvecs++;
                    op.Pack(yR, yI, V[j + 1]);
                }
                else PrecondOp(V[j], Z[j], V[j + 1]);
                iterations++;
                var vj1 = V[j + 1];
                // modified Gram–Schmidt
                for (int i = 0; i <= j; i++)
                {
                    double h = Dot(V[i], vj1);
                    Hh[i, j] = h;
                    Axpy(-h, V[i], vj1);
                }
                double hn = Math.Sqrt(Dot(vj1, vj1));
                Hh[j + 1, j] = hn;
                if (hn > 0) Scale(1 / hn, vj1);
                for (int i = 0; i < j; i++)
                {
                    double t = cs[i] * Hh[i, j] + sn[i] * Hh[i + 1, j];
                    Hh[i + 1, j] = -sn[i] * Hh[i, j] + cs[i] * Hh[i + 1, j];
                    Hh[i, j] = t;
                }
                double den = Math.Sqrt(Hh[j, j] * Hh[j, j] + hn * hn);
                cs[j] = den == 0 ? 1 : Hh[j, j] / den;
                sn[j] = den == 0 ? 0 : hn / den;
                Hh[j, j] = den;
                Hh[j + 1, j] = 0;
                g0[j + 1] = -sn[j] * g0[j];
                g0[j] = cs[j] * g0[j];
                if (Math.Abs(g0[j + 1]) <= target || hn == 0) { j++; break; }
            }
            // y = H^{-1} g ; delta += Z y
            var y = new double[j];
            for (int i = j - 1; i >= 0; i--)
            {
                double s = g0[i];
                for (int k = i + 1; k < j; k++) s -= Hh[i, k] * y[k];
                y[i] = Hh[i, i] == 0 ? 0 : s / Hh[i, i];
            }
            var corr = aug.Count == augment && augment > 0 ? aug[^1] : new double[D];
            if (aug.Count == augment && augment > 0) aug.RemoveAt(aug.Count - 1);
            Array.Clear(corr);
            for (int i = 0; i < j; i++) Axpy(y[i], Z[i], corr);
            Axpy(1, corr, delta);
            if (augment > 0 && !augCleared)
            {
                double cn = Math.Sqrt(Dot(corr, corr));
                if (cn > 0) { Scale(1 / cn, corr); aug.Insert(0, corr); }
            }
        }

        double seconds = sw.Elapsed.TotalSeconds;
        var stats = new Dictionary<string, double>
        {
            ["iterations"] = iterations,
            ["restarts"] = restarts,
            ["matvecs"] = matvecs,
            ["preconditioner_applications"] = M.Applications,
            ["krylov_residual"] = rel,
            ["krylov_tolerance"] = o.Tolerance,
            ["continuity_defect_relative"] = lastCurrentError,
            ["krylov_restart"] = m,
            ["krylov_restart_growths"] = growths,
            ["krylov_augment"] = augment,
            ["krylov_setup_seconds"] = setup,
            ["smoother_seconds"] = M.SmootherTime.Elapsed.TotalSeconds,
            ["coarse_seconds"] = M.CoarseTime.Elapsed.TotalSeconds,
            ["inner_matvec_seconds"] = M.MatvecTime.Elapsed.TotalSeconds,
            ["coarse_dimension"] = M.CoarseDimension,
            ["k_eigenvector_condition"] = M.EigenvectorCondition,
            ["memory_estimate_bytes"] = need,
            ["peak_working_set_bytes"] = Process.GetCurrentProcess().PeakWorkingSet64,
            ["blas_openblas"] = DenseKernels.Backend == "openblas" ? 1 : 0,
            ["stagnated"] = outcome == "stagnated" ? 1 : 0,
        };
        if (outcome == "failed")
            return new NumericsRefused(
                $"krylov solver did not converge: after {iterations} iterations ({matvecs} matvecs, {restarts} restarts, " +
                $"{seconds:F1} s) the true relative residual is {rel:E2} (target {o.Tolerance:E0}, accept {o.AcceptTolerance:E0})");

        for (int k = 0; k < D; k++) w[k] = rho0[k] + delta[k];
        op.Unpack(w, xR, xI);
        var raw = new Matrix<Complex>[B.Length + 1];
        for (int n = 0; n <= B.Length; n++)
        {
            int d = op.Size[n], off = op.Offset[n];
            raw[n] = Matrix<Complex>.Build.Dense(d, d, (i, jj) => new Complex(xR[off + i * d + jj], xI[off + i * d + jj]));
        }
        var report = new SolverReport("krylov", seconds, stats);
        return FermionState.FromRaw(p, B, raw, report);
    }

    /// <summary>
    /// How far the iterate is from conserving the particle current: with R = L(rho), tr(n_x R) is exactly
    /// the difference of the currents into and out of site x (left boundary − j_1, j_{x−1} − j_x,
    /// j_{L−1} − right boundary), so these bound the disagreement between the left, bond and
    /// right currents (up to rounding in the boundary formulas); the sum over x bounds every pairwise
    /// disagreement (left vs right is the sum of all of them). Returns sum_x |tr(n_x R)| and the mean bond
    /// current −2J Im&lt;a+_x a_{x+1}&gt; of the iterate (planar blocks re/im; R's real part in rRe).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    static (double Defect, double Current) ContinuityDefect(SectorBlocks B, BlockLiouvillian op, double[] rRe, double[] re, double[] im)
    {
        int L = B.Length;
        var tr = new double[L];
        double bond = 0;
        var basis = B.Basis;
        for (int n = 0; n <= L; n++)
        {
            int d = op.Size[n], o = op.Offset[n];
            var states = basis.Blocks[n];
            for (int a = 0; a < d; a++)
            {
                int st = states[a];
                double raa = rRe[o + a * d + a];
                for (int x = 1; x <= L; x++) if (FockBasis.Occupation(st, x) == 1) tr[x - 1] += raa;
                for (int x = 1; x < L; x++)
                {
                    if (FockBasis.Occupation(st, x + 1) == 0 || FockBasis.Occupation(st, x) == 1) continue;
                    int s1 = st & ~(1 << x);
                    int sign = FockBasis.StringSign(st, x + 1) * FockBasis.StringSign(s1, x);
                    int b = basis.IndexInBlock[s1 | (1 << (x - 1))];
                    bond += -2 * sign * im[o + a * d + b];
                }
            }
        }
        double hop = 0;   // J from H: the hopping amplitude is the off-diagonal entry magnitude
        for (int n = 0; n <= L && hop == 0; n++)
            for (int i = 0; i < op.Size[n] && hop == 0; i++)
                for (int j = 0; j < op.Size[n]; j++)
                    if (i != j && B.H[n][i, j] != 0) { hop = Math.Abs(B.H[n][i, j]); break; }
        double current = L > 1 ? hop * bond / (L - 1) : 0;
        return (tr.Select(Math.Abs).Sum(), current);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    static double Dot(double[] a, double[] b)
    {
        var va = System.Runtime.InteropServices.MemoryMarshal.Cast<double, System.Numerics.Vector<double>>(a.AsSpan());
        var vb = System.Runtime.InteropServices.MemoryMarshal.Cast<double, System.Numerics.Vector<double>>(b.AsSpan());
        var acc = System.Numerics.Vector<double>.Zero;
        for (int i = 0; i < va.Length; i++) acc += va[i] * vb[i];
        double s = SVec.Sum(acc);
        for (int i = va.Length * System.Numerics.Vector<double>.Count; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    static void Axpy(double alpha, double[] x, double[] y)
    {
        var vx = System.Runtime.InteropServices.MemoryMarshal.Cast<double, System.Numerics.Vector<double>>(x.AsSpan());
        var vy = System.Runtime.InteropServices.MemoryMarshal.Cast<double, System.Numerics.Vector<double>>(y.AsSpan());
        var va = new System.Numerics.Vector<double>(alpha);
        for (int i = 0; i < vx.Length; i++) vy[i] += va * vx[i];
        for (int i = vx.Length * System.Numerics.Vector<double>.Count; i < x.Length; i++) y[i] += alpha * x[i];
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    static void Scale(double alpha, double[] x)
    {
        for (int i = 0; i < x.Length; i++) x[i] *= alpha;
    }
}
