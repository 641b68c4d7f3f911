using System.Collections.Immutable;
using System.Diagnostics;
using LanguageExt;
using Ness.Pipeline.Fermion.Mps.Tensors;

namespace Ness.Pipeline.Fermion.Mps;

/// <summary>
/// The steady state of the fermion chain (section 3.2) as a matrix product state in Liouville space
/// (local dimension 4, <see cref="LiouvilleBasis"/>), with the Liouvillian as an MPO (<see cref="LiouvillianMpo"/>),
/// found by the alternating linear solve of L rho = 0, tr rho = 1 (<see cref="AlternatingSolver"/>).
/// The bond dimension chi grows 4, 8, 16, ... (warm starts); at each chi the solver sweeps until a sweep moves
/// the profile by less than <see cref="MpsOptions.SweepTolerance"/>. The result is certified when doubling chi
/// moved the profile by less than <see cref="MpsOptions.ProfileTolerance"/>, or when the relative residual is
/// below the exact solvers' bound (<see cref="Certificate.MaxRelativeResidual"/>, e.g. equilibrium, exact at
/// chi = 1); otherwise it is refused with every stage reached.
/// </summary>
public static class MpsSolver
{
    /// <summary>Estimated peak memory in bytes at bond dimension chi: the dense two-site matrix of the largest
    /// pair (n = 16 D_i D_(i+2), bonds D_x = min(chi, 4^x, 4^(L−x))) and its LU factors, 2 · 8 n²; the environments,
    /// 2 (L + 1) chi² w doubles; and the residual check, which applies the MPO exactly (bond chi w):
    /// 8 (chi w)² · 4 doubles in flight.</summary>
    public static double MemoryEstimate(int L, int chi, int w)
    {
        double Bond(int x) => Math.Min(chi, Math.Min(Math.Pow(4, x), Math.Pow(4, L - x)));
        double n = 4;
        for (int i = 0; i + 1 < L; i++) n = Math.Max(n, 16 * Bond(i) * Bond(i + 2));
        double c = Math.Min(chi, Math.Pow(4, L / 2.0));
        double cw = c * w;
        return 2 * 8 * n * n + 2 * (L + 1) * 8.0 * c * c * w + 8 * 8 * cw * cw + 100e6;
    }

    public static Fin<FermionResult> Run(FermionParameters p, MpsOptions o)
    {
        var sw = Stopwatch.StartNew();
        if (Environment.GetEnvironmentVariable("NESS_MPS_LOCAL") is string lp)
            o = o with { Local = lp == "galerkin" ? LocalProblem.Galerkin : LocalProblem.MinimalResidual };
        var Lmpo = LiouvillianMpo.Create(p);
        var r = p.Rates;
        double kappa = 0.5 * (r.G1p + r.G1m + r.GLp + r.GLm);
        var M = MatrixProductOperator.Sum(Lmpo, LiouvillianMpo.TraceProjector(p.Length), kappa);
        int cap = o.MaxBond;
        double need = MemoryEstimate(p.Length, cap, o.Local == LocalProblem.Galerkin ? M.MaxBond : M.MaxBond * M.MaxBond);
        double avail = Math.Min(o.MemoryLimit, 0.6 * GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);
        if (need > avail)
            return new NumericsRefused(
                $"--bond-dimension {cap}: the mps solver would need about {need / 1e9:F1} GB but {avail / 1e9:F1} GB are allowed; " +
                "use a smaller --bond-dimension");

        // Galerkin: P^T M P θ = P^T b.  Minimal residual: P^T M^T M P θ = P^T M^T b = κ P^T b, because
        // M^T 1 = L^T 1 + κ Π 1 = κ 1 (L preserves the trace, so 1 is a left null vector of L).
        // Galerkin first (fast where well posed); a stage whose Galerkin sweeps do not settle, or hit a singular
        // two-site problem, is redone by minimal residual from where it stood, and the solver stays there.
        double[] u = [0.5, 0.5, 0, 0];
        int chi0 = Math.Min(MpsOptions.StartBond, cap);
        var local = o.Local;
        AlternatingSolver MinimalResidual(MatrixProductState? start) =>
            new(o.Kernels, MatrixProductOperator.TransposeTimes(M), u, kappa * kappa, chi0, start);
        var solver = local == LocalProblem.Galerkin ? new AlternatingSolver(o.Kernels, M, u, kappa, chi0) : MinimalResidual(null);
        double lNorm = NormBound(p);
        var stages = new List<ChiStage>();
        ImmutableArray<double>? previous = null;
        MpsObservables? obs = null;
        double rel = double.NaN;
        int totalSweeps = 0;
        bool again = false;
        for (int chi = Math.Min(MpsOptions.StartBond, cap); ; chi = again ? chi : Math.Min(2 * chi, cap))
        {
            again = false;
            var t0 = sw.Elapsed.TotalSeconds;
            double trunc = 0, change = double.PositiveInfinity;
            int sweeps = 0;
            var last = obs?.Profile;
            var stageStart = solver.Psi.Copy();
            var stageObs = obs;
            while (true)
            {
                bool singular = false;
                try { trunc = solver.Sweep(chi); }
                catch (InvalidOperationException e) when (e.Message.Contains("singular") && local == LocalProblem.Galerkin) { singular = true; }
                sweeps++;
                if (!singular)
                {
                    obs = MpsObservables.Of(solver.Psi, p.Hopping);
                    change = last is { } q ? MaxDifference(q, obs.Profile) : double.PositiveInfinity;
                    last = obs.Profile;
                    if (change < o.SweepTolerance) break;
                    // a state that already solves L rho = 0 as well as the exact solvers' certificate asks is done
                    if (change < o.ProfileTolerance && RelativeResidual(o.Kernels, Lmpo, solver.Psi, lNorm) <= Certificate.MaxRelativeResidual) break;
                }
                if (singular || sweeps >= (local == LocalProblem.Galerkin ? o.MaxSweeps : 4 * o.MaxSweeps))
                {
                    if (local != LocalProblem.Galerkin) break;
                    Console.Error.WriteLine($"mps: chi {chi}: Galerkin sweeps did not settle{(singular ? " (singular two-site problem)" : "")}; minimal residual from here on");
                    local = LocalProblem.MinimalResidual;
                    solver = MinimalResidual(stageStart);
                    obs = stageObs;
                    last = obs?.Profile;
                    totalSweeps += sweeps;
                    sweeps = 0;
                }
            }
            totalSweeps += sweeps;
            var psi = solver.Psi;
            double tr = obs!.Trace;
            rel = RelativeResidual(o.Kernels, Lmpo, psi, lNorm);
            double? dn = previous is { } prev ? MaxDifference(prev, obs.Profile) : null;
            var stage = new ChiStage(chi, psi.MaxBond, sweeps, local.ToString(), rel, Math.Abs(tr - 1), trunc, dn, change,
                Spread(obs.Bonds), sw.Elapsed.TotalSeconds - t0);
            stages.Add(stage);
            Console.Error.WriteLine($"mps: chi {chi} (max bond {stage.MaxBond}), {sweeps} sweeps ({local}), relative residual {rel:E2}, " +
                $"truncation {trunc:E2}, profile change {(dn is double v ? v.ToString("E2") : "n/a")}, {stage.Seconds:F1} s");
            bool sweepsConverged = change < o.SweepTolerance || (change < o.ProfileTolerance && rel <= Certificate.MaxRelativeResidual);
            if (rel <= Certificate.MaxRelativeResidual && sweepsConverged) break;
            if (dn is double c && c < o.ProfileTolerance && sweepsConverged) break;
            if (chi >= cap && local == LocalProblem.Galerkin)
            {
                // Galerkin sweeps can settle on a wrong fixed point (seen at chi = 1 in equilibrium: residual 3e-2,
                // sweep change 1e-16): before refusing, the largest chi gets the minimal-residual sweeps too
                Console.Error.WriteLine($"mps: chi {chi}: not certified with Galerkin sweeps; minimal residual from here on");
                local = LocalProblem.MinimalResidual;
                solver = MinimalResidual(solver.Psi);
                again = true;                               // this chi again
                continue;
            }
            previous = obs.Profile;
            if (chi >= cap)
                return new NumericsRefused(
                    $"mps: not converged at --bond-dimension {cap}: " + string.Join("; ", stages.Select(Describe)) +
                    $" (needs a profile change < {o.ProfileTolerance:E0} on doubling chi and a sweep change < {o.SweepTolerance:E0}); " +
                    "raise --bond-dimension");
        }

        var final = stages[^1];
        var n = obs.Profile;
        var bonds = obs.Bonds;
        bool certified = bonds.Length == 0 || final.CurrentSpread <= o.CurrentTolerance;
        double left = r.G1p - (r.G1p + r.G1m) * n[0];
        double right = -(r.GLp - (r.GLp + r.GLm) * n[^1]);
        var currents = new Currents(left, right, bonds) { BondsCertified = certified };
        var psiN = solver.Psi;
        bool minres = local == LocalProblem.MinimalResidual;
        var diag = new Diagnostics("mps", psiN.Size, rel * lNorm * Networks.Norm(o.Kernels, psiN) / Math.Abs(obs.Trace), rel,
            Math.Abs(MpsObservables.Of(Normalised(psiN, obs.Trace), p.Hopping).Trace - 1), 0, null, sw.Elapsed.TotalSeconds,
            new Dictionary<string, double>
            {
                ["bond_dimension"] = final.MaxBond,
                ["sweeps"] = totalSweeps,
                ["truncation_error"] = final.TruncationError,
                ["profile_change"] = final.ProfileChange ?? 0,
                ["current_spread"] = final.CurrentSpread,
                ["current_certified"] = certified ? 1 : 0,
                ["raw_trace_error"] = final.RawTraceError,
                ["largest_local_problem"] = solver.LargestLocalProblem,
                ["minimal_residual"] = minres ? 1 : 0,
            })
        { Stages = [.. stages] };
        return new FermionResult(p, n, currents, StepMetrics.Of(n), diag);
    }

    /// <summary>||L|| ≤ 2 ||H|| + 2 sum_c rate_c with ||H|| ≤ sum_x 2|h_x| + (L − 1)(|J| + |V|): an operator-norm
    /// bound (the exact solvers' estimate needs the particle-number blocks, which the MPS never forms).</summary>
    public static double NormBound(FermionParameters p) =>
        2 * (p.Fields.Sum(h => 2 * Math.Abs(h)) + (p.Length - 1) * (Math.Abs(p.Hopping) + Math.Abs(p.Interaction)))
        + 2 * p.Rates.ToArray().Sum();

    /// <summary>||L psi|| / (||L||_est ||psi||) (scale-free: the trace cancels).</summary>
    static double RelativeResidual(Ness.Sparse.Dense.DenseKernels K, MatrixProductOperator Lmpo, MatrixProductState psi, double lNorm) =>
        Networks.NormOfProduct(Lmpo, psi) / (lNorm * Networks.Norm(K, psi));

    static MatrixProductState Normalised(MatrixProductState psi, double tr)
    {
        var c = psi.Copy();
        for (int i = 0; i < c.A[0].Length; i++) c.A[0][i] /= tr;
        return c;
    }

    static double MaxDifference(ImmutableArray<double> a, ImmutableArray<double> b)
    {
        double m = 0;
        for (int i = 0; i < a.Length; i++) m = Math.Max(m, Math.Abs(a[i] - b[i]));
        return m;
    }

    /// <summary>(max − min) / |mean| of the bond currents (0 without bonds or when all vanish).</summary>
    static double Spread(ImmutableArray<double> j)
    {
        if (j.Length == 0) return 0;
        double mean = j.Average(), spread = j.Max() - j.Min();
        return spread == 0 ? 0 : spread / Math.Abs(mean);
    }

    static string Describe(ChiStage s) =>
        $"chi {s.Chi}: relative residual {s.RelativeResidual:E1}, profile change {(s.ProfileChange is double v ? v.ToString("E1") : "n/a")}, " +
        $"sweep change {s.SweepChange:E1}";
}
