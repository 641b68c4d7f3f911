using System.Diagnostics;
using System.Numerics;
using LanguageExt;
using LanguageExt.Common;
using MathNet.Numerics.LinearAlgebra;
using Ness.Operators.Fermion;
using Ness.Numerics.Dense;
using static LanguageExt.Prelude;
using Ness.Numerics.Krylov;

namespace Ness.Pipeline.Fermion.Krylov;

/// <summary>
/// The steady state by matrix-free, preconditioned, restarted flexible GMRES on the q = 0 sector
/// (docs/numerics.md): the unknowns are the Hermitian blocks rho_n in packed real form
/// (<see cref="PackedLiouvillian"/>), the start is the coarse steady state, the right preconditioner is
/// <see cref="TwoLevelPreconditioner"/>, and the stop rules (<see cref="ResidualTolerance"/>,
/// <see cref="ContinuityCriterion"/>, <see cref="Stagnation"/>, <see cref="IterationBudget"/>) judge the TRUE
/// residual ||L rho|| recomputed at every restart. Non-convergence is refused (exit 3) with what was reached;
/// so is a memory estimate above the budget, before anything large is allocated.
/// </summary>
public static class KrylovSolver
{
    /// <summary>The steady state: one solve (<see cref="Once"/>); and when its refinement stops short of the profile target
    /// with the single-precision smoother or coarse transfers, a second solve from the coarse steady state with the
    /// preconditioner in double precision throughout (<see cref="Again"/>). The refinement's corrections can stall on the state a single-smoother solve ends at (L = 11,
    /// h = 10, seed 1, realization 25 of Table 1: FGMRES kept 0.87 of the correction's residual after 300 iterations,
    /// estimate 1.9e-7; corrections with the double smoother from the same state stalled the same way), while the solve
    /// with the double smoother from the start is certified to 1e-15 (docs/numerics.md). The double smoother everywhere
    /// would cost ~19 % on every draw (L = 10, h = 10); the second solve costs about as much as the first, on the rare
    /// draws that stall.</summary>
    public static Fin<FermionState> Solve(FermionParameters p, SolverOptions so)
    {
        var clock = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var first = Once(p, so, clock, cpu, again: false);
        if (!(so.Krylov.SingleSmoother || so.Krylov.SingleTransfer) || first.ShortOf.IsNone) return first.Result;
        if (so.Cancellation.IsCancellationRequested) return new Interrupted();   // not the first's verdict: a rerun solves both
        MemoryBudget.Release();
        var second = Once(p, so with { Krylov = so.Krylov with { SingleSmoother = false, SingleTransfer = false }, Iterates = None }, clock, cpu, again: true);
        return Again(first, second, clock.Elapsed.TotalSeconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
    }

    /// <summary>A solve's result, why its refinement stopped short of its targets (None when it reached them or did not
    /// run), and the facts a second solve reports about it.</summary>
    sealed record Attempt(Fin<FermionState> Result, Option<string> ShortOf, int Iterations, double ProfileError, double Seconds);

    /// <summary>The better of two solves of the same draw, the second with the double-precision smoother: the second when
    /// it is certified with a smaller estimate than the first (or the first was refused), otherwise the first; the result
    /// says that there were two and what each reached, and its <c>cpu_seconds</c> counts both. Both refused: one
    /// refusal with both reasons. An interrupted second solve is an interruption.</summary>
    static Fin<FermionState> Again(Attempt first, Attempt second, double seconds, double cpu)
    {
        if (second.Result.Match(_ => false, e => e is Interrupted)) return second.Result;
        string Says(Attempt a) => a.Result.Match(_ => $"estimate {a.ProfileError:E1}", e => $"refused: {e.Message}");
        if (first.Result.IsFail && second.Result.IsFail)
            return new NumericsRefused($"{first.Result.Match(_ => "", e => e.Message)}; solved again with the double-precision smoother " +
                                       $"after the refinement stopped short ({first.ShortOf.IfNone("")}): {second.Result.Match(_ => "", e => e.Message)}");
        bool takeSecond = second.Result.IsSucc && (first.Result.IsFail || second.ProfileError < first.ProfileError);
        Fact[] facts =
        [
            new Flag("solved_again_double_smoother", takeSecond),
            new Note("first_solve_refinement_stopped", first.ShortOf.IfNone("")),
            new Number("first_solve_iterations", first.Iterations),
            new Number("first_solve_seconds", first.Seconds),
            new Note("first_solve", Says(first)),
            new Note("double_smoother_solve", Says(second)),
        ];
        return (takeSecond ? second : first).Result.Map(s => s with
        {
            Report = s.Report with
            {
                Seconds = seconds,
                Facts = [.. s.Report.Facts.Select(f => f is Number { Name: "cpu_seconds" } ? new Number("cpu_seconds", cpu) : f), .. facts],
            },
        });
    }

    /// <summary>One solve: the memory check, the preconditioner, FGMRES and the refinement (<see cref="Iterate"/>), timed
    /// from <paramref name="clock"/> and <paramref name="cpu"/> (the start of <see cref="Solve"/>, so that a second solve
    /// reports the cost of both); <paramref name="again"/> marks the second solve's progress.</summary>
    static Attempt Once(FermionParameters p, SolverOptions so, Stopwatch clock, TimeSpan cpu, bool again)
    {
        var o = so.Krylov;
        double start = clock.Elapsed.TotalSeconds;
        double budget = Ness.Pipeline.MemoryBudget.Of(o.MemoryLimitBytes);
        long populations = 1L << p.Length;
        double need = MemoryEstimate(p.Length, o.Restart, o, populations);
        if (need > budget)
            return Failed(new NumericsRefused(
                $"--length {p.Length}: the krylov solver would need about {need / 1e9:F1} GB " +
                $"(GMRES cycle {o.Restart}, no coherences in the coarse space) but its memory budget is {budget / 1e9:F1} GB; " +
                (LargestLength(o, budget) is int fit and > 0 ? $"the largest L that fits is {fit} (--length {fit})" : "no length fits") +
                $" (the budget is {MemoryBudget.Fraction:P0} of the memory available to this process unless NESS_KRYLOV_MEMORY_GB sets it, up to all of it)"));
        long maxCoarse = MaxCoarseDimension(p.Length, o, budget);
        var B = SectorBlocks.Create(p.Length, p.Hopping, p.Interaction, p.Fields.AsSpan(), p.Rates.ToArray());
        var blocks = new BlockLiouvillian(B);
        var progress = so.Progress;
        var report = again ? so with { Progress = k => progress(k with { Again = true }) } : so;
        return TwoLevelPreconditioner.Create(blocks, o.Kernels, o.Threads, Pairs(p.Length, o), o.SingleSmoother,
                   maxCoarse: (int)Math.Min(int.MaxValue, maxCoarse), postSmoothing: o.PostSmoothing, sweep: o.Sweep,
                   singleTransfer: o.SingleTransfer)
            .Match(M => { ReleaseSetup(p.Length, o); return Iterate(p, report, B, blocks, M, clock, cpu, budget, start); }, Failed);
    }

    /// <summary>A solve that ended without a state (refused or interrupted).</summary>
    static Attempt Failed(Error e) => new(e, None, 0, double.NaN, 0);

    /// <summary>FGMRES from the coarse steady state, the convergence check, the profile's error estimate (refined in
    /// double-double when it asks for it), the check that vouches for the profile, and the state with its facts.</summary>
    static Attempt Iterate(FermionParameters p, SolverOptions so, SectorBlocks B, BlockLiouvillian blocks,
        TwoLevelPreconditioner M, Stopwatch clock, TimeSpan cpu, double budget, double start)
    {
        var o = so.Krylov;
        double setup = clock.Elapsed.TotalSeconds - start;
        var A = new PackedLiouvillian(blocks);
        double lNorm = SectorLiouvillian.NormEstimate(B);

        var saved = so.Iterates.Bind(store => store.Load(A.Dimension));
        int prior = saved.Match(it => it.Iterations, () => 0);
        var x = saved.Match(it => it.X,                                                           // rho0: a kept iterate,
            () => Pack(blocks, (re, im) => M.Prolong(M.CoarseSteadyState, re, im, add: false)));  // or the coarse steady state
        var continuity = new ContinuityCriterion(blocks, p.Hopping, lNorm, o.CurrentCheckTolerance, o.CurrentTolerance);
        var (g, augment, vectors) = Gmres(p, so, A, M, x, continuity, lNorm, setup, budget, prior);
        double relRes = g.ResidualNorm / (lNorm * g.SolutionNorm);
        var cost = Cost.Of(A, M, clock, cpu);   // before the error estimate's applications
        if (so.Cancellation.IsCancellationRequested) return Failed(new Interrupted());
        double memory = MemoryEstimate(p.Length, Math.Max(o.Restart, g.Cycle), o, M.CoarseDimension);
        var converged = Convergence(g, o, relRes, cost.Seconds - start, cost.Matvecs);
        if (!converged.Passes) return Failed(new NumericsRefused(converged.Refusal));
        so.Iterates.Iter(store => store.Offer(new SavedIterate(prior + g.Iterations, relRes, x), converged: true));
        return Polish(p, so, blocks, A, M, x, g.Cycle, vectors, lNorm, continuity.LastRelativeDefect, cost, dd => Cost.Of(A, M, clock, cpu, dd)).Match(s =>
        {
            var vouched = Vouched(o, s, relRes);
            bool byContinuity = !s.Refined && g.Status == IterationStatus.Converged && !(relRes <= o.Tolerance);
            Fin<FermionState> result = vouched.Passes
                ? FermionState.FromRaw(p, B, Raw(B, blocks, s.Re, s.Im),
                    new SolverReport("krylov", s.Cost.Seconds, Facts(o, g, augment, M, converged, vouched, byContinuity, s, setup, memory, saved.IsSome, prior)))
                : new NumericsRefused(vouched.Refusal);
            // short of the profile target: a stalled refinement (a second solve may help); short of the continuity target
            // alone: currents below what double-double resolves (L = 10, J = 0.3, V = 0, h = 40: J ~ 1e-23), which it cannot
            bool shortOf = s.Refined && s.Reason.Length > 0 && !(s.ProfileError <= o.Refinement.ProfileTarget);
            return new Attempt(result, shortOf ? Some(s.Reason) : None, prior + g.Iterations, s.ProfileError,
                s.Cost.Seconds - start);
        }, Failed);
    }

    /// <summary>What the solve cost so far: wall and CPU seconds since its start, applications of the operator (in double,
    /// and in double-double by the refinement's corrections, <c>doubleDouble</c> in <see cref="Of"/>) and of the preconditioner,
    /// and the peak working set.</summary>
    readonly record struct Cost(double Seconds, double CpuSeconds, long Matvecs, long Preconditioned, long Peak)
    {
        public static Cost Of(PackedLiouvillian A, TwoLevelPreconditioner M, Stopwatch clock, TimeSpan cpu, long doubleDouble = 0) => new(
            clock.Elapsed.TotalSeconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds,
            A.Applications + doubleDouble + M.Applications, M.Applications, Process.GetCurrentProcess().PeakWorkingSet64);
    }

    /// <summary>FGMRES on L rho = 0 from <paramref name="x"/> (overwritten by the solution) with the stop rules of the
    /// class comment, a cycle that doubles while its memory fits the budget, progress reports (iterations counted from
    /// <paramref name="prior"/>, those of the run that kept x) and the iterate offered to the store at every restart.
    /// Returns the result, the augmentation used and the FGMRES vectors (the refinement's corrections reuse them).</summary>
    static (GmresResult Result, int Augment, GmresMemory Vectors) Gmres(FermionParameters p, SolverOptions so, PackedLiouvillian A, TwoLevelPreconditioner M,
        double[] x, ContinuityCriterion continuity, double lNorm, double setup, double budget, int prior)
    {
        var o = so.Krylov;
        var b = new double[A.Dimension];                                                         // L rho = 0
        var stop = new Iterator(new ResidualTolerance(o.Tolerance, lNorm), continuity, new Stagnation(), new IterationBudget(o.MaxIterations),
            new Cancellation(so.Cancellation));
        var restart = new DoublingRestart(o.Restart, o.MaxRestart,
            m => MemoryEstimate(p.Length, m, o, M.CoarseDimension) <= budget);
        double first = double.NaN;
        var gmres = FlexibleGmres.Create(restart, o.Augment, c =>
        {
            double rel = c.ResidualNorm / (lNorm * c.SolutionNorm);
            if (double.IsNaN(first)) first = rel;
            so.Progress(new KrylovProgress(prior + c.Iterations, c.Restarts, rel, o.Tolerance, c.Elapsed + TimeSpan.FromSeconds(setup),
                Remaining(first, rel, o.Tolerance, c.Elapsed)));
            if (c.Iterations > 0) so.Iterates.Iter(store => store.Offer(new SavedIterate(prior + c.Iterations, rel, c.X), converged: false));
        });
        var vectors = new GmresMemory();                   // the refinement's corrections reuse the solve's vectors
        return (gmres.Solve(A, M, b, x, stop, vectors), gmres.Augment, vectors);
    }

    /// <summary>The converged state as planar blocks with its profile error estimate and continuity defect: in double
    /// precision, or refined in double-double (<see cref="Refinement"/>) when the estimate or the defect asks for it;
    /// its facts, why a refinement stopped short ("" if it did not), and the cost after it. From here on the
    /// preconditioner's transfers are in double (<see cref="TwoLevelPreconditioner.UseDoubleTransfers"/>).</summary>
    sealed record Polished(double ProfileError, double Defect, double[] Re, double[] Im, IReadOnlyList<Fact> Facts, string Reason,
                           bool Refined, Cost Cost);

    static Fin<Polished> Polish(FermionParameters p, SolverOptions so, BlockLiouvillian blocks, PackedLiouvillian A,
        TwoLevelPreconditioner M, double[] x, int cycle, GmresMemory vectors, double lNorm, double defect, Cost cost, Func<long, Cost> measure)
    {
        var o = so.Krylov;
        M.UseDoubleTransfers();
        double profileError = ProfileErrorEstimate(blocks, A, M, x, lNorm);
        var re = new double[A.Dimension]; var im = new double[A.Dimension];
        blocks.Unpack(x, re, im);
        if (!o.Refinement.Asks(profileError, defect))
            return new Polished(profileError, defect, re, im, [new Number("refinement_steps", 0)], "", false, cost);
        var facts = new List<Fact> { new Number("profile_error_estimate_double", profileError) };
        var xd = DoubleDoubleBlocks.Of(re, im);
        var ddA = new PackedLiouvillianDoubleDouble(blocks, M.Threads);
        var refined = Refinement.Run(blocks, p.Hopping, lNorm, xd, Correction(ddA, M, o, cycle, vectors, so.Cancellation, so.Progress), profileError,
            o.Refinement, M.Threads);
        if (so.Cancellation.IsCancellationRequested) return new Interrupted();
        facts.AddRange(refined.Facts());
        return new Polished(refined.ProfileErrorEstimate, refined.CurrentDefect, xd.ReHi, xd.ImHi, facts,
            refined.Reached ? "" : refined.Reason, true, measure(ddA.Applications));
    }

    /// <summary>The check that vouches for the profile: its error estimate within <see cref="KrylovOptions.MaxProfileError"/>.</summary>
    static Check Vouched(KrylovOptions o, Polished s, double relRes) =>
        new("profile_error_estimate", s.ProfileError, o.MaxProfileError,
            $"krylov solver: the profile cannot be vouched for: its estimated error {s.ProfileError:E1} " +
            $"exceeds {o.MaxProfileError:E0} although the relative residual is {relRes:E1} (the slowest populations relax " +
            "too slowly for the residual to fix them in double precision" +
            (s.Reason.Length > 0 ? $", and iterative refinement in double-double did not converge: {s.Reason}" : "") +
            ", docs/numerics.md); at --interaction 0 use --solver gaussian, otherwise a shorter chain, weaker disorder or larger hopping");

    /// <summary>The solver's facts in output order: GMRES's counts, the checks, the preconditioner's numbers and
    /// timings, memory, kernels, the profile check and the refinement's facts.</summary>
    static System.Collections.Immutable.ImmutableArray<Fact> Facts(KrylovOptions o, GmresResult g, int augment, TwoLevelPreconditioner M,
        Check converged, Check vouched, bool byContinuity, Polished s, double setup, double memory, bool resumed, int prior) =>
        [
            new Number("iterations", g.Iterations),
            .. resumed ? [new Number("resumed_after_iterations", prior)] : System.Array.Empty<Fact>(),
            new Number("restarts", g.Restarts),
            new Number("matvecs", s.Cost.Matvecs),
            new Number("preconditioner_applications", s.Cost.Preconditioned),
            converged,
            new Number("krylov_tolerance", o.Tolerance),
            byContinuity
                ? new Check("continuity_defect_relative", s.Defect, o.CurrentTolerance,
                    $"continuity defect {s.Defect:E2} > {o.CurrentTolerance:E0}")
                : new Number("continuity_defect_relative", s.Defect),
            new Number("krylov_restart", g.Cycle),
            new Number("krylov_restart_growths", g.Growths),
            new Number("krylov_augment", augment),
            new Number("krylov_threads", M.Threads),
            new Number("krylov_setup_seconds", setup),
            new Number("cpu_seconds", s.Cost.CpuSeconds),
            new Number("smoother_seconds", M.SmootherTime.Elapsed.TotalSeconds),
            new Number("coarse_seconds", M.CoarseTime.Elapsed.TotalSeconds),
            new Number("coarse_solve_seconds", M.CoarseSolveTime.Elapsed.TotalSeconds),
            new Number("inner_matvec_seconds", M.MatvecTime.Elapsed.TotalSeconds),
            new Number("coarse_dimension", M.CoarseDimension),
            new Number("coarse_coherence_pairs", M.CoherencePairs),
            new Number("coarse_pair_gap_max", M.MaxPairMetric),
            new Number("coarse_carried_share", M.CarriedShare),
            new Number("k_eigenvector_condition", M.EigenvectorCondition),
            new Number("memory_estimate_bytes", memory),
            new Flag("coarse_pairs_memory_limited", M.PairsLimitedByMemory),
            new Number("peak_working_set_bytes", s.Cost.Peak),
            new Flag("blas_openblas", o.Kernels.Name == "openblas"),
            new Flag("smoother_single_precision", M.SmootherPrecision == "single"),
            new Flag("coarse_transfer_single_precision", o.SingleTransfer),
            new Flag("smoother_post", M.PostSmoothing),
            new Flag("smoother_red_black", M.Sweep == SectorSweep.RedBlack),
            new Flag("stagnated", g.Status == IterationStatus.Stagnated),
            vouched,
            .. s.Facts,
        ];

    /// <summary>The blocks rho_n as complex matrices from their planar parts.</summary>
    static Matrix<Complex>[] Raw(SectorBlocks B, BlockLiouvillian blocks, double[] re, double[] im)
    {
        var raw = new Matrix<Complex>[B.Length + 1];
        for (int n = 0; n <= B.Length; n++)
        {
            int d = blocks.Size[n], off = blocks.Offset[n];
            raw[n] = Matrix<Complex>.Build.Dense(d, d, (i, j) => new Complex(re[off + i * d + j], im[off + i * d + j]));
        }
        return raw;
    }

    /// <summary>
    /// The convergence check on the true relative residual, with the limit of the rule that accepted it: the
    /// tolerance; or, when the continuity rule stopped the solve (<see cref="ContinuityCriterion"/>), its residual
    /// tolerance (the continuity defect is then a check of its own); or, when GMRES stagnated with no longer cycle
    /// left, the acceptance tolerance. A solve that ran out of iterations is held to the tolerance.
    /// </summary>
    static Check Convergence(GmresResult g, KrylovOptions o, double relRes, double seconds, long matvecs)
    {
        double limit = relRes <= o.Tolerance ? o.Tolerance
            : g.Status == IterationStatus.Converged ? o.CurrentCheckTolerance
            : g.Status == IterationStatus.Stagnated ? o.AcceptTolerance
            : o.Tolerance;
        return new Check("krylov_residual", relRes, limit,
            $"krylov solver did not converge: after {g.Iterations} iterations ({matvecs} matvecs, {g.Restarts} restarts, " +
            $"cycle {g.Cycle}, {seconds:F1} s) the true relative residual is {relRes:E2} " +
            $"(target {o.Tolerance:E0}, accept {o.AcceptTolerance:E0})");
    }

    /// <summary>The correction of <see cref="Refinement"/>: FGMRES from zero on L e = −r, with L applied in double-double and
    /// rounded (<see cref="PackedLiouvillianDoubleDouble"/>: in double a correction rich in the slowest populations has no
    /// correct digit when u κ ≥ 1, and FGMRES spends hundreds of iterations on the rounding; L = 9, h = 40, J = 0.3, V = 0:
    /// 35 correction iterations in 3 steps against 404–818 in 4–6, at h = 10 the same iterations), with the same preconditioner and
    /// the cycle the solve ended with, until what the refinement needs is reached (<see cref="CorrectionNeed"/>: the
    /// continuity defect and the profile error left by rho + e, a cycle ending early where GMRES's own residual estimate
    /// predicts it; or a true residual of tau ||r||), or two cycles in a row fail to halve the residual (the
    /// floor of what the preconditioned double-precision FGMRES reaches; the cycle is not grown) or the iteration budget is spent: the next refinement step
    /// measures what it reached.
    /// <para>Memory: every correction works in the same vectors, allocated once (<see cref="CorrectionWorkspace"/>), and
    /// in the solve's FGMRES vectors (<paramref name="memory"/>), not in a second basis.</para></summary>
    static Refinement.Correction Correction(PackedLiouvillianDoubleDouble A, TwoLevelPreconditioner M, KrylovOptions o, int cycle,
        GmresMemory memory, CancellationToken cancel, Action<KrylovProgress> progress)
    {
        var blocks = A.Blocks;
        int D = A.Dimension;
        double[] b = [], e = [], z = [], eRe = [], eIm = [];
        int step = 0;
        return (rRe, rIm, need) =>
        {
            step++;
            if (b.Length != D) (b, e, z, eRe, eIm) = (new double[D], new double[D], new double[D], new double[D], new double[D]);
            blocks.Pack(rRe, rIm, b);
            System.Array.Clear(e);
            var enough = new CorrectionNeed(blocks, M, need, z);
            var stop = new Iterator(new ResidualTolerance(need.Tau, 0), enough, new Stagnation(2, 0.5), new IterationBudget(o.MaxIterations),
                new Cancellation(cancel));
            var g = FlexibleGmres.Create(DoublingRestart.Fixed(cycle), o.Augment, c => progress(new KrylovProgress(c.Iterations, c.Restarts,
                c.RhsNorm > 0 ? c.ResidualNorm / c.RhsNorm : 0, need.Tau, c.Elapsed, LanguageExt.Option<TimeSpan>.None, step))).Solve(A, M, b, e, stop, memory);
            blocks.Unpack(e, eRe, eIm);
            return (eRe, eIm, g.Iterations, enough.Remaining);
        };
    }

    /// <summary>Doubles a Krylov correction holds besides the FGMRES vectors it shares with the solve: the packed right-hand
    /// side and correction, the preconditioned residual of <see cref="CorrectionNeed"/>, and the correction in planar form.</summary>
    public static double CorrectionWorkspace(long D) => 5.0 * D;

    /// <summary>
    /// A first-order estimate of the forward error of the profile, max_x |tr(n_x e)| / tr(rho), where e = M^{-1} u
    /// solves L e = u with the preconditioner, for two perturbations u: the computed residual L(rho), and the rounding
    /// of L(rho) itself (random signs of size eps ||L||_est ||rho|| / sqrt(D), since the computed residual, ~1e-18
    /// relative, is below the rounding of the operator and cannot show it). The larger is reported. The relative
    /// residual alone does not bound the error when the slowest population rate is small (bound r ||L|| / rate,
    /// docs/numerics.md); the coarse part of M solves the populations' rate equations exactly (Galerkin), so e
    /// carries that 1/rate amplification. An estimate, not a bound (docs/numerics.md: against a 50-digit solve and
    /// the exact Gaussian solver).
    /// </summary>
    static double ProfileErrorEstimate(BlockLiouvillian blocks, PackedLiouvillian A, TwoLevelPreconditioner M, double[] x, double lNorm)
    {
        int D = A.Dimension;
        var n = new double[blocks.Length];
        double trace = Math.Abs(blocks.Densities(x, n));
        var r = new double[D];
        A.Apply(x, r);
        double fromResidual = ProfileChange(blocks, M, r) / trace;
        double xn = 0;
        foreach (var v in x) xn += v * v;
        double size = Eps * lNorm * Math.Sqrt(xn / D);
        var rng = new Random(1);
        for (int k = 0; k < D; k++) r[k] = rng.Next(2) == 0 ? size : -size;
        return Math.Max(fromResidual, ProfileChange(blocks, M, r) / trace);
    }

    const double Eps = 1.1102230246251565e-16;

    /// <summary>max_x |tr(n_x M^{-1} u)| on packed vectors.</summary>
    static double ProfileChange(BlockLiouvillian blocks, TwoLevelPreconditioner M, double[] u)
    {
        var e = new double[u.Length];
        M.Apply(u, e);
        var dn = new double[blocks.Length];
        blocks.Densities(e, dn);
        double max = 0;
        foreach (var v in dn) max = Math.Max(max, Math.Abs(v));
        return max;
    }

    /// <summary>Collects the setup's temporaries (the assembled coarse matrix, up to gigabytes at L ≥ 12) before the
    /// GMRES vectors are allocated, returning their pages to the system (<see cref="MemoryBudget.Release"/>: L = 11,
    /// h = 10, seed 1 peaked at 2.45 GB, 2.87 GB with the forced collection before, which kept their pages resident);
    /// so <see cref="MemoryEstimate(int, int, KrylovOptions, long)"/> counts the larger of the setup and the iteration.
    /// Only where they can reach <see cref="ReleaseAbove"/> bytes (<see cref="ReleasesSetup"/>: L ≥ 11 at the default
    /// coherences): below, the collection returns little and costs much in a short solve (L = 8: a full compacting
    /// collection of 10–18 ms, and a second one when the iteration allocates into the decommitted heap, in a 0.3 s
    /// solve), and the estimate counts the temporaries on top.</summary>
    static void ReleaseSetup(int L, KrylovOptions o)
    {
        if (ReleasesSetup(L, o)) MemoryBudget.Release();
    }

    /// <summary>Setup temporaries (bytes) from which <see cref="ReleaseSetup"/> returns them to the system.</summary>
    public const double ReleaseAbove = 256e6;

    /// <summary>Whether <see cref="ReleaseSetup"/> returns the setup's temporaries at chain length L: when they reach
    /// <see cref="ReleaseAbove"/> bytes with every coherence pair the options allow. A function of L and the options
    /// only, so that the memory estimate grows with the coarse dimension (the budget's search for it assumes so).</summary>
    public static bool ReleasesSetup(int L, KrylovOptions o) => SetupBytes(L, LargestCoarse(L, o), o) >= ReleaseAbove;

    /// <summary>Bytes of <see cref="TwoLevelPreconditioner.SetupWorkspace"/> at chain length L and coarse dimension NC.</summary>
    static double SetupBytes(int L, long coarse, KrylovOptions o)
    {
        var (D, dmax) = Dimensions(L);
        return 8 * TwoLevelPreconditioner.SetupWorkspace((long)D, coarse, 1L << L, (long)dmax, o.Threads);
    }

    /// <summary>The sector dimension D = sum_n C(L, n)^2 and the largest block C(L, L/2).</summary>
    static (double D, double dmax) Dimensions(int L)
    {
        double D = 0, dmax = 0;
        for (int n = 0; n <= L; n++) { double d = Binomial(L, n); D += d * d; dmax = Math.Max(dmax, d); }
        return (D, dmax);
    }

    static double[] Pack(BlockLiouvillian blocks, Action<double[], double[]> planar)
    {
        int D = blocks.Dimension;
        var re = new double[D]; var im = new double[D];
        planar(re, im);
        var x = new double[D];
        blocks.Pack(re, im, x);
        return x;
    }

    /// <summary>Time left by log-linear extrapolation of the residual from the first checkpoint to now.</summary>
    static Option<TimeSpan> Remaining(double first, double rel, double tol, TimeSpan elapsed)
    {
        if (!(rel < first) || rel <= tol) return None;
        double rate = Math.Log(first / rel) / Math.Max(elapsed.TotalSeconds, 1e-3);
        return Some(TimeSpan.FromSeconds(Math.Log(rel / tol) / rate));
    }

    /// <summary>
    /// Estimated peak memory in bytes at chain length L and GMRES cycle m, counting every workspace in doubles
    /// of the sector dimension D = C(2L, L): the preconditioner (<see cref="TwoLevelPreconditioner.Workspace"/>,
    /// with the coarse dimension of at most <see cref="Pairs"/> coherence pairs), the dense H blocks (D) and the
    /// packed operator (4 D) for the whole solve; plus the larger of the setup's temporaries
    /// (<see cref="TwoLevelPreconditioner.SetupWorkspace"/>, returned to the system before the iteration allocates
    /// anything: <see cref="ReleaseSetup"/>; below <see cref="ReleaseAbove"/> they are not, and count on top) and the iteration's:
    /// FGMRES (<see cref="FlexibleGmres.Workspace"/>), the iterate and right-hand side (2 D), the result and the
    /// certificate (complex rho, K, L rho and products, about 12 D, and the eigendecomposition of the largest
    /// block), and the iterative refinement's (<see cref="RefinementWorkspace"/>; its corrections reuse the FGMRES
    /// vectors of the solve); plus 100 MB for the runtime. Measured against the peak resident set in docs/benchmarks.md.
    /// </summary>
    public static double MemoryEstimate(int L, int m, KrylovOptions o) => MemoryEstimate(L, m, o, LargestCoarse(L, o));

    /// <summary>The same with the coarse dimension known (2^L populations + 2 per coherence pair actually chosen).</summary>
    public static double MemoryEstimate(int L, int m, KrylovOptions o, long coarseDimension)
    {
        var (D, dmax) = Dimensions(L);
        double coarse = coarseDimension;
        double always = TwoLevelPreconditioner.Workspace((long)D, (long)coarse, o.SingleSmoother, o.SingleTransfer) + D + PackedLiouvillian.Workspace((long)D);
        double setup = TwoLevelPreconditioner.SetupWorkspace((long)D, (long)coarse, 1L << L, (long)dmax, o.Threads);
        double iteration = FlexibleGmres.Workspace((long)D, m, o.Augment) + 2 * D + 12 * D + 12 * dmax * dmax;
        double kept = ReleasesSetup(L, o) ? 0 : setup;   // not returned before the iteration (ReleaseSetup)
        return 8 * (always + Math.Max(setup, iteration + RefinementWorkspace((long)D)) + kept) + 100e6;
    }

    /// <summary>Doubles the refinement adds to the solve (there is no setting without it: it runs whenever the double
    /// estimate or the continuity defect is above its targets, on most draws at h ≥ 20): the double-precision profile
    /// estimate's two vectors, the state unpacked to planar form (2 D), <see cref="Refinement.Workspace"/> (the
    /// double-double iterate and residual, the rounded residual), <see cref="CorrectionWorkspace"/> and the corrections'
    /// operator in double-double (<see cref="PackedLiouvillianDoubleDouble.Workspace"/>). The corrections'
    /// FGMRES vectors are the solve's (<see cref="GmresMemory"/>), counted once in
    /// <see cref="MemoryEstimate(int, int, KrylovOptions, long)"/>.</summary>
    public static double RefinementWorkspace(long D) =>
        2.0 * D + 2.0 * D + Refinement.Workspace(D) + CorrectionWorkspace(D) + PackedLiouvillianDoubleDouble.Workspace(D);

    /// <summary>The largest chain length (0 if none) whose estimate at the initial cycle, without coherences in the
    /// coarse space, fits <paramref name="budget"/>: the length limit that depends on memory.</summary>
    public static int LargestLength(KrylovOptions o, double budget)
    {
        int L = 0;
        while (L < FermionParameters.MaxLength && MemoryEstimate(L + 1, o.Restart, o, 1L << (L + 1)) <= budget) L++;
        return L;
    }

    /// <summary>The largest coarse dimension whose <see cref="MemoryEstimate(int, int, KrylovOptions, long)"/> at the
    /// initial cycle fits the budget: the preconditioner chooses no more coherence pairs than this allows (the coarse
    /// matrix and its LU, 2 NC^2 doubles, are the part of the memory the pairs decide).</summary>
    public static long MaxCoarseDimension(int L, KrylovOptions o, double budget)
    {
        long lo = 1L << L, hi = LargestCoarse(L, o);
        if (MemoryEstimate(L, o.Restart, o, hi) <= budget) return hi;
        while (hi - lo > 1)
        {
            long mid = (lo + hi) / 2;
            if (MemoryEstimate(L, o.Restart, o, mid) <= budget) lo = mid; else hi = mid;
        }
        return lo;
    }

    /// <summary>The largest coarse dimension the options allow: 2^L populations and two unknowns per coherence pair.</summary>
    static long LargestCoarse(int L, KrylovOptions o) => (1L << L) + 2L * Pairs(L, o);

    /// <summary>Coherence pairs in the coarse space: <see cref="KrylovOptions.Coherences"/> × 2^L.</summary>
    public static int Pairs(int L, KrylovOptions o) => (int)Math.Round(Math.Max(0, o.Coherences) * Math.Pow(2, L));

    static double Binomial(int n, int k)
    {
        double r = 1;
        for (int i = 1; i <= k; i++) r = r * (n - k + i) / i;
        return Math.Round(r);
    }
}
