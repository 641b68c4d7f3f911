using System.Numerics;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LanguageExt;
using Ness.Operators.Fermion;
using Ness.Pipeline;
using Ness.Pipeline.Fermion;
using Ness.Pipeline.Fermion.Krylov;
using Ness.Numerics.Dense;
using Ness.Tests.Fermion;
using Ness.Numerics.Krylov;

namespace Ness.Tests.Krylov;

/// <summary>Generators of physical chains for the Krylov tests (L ≤ 6).</summary>
public static class KrylovChains
{
    public static Gen<FermionParameters> Chain(int minL, int maxL) =>
        from L in Gen.Choose(minL, maxL)
        from J in Chains.Uniform(0.3, 2.0)
        from V in Chains.Uniform(0.0, 2.0)
        from W in Chains.Uniform(0.5, 10.0)
        from h in Chains.Uniform(-1, 1).ArrayOf(L)
        from g in Chains.Uniform(0.2, 3.0).ArrayOf(4)
        select Chains.Make(L, J, V, g, [.. h.Select(x => W * x)]);

}

public class KrylovSolverTests
{
    [Property(MaxTest = 25)]
    public Property KrylovAgreesWithDirect() =>
        Prop.ForAll(KrylovChains.Chain(2, 5).ToArbitrary(), p =>
        {
            var k = Chains.Ok(Chains.State(p, FermionSolver.Krylov));
            var d = Chains.Ok(Chains.State(p, FermionSolver.Direct));
            double err = 0;
            for (int n = 0; n <= p.Length; n++) err = Math.Max(err, (k.Rho[n] - d.Rho[n]).Enumerate().Max(z => z.Magnitude));
            var rk = Chains.Solve(p, FermionSolver.Krylov);
            var rd = Chains.Solve(p, FermionSolver.Direct);
            double jerr = rk.Currents.Bonds.Zip(rd.Currents.Bonds).Select(t => Math.Abs(t.Item1 - t.Item2)).DefaultIfEmpty(0).Max();
            return (err <= 1e-9 && jerr <= 1e-9 && rk.Certificate.Method == "krylov")
                .Label($"L={p.Length}: max |rho_krylov - rho_direct| = {err:E2}, bond currents {jerr:E2}");
        });

    /// <summary>The preconditioner's cycle changes the path, not the state: with the post-smoothing
    /// (`NESS_KRYLOV_POSTSMOOTH=on`) and without it (the default), with the smoother in red–black order over the
    /// sectors (the default) or block Jacobi (`NESS_KRYLOV_SWEEP=jacobi`), and with the coarse transfers in single
    /// precision (the default) or double (`NESS_KRYLOV_TRANSFER=double`), the Krylov solver reaches the direct solver's
    /// profile and bond currents, and says how it ran.</summary>
    [Property(MaxTest = 15)]
    public Property EitherCycleReachesTheDirectState() =>
        Prop.ForAll(KrylovChains.Chain(2, 5).ToArbitrary(), Gen.Elements(true, false).ToArbitrary(),
            (from sweep in Gen.Elements(SectorSweep.RedBlack, SectorSweep.Jacobi) from single in Gen.Elements(true, false) select (sweep, single)).ToArbitrary(),
            (p, post, cycle) =>
        {
            var (sweep, single) = cycle;
            var k = Chains.Solve(p, FermionSolver.Krylov, KrylovOptions.Default with { PostSmoothing = post, Sweep = sweep, SingleTransfer = single });
            var d = Chains.Solve(p, FermionSolver.Direct);
            double err = k.Profile.Zip(d.Profile).Max(t => Math.Abs(t.Item1 - t.Item2));
            double jerr = k.Currents.Bonds.Zip(d.Currents.Bonds).Select(t => Math.Abs(t.Item1 - t.Item2)).DefaultIfEmpty(0).Max();
            return (err <= 1e-10 && jerr <= 1e-9 && k.Certificate.Stat("smoother_post") == (post ? 1 : 0)
                    && k.Certificate.Stat("smoother_red_black") == (sweep == SectorSweep.RedBlack ? 1 : 0)
                    && k.Certificate.Stat("coarse_transfer_single_precision") == (single ? 1 : 0))
                .Label($"L={p.Length}, post-smoothing {post}, sweep {sweep}, single transfers {single}: profile {err:E2}, bond currents {jerr:E2} off the direct solver");
        });

    [Theory]
    [MemberData(nameof(ReferenceCases.Cases), MemberType = typeof(ReferenceCases))]
    public void ReferenceCasesWithKrylov(int i) => ReferenceCases.Check(ReferenceCases.Case(i), FermionSolver.Krylov);

    /// <summary>A disorder draw (h = 10, seed 1, realization 314, L = 7) on which restart-60 GMRES with the
    /// populations-only coarse space and the block-Jacobi smoother stagnates at a relative residual of 1.3e-10: the
    /// solver doubles its cycle and converges to the direct solution. With the coherences of near-degenerate pairs in the
    /// coarse space (the default), or with the smoother in red–black order (the default), the same draw converges
    /// without growing the cycle, to the same state.</summary>
    [Fact]
    public void StagnationGrowsTheCycleAndConverges()
    {
        var h = Disorder.Uniform(1, 314, 7, -10, 10);
        var d = Chains.Solve(Chains.Make(7, 1, 1, [3, 1, 2, 1], h), FermionSolver.Direct);
        foreach (var (coherences, sweep) in new[] { (0.0, SectorSweep.Jacobi), (KrylovOptions.Default.Coherences, SectorSweep.Jacobi), (0.0, SectorSweep.RedBlack) })
        {
            var k = Chains.Solve(Chains.Make(7, 1, 1, [3, 1, 2, 1], h), FermionSolver.Krylov,
                KrylovOptions.Default with { Coherences = coherences, Sweep = sweep });
            double growths = k.Certificate.Stat("krylov_restart_growths");
            bool stagnates = coherences == 0 && sweep == SectorSweep.Jacobi;
            Assert.True(stagnates ? growths >= 1 : growths == 0, $"coherences {coherences}, sweep {sweep}: {growths} cycle growths");
            double err = k.Profile.Zip(d.Profile).Max(t => Math.Abs(t.Item1 - t.Item2));
            double jerr = k.Currents.Bonds.Zip(d.Currents.Bonds).Max(t => Math.Abs(t.Item1 - t.Item2) / Math.Abs(t.Item2));
            Assert.True(err <= 1e-10, $"coherences {coherences}: profile differs from direct by {err:E2}");
            Assert.True(jerr <= 1e-6, $"coherences {coherences}: bond currents differ from direct by {jerr:E2} relative");
        }
    }

    [Fact]
    public void TooFewIterationsIsRefused()
    {
        var h = Disorder.Uniform(1, 0, 6, -10, 10);
        var r = Chains.Steady(Chains.Make(6, 1, 1, [3, 1, 2, 1], h), FermionSolver.Krylov, new KrylovOptions(MaxIterations: 3, Restart: 3));
        Assert.True(r.IsFail);
        r.IfFail(e =>
        {
            Assert.IsType<NumericsRefused>(e);
            Assert.Equal(3, e.Code);
            Assert.Contains("did not converge", e.Message);
            Assert.Contains("3 iterations", e.Message);
        });
    }

    /// <summary>The memory estimate covers the iterative refinement (issue 22: at L = 12, h = 40 the refined solve held
    /// 2.9 GB more than its estimate, a second set of FGMRES vectors for the correction): at any length, cycle,
    /// augmentation and coarse dimension it is at least the preconditioner, the packed operator and the solve's FGMRES
    /// vectors (and the rest of the solve), plus what the refinement holds, each counted by the class that allocates it: the double-double iterate
    /// and its residual (<see cref="DoubleDoubleBlocks.Workspace"/> each), the rounded residual and the planar state (4 D)
    /// and the correction's own vectors (<see cref="KrylovSolver.CorrectionWorkspace"/>), or the setup's temporaries where
    /// they are larger (they are returned before the iteration allocates where they can reach
    /// <see cref="KrylovSolver.ReleaseAbove"/> bytes; below, they stay and are counted on top); and a longer cycle costs 2 D per step, one
    /// basis (the corrections reuse the solve's: FlexibleGmresReusesItsVectorsForTheNextSolve), once the solve is the
    /// larger part.</summary>
    [Property(MaxTest = 200)]
    public Property MemoryEstimateCoversTheRefinement() =>
        Prop.ForAll((from L in Gen.Choose(2, 14) from m in Gen.Elements(5, 30, 60, 120, 480) from augment in Gen.Choose(0, 4)
                     from share in Chains.Uniform(0, 1) from single in Gen.Elements(true, false) from transfer in Gen.Elements(true, false)
                     select (L, m, augment, share, single, transfer)).ToArbitrary(), t =>
        {
            var (L, m, augment, share, single, transfer) = t;
            var o = KrylovOptions.Default with { Augment = augment, SingleSmoother = single, SingleTransfer = transfer };
            long D = 0, dmax = 0;
            for (int n = 0; n <= L; n++) { long d = Binomial(L, n); D += d * d; dmax = Math.Max(dmax, d); }
            long coarse = (1L << L) + (long)(share * 2 * KrylovSolver.Pairs(L, o));
            double estimate = KrylovSolver.MemoryEstimate(L, m, o, coarse);
            // held throughout: preconditioner, H blocks, packed operator; then either the setup's temporaries (returned
            // before the iteration allocates) or the solve: FGMRES, iterate and right-hand side, the certificate (12 D and
            // the largest block's eigendecomposition), and the refinement
            double held = TwoLevelPreconditioner.Workspace(D, coarse, single, transfer) + D + PackedLiouvillian.Workspace(D);
            double setup = TwoLevelPreconditioner.SetupWorkspace(D, coarse, 1L << L, dmax, o.Threads);
            double solve = FlexibleGmres.Workspace(D, m, augment) + 2.0 * D + 12.0 * D + 12.0 * dmax * dmax;
            double refinement = 2 * DoubleDoubleBlocks.Workspace(D) + 4.0 * D + KrylovSolver.CorrectionWorkspace(D);
            double step = KrylovSolver.MemoryEstimate(L, m + 1, o, coarse) - estimate;
            bool solveDominates = solve + refinement >= setup;   // then a longer cycle adds its vectors in full
            // small setups are not returned: where even every pair the options allow keeps them below the threshold
            long most = (1L << L) + 2L * KrylovSolver.Pairs(L, o);
            double kept = 8 * TwoLevelPreconditioner.SetupWorkspace(D, most, 1L << L, dmax, o.Threads) < KrylovSolver.ReleaseAbove ? setup : 0;
            return (estimate >= 8 * (held + Math.Max(setup, solve + refinement) + kept) + 100e6
                    && (!solveDominates || Math.Abs(step - 16.0 * D) <= 1e-9 * estimate) && step >= 0 && step <= 16.0 * D * (1 + 1e-9))
                .Label($"L = {L}, m = {m}: estimate {estimate:E3} B, held {8 * held:E3} B + max(setup {8 * setup:E3} B, solve {8 * solve:E3} B " +
                       $"+ refinement {8 * refinement:E3} B) + kept setup {8 * kept:E3} B; one more cycle step {step:E3} B against 16 D = {16.0 * D:E3} B");
        });

    /// <summary>The memory estimate grows with the coarse dimension at every L and option (the budget's bisection for the
    /// largest coarse space, <see cref="KrylovSolver.MaxCoarseDimension"/>, relies on it), also across the size where the
    /// setup's temporaries start to be returned to the system (<see cref="KrylovSolver.ReleasesSetup"/>).</summary>
    [Property(MaxTest = 200)]
    public Property MemoryEstimateGrowsWithTheCoarseSpace() =>
        Prop.ForAll((from L in Gen.Choose(2, 14) from c in Gen.Elements(0.0, 0.5, 1, 2, 4) from threads in Gen.Elements(1, 2, 8, 64)
                     from a in Chains.Uniform(0, 1) from b in Chains.Uniform(0, 1)
                     select (L, c, threads, a, b)).ToArbitrary(), t =>
        {
            var (L, c, threads, a, b) = t;
            var o = KrylovOptions.Default with { Coherences = c, Threads = threads };
            long pairs = 2L * KrylovSolver.Pairs(L, o);
            long small = (1L << L) + (long)(Math.Min(a, b) * pairs), large = (1L << L) + (long)(Math.Max(a, b) * pairs);
            double es = KrylovSolver.MemoryEstimate(L, o.Restart, o, small), el = KrylovSolver.MemoryEstimate(L, o.Restart, o, large);
            return (es <= el).Label($"L = {L}, coherences {c}, {threads} threads: NC {small} -> {es:E4} B, NC {large} -> {el:E4} B");
        });

    static long Binomial(int n, int k)
    {
        long r = 1;
        for (int i = 1; i <= k; i++) r = r * (n - k + i) / i;
        return r;
    }

    [Fact]
    public void MemoryEstimateRefusesInsteadOfCrashing()
    {
        var r = Chains.State(Chains.Make(16, 1, 1, [3, 1, 2, 1], new double[16]), FermionSolver.Krylov);
        Assert.True(r.IsFail);
        r.IfFail(e => { Assert.IsType<NumericsRefused>(e); Assert.Contains("GB", e.Message); });
    }

    /// <summary>A memory budget between the estimate without coherences and the one with the full pair budget: the
    /// solver chooses fewer coherence pairs (room for 100 here) instead of refusing, says so in its statistics, keeps its
    /// estimate within the budget and finds the same steady state; below the estimate without coherences it refuses.</summary>
    [Fact]
    public void MemoryBudgetLimitsTheCoherencePairsInsteadOfRefusing()
    {
        var h = Disorder.Uniform(1, 0, 8, -10, 10);
        var o = KrylovOptions.Default;
        var free = Chains.Ok(Chains.State(Chains.Make(8, 1, 1, [3, 1, 2, 1], h), FermionSolver.Krylov, o));
        double budget = KrylovSolver.MemoryEstimate(8, o.Restart, o, 256 + 2 * 100);
        var tight = Chains.Ok(Chains.State(Chains.Make(8, 1, 1, [3, 1, 2, 1], h), FermionSolver.Krylov, o with { MemoryLimitBytes = budget }));
        var st = tight.Report;
        Assert.True(free.Report.Stat("coarse_coherence_pairs") > 100, $"{free.Report.Stat("coarse_coherence_pairs")} pairs unlimited");
        Assert.Equal(0, free.Report.Stat("coarse_pairs_memory_limited"));
        Assert.Equal(1, st.Stat("coarse_pairs_memory_limited"));
        Assert.True(st.Stat("coarse_coherence_pairs") <= 100, $"{st.Stat("coarse_coherence_pairs")} pairs");
        Assert.True(st.Stat("memory_estimate_bytes") <= budget, $"estimate {st.Stat("memory_estimate_bytes"):E3} > budget {budget:E3}");
        double dn = DensityProfile.Of(free).Zip(DensityProfile.Of(tight), (a, b) => Math.Abs(a - b)).Max();
        Assert.True(dn <= 1e-10, $"profiles differ by {dn:E2}");

        var refused = Chains.State(Chains.Make(8, 1, 1, [3, 1, 2, 1], h), FermionSolver.Krylov, o with { MemoryLimitBytes = KrylovSolver.MemoryEstimate(8, o.Restart, o, 256) - 1 });
        Assert.True(refused.IsFail);
        refused.IfFail(e => { Assert.IsType<NumericsRefused>(e); Assert.Contains("no coherences", e.Message); });
    }

    /// <summary>An explicit budget (NESS_KRYLOV_MEMORY_GB) replaces the default 60 % in both directions (above it too,
    /// for runs like L = 13 whose estimate is measured), never beyond what is available.</summary>
    [Fact]
    public void AnExplicitBudgetReplacesTheDefaultUpToTheAvailableMemory()
    {
        Assert.Equal(MemoryBudget.Limit, MemoryBudget.Of(Option<double>.None));
        Assert.Equal(MemoryBudget.Limit * 1.5, MemoryBudget.Of(Option<double>.Some(MemoryBudget.Limit * 1.5)));
        Assert.Equal(MemoryBudget.Limit / 3, MemoryBudget.Of(Option<double>.Some(MemoryBudget.Limit / 3)));
        Assert.Equal(MemoryBudget.Available, MemoryBudget.Of(Option<double>.Some(MemoryBudget.Available * 2)));
    }

    /// <summary>The forward-error gate: the slow chain of TheLiouvillianSolversForwardErrorOnASlowChain (in double precision
    /// actual error 8.9e-11, estimate 4.0e-10; refined, estimate at most the refinement's target) is accepted at the
    /// default limit and refused, with the estimate in the message, when the limit is below its estimate.</summary>
    [Fact]
    public void ProfileErrorEstimateAboveTheLimitIsRefused()
    {
        double[] rates = [1.2613908379624554, 0.35787991087784987, 2.5837994158192537, 1.0814143792173891];
        double[] h = [0.9934147568388907, 1.84326563814807, -4.801921928209216, 0.8917505833747565, 4.916289956269921, -1.1934289039082029];
        var ok = Chains.Ok(Chains.State(Chains.Make(6, 0.3277925320099073, 0, rates, h), FermionSolver.Krylov));
        double est = ok.Report.Stat("profile_error_estimate");
        Assert.InRange(est, Refinement.RoundingFloor, KrylovOptions.Default.Refinement.ProfileTarget);
        var r = Chains.State(Chains.Make(6, 0.3277925320099073, 0, rates, h), FermionSolver.Krylov, KrylovOptions.Default with { MaxProfileError = est / 2 });
        Assert.True(r.IsFail);
        r.IfFail(e => { Assert.IsType<NumericsRefused>(e); Assert.Equal(3, e.Code); Assert.Contains("cannot be vouched for", e.Message); });
    }

    [Fact]
    public void AutoChoosesDirectForSmallAndKrylovAbove()
    {
        var small = Chains.Make(4, 1, 1, [3, 1, 2, 1], [1, -2, 3, 0.5]);
        Assert.Equal("direct", Chains.Ok(Chains.State(small, FermionSolver.Auto)).Report.Solver);
        var h = Disorder.Uniform(1, 0, SolverPlan.AutoDirectMaxLength + 1, -10, 10);
        var big = Chains.Make(h.Length, 1, 1, [3, 1, 2, 1], h);
        var s = Chains.Ok(Chains.State(big, FermionSolver.Auto));
        Assert.Equal("krylov", s.Report.Solver);
        foreach (var k in new[] { "iterations", "matvecs", "krylov_residual" }) Assert.True(s.Report.Facts.Any(f => f.Name == k), k);
    }
}

public class BlockKernelTests
{
    static SectorBlocks Model(int L, double[] h, double[] g, double J = 1, double V = 1) =>
        SectorBlocks.Create(L, J, V, h, g);

    /// <summary>A chain of L ≤ 5 sites and two vectors of entries in [-0.5, 0.5] on its sector (dimension C(2L, L)).</summary>
    public static Gen<(int L, double[] h, double[] g, double[] x, double[] y)> Small =>
        from L in Gen.Choose(1, 5)
        from h in Chains.Uniform(-6, 6).ArrayOf(L)
        from g in Chains.Uniform(0, 3).ArrayOf(4)
        from x in Chains.Uniform(-0.5, 0.5).ArrayOf(SectorDimension(L))
        from y in Chains.Uniform(-0.5, 0.5).ArrayOf(SectorDimension(L))
        select (L, h, g, x, y);

    static int SectorDimension(int L)
    {
        int D = 0;
        for (int n = 0; n <= L; n++) { int c = 1; for (int i = 1; i <= n; i++) c = c * (L - n + i) / i; D += c * c; }
        return D;
    }

    /// <summary>The blockwise Liouvillian equals the assembled sector matrix, on arbitrary (non-Hermitian) blocks.</summary>
    [Property(MaxTest = 40)]
    public Property BlockwiseApplyEqualsAssembledMatrix() =>
        Prop.ForAll(Small.ToArbitrary(), t =>
        {
            var B = Model(t.L, t.h, t.g);
            var op = new BlockLiouvillian(B);
            int D = op.Dimension;
            var (re, im) = (t.x, t.y);
            var oR = new double[D]; var oI = new double[D];
            op.Apply(re, im, oR, oI);
            // assembled: column-major vec inside blocks (index a + b d); ours: row-major (a d + b)
            var T = SectorLiouvillian.Assemble(B);
            var x = new Complex[D]; var y = new Complex[D];
            for (int n = 0; n <= t.L; n++)
            {
                int d = op.Size[n], o = op.Offset[n];
                for (int a = 0; a < d; a++)
                    for (int b = 0; b < d; b++) x[o + a + b * d] = new Complex(re[o + a * d + b], im[o + a * d + b]);
            }
            for (int k = 0; k < T.Count; k++) y[T.I[k]] += T.X[k] * x[T.J[k]];
            double err = 0;
            for (int n = 0; n <= t.L; n++)
            {
                int d = op.Size[n], o = op.Offset[n];
                for (int a = 0; a < d; a++)
                    for (int b = 0; b < d; b++)
                        err = Math.Max(err, (y[o + a + b * d] - new Complex(oR[o + a * d + b], oI[o + a * d + b])).Magnitude);
            }
            return (err <= 1e-12).Label($"max difference {err:E2}");
        });

    /// <summary>Packing is an isometry from Hermitian blocks (Frobenius) to R^D, and Unpack inverts it.</summary>
    [Property(MaxTest = 30)]
    public Property PackIsAnIsometry() =>
        Prop.ForAll(Small.ToArbitrary(), t =>
        {
            var op = new BlockLiouvillian(Model(t.L, t.h, t.g));
            int D = op.Dimension;
            var p = t.x;
            var re = new double[D]; var im = new double[D];
            op.Unpack(p, re, im);
            var q = new double[D];
            op.Pack(re, im, q);
            double frob = re.Sum(v => v * v) + im.Sum(v => v * v);
            double pn = p.Sum(v => v * v);
            double back = p.Zip(q).Max(z => Math.Abs(z.Item1 - z.Item2));
            bool herm = true;
            for (int n = 0; n <= t.L; n++)
            {
                int d = op.Size[n], o = op.Offset[n];
                for (int a = 0; a < d; a++)
                    for (int b = 0; b < d; b++)
                        herm &= re[o + a * d + b] == re[o + b * d + a] && im[o + a * d + b] == -im[o + b * d + a];
            }
            return (back <= 1e-15 && Math.Abs(frob - pn) <= 1e-12 * pn && herm).Label($"roundtrip {back:E2}");
        });

    /// <summary>The double-precision smoother in block-Jacobi order solves K X + X K+ = R exactly (to rounding).</summary>
    [Property(MaxTest = 20)]
    public Property SmootherSolvesTheSylvesterEquation() =>
        Prop.ForAll(Small.Where(t => t.g.Min() > 0.05).ToArbitrary(), t =>
        {
            var (err, _, _) = Sylvester(t, single: false);
            return (err <= 1e-9).Label($"Sylvester residual {err:E2}");
        });

    /// <summary>In red–black order (the default) the smoother solves the block equation K X + X K+ = R in the even
    /// sectors and, in the odd sectors, the Liouvillian's own equation L(X)_n = R_n: there the jumps from the even
    /// neighbours just solved are included (in double precision, to rounding).</summary>
    [Property(MaxTest = 20)]
    public Property RedBlackSmootherSolvesTheOddSectorsWithTheJumps() =>
        Prop.ForAll(Small.Where(t => t.g.Min() > 0.05).ToArbitrary(), t =>
        {
            var s = Smoothed(t, single: false, SectorSweep.RedBlack);
            double even = 0, odd = 0, jumps = 0;
            for (int n = 0; n <= t.L; n++)
                if (n % 2 == 0) even = Math.Max(even, s.Block[n]);
                else { odd = Math.Max(odd, s.Full[n]); jumps = Math.Max(jumps, s.Block[n]); }
            // the odd sectors' block equation is off by the jumps (which are not small), their Liouvillian equation is not
            return (even <= 1e-9 && odd <= 1e-9 && jumps > 1e-6)
                .Label($"even sectors: block residual {even:E2}; odd sectors: L(X) − R {odd:E2}, block residual {jumps:E2}");
        });

    /// <summary>The mixed-precision smoother (eigen-data and products in float) solves the same equation to single
    /// precision: residual at most 1e-4 of max |R| times the eigenvector condition of K squared (the rounding of the
    /// four products, amplified by V and V^{-1}).</summary>
    [Property(MaxTest = 20)]
    public Property SinglePrecisionSmootherSolvesTheSylvesterEquationToSinglePrecision() =>
        Prop.ForAll(Small.Where(t => t.g.Min() > 0.05).ToArbitrary(), t =>
        {
            var (err, scale, cond) = Sylvester(t, single: true);
            return (err <= 1e-4 * scale * cond * cond).Label($"Sylvester residual {err:E2}, max |R| {scale:E2}, cond(V) {cond:E2}");
        });

    /// <summary>max |K X + X K+ − R| of the block-Jacobi smoother's X, max |R|, and the eigenvector condition of K.</summary>
    static (double err, double scale, double cond) Sylvester((int L, double[] h, double[] g, double[] x, double[] y) t, bool single)
    {
        var s = Smoothed(t, single, SectorSweep.Jacobi);
        return (s.Block.Max(), s.Scale, s.Cond);
    }

    /// <summary>The smoother's X for R = x + i y, per sector n: max |K_n X_n + X_n K_n+ − R_n| (the block equation) and
    /// max |L(X)_n − R_n| (the Liouvillian's, jumps included); max |R| and the eigenvector condition of K.</summary>
    sealed record SmoothedSectors(double[] Block, double[] Full, double Scale, double Cond);

    static SmoothedSectors Smoothed((int L, double[] h, double[] g, double[] x, double[] y) t, bool single, SectorSweep sweep)
    {
        var B = Model(t.L, t.h, t.g);
        var op = new BlockLiouvillian(B);
        var M = Chains.Ok(TwoLevelPreconditioner.Create(op, DenseKernels.Best, 1, singleSmoother: single, sweep: sweep));
        int D = op.Dimension;
        var (re, im) = (t.x, t.y);
        var xR = new double[D]; var xI = new double[D];
        M.Smooth(re, im, xR, xI);
        var lR = new double[D]; var lI = new double[D];
        op.Apply(xR, xI, lR, lI);
        var K = SectorLiouvillian.EffectiveHamiltonian(B);
        var block = new double[t.L + 1]; var full = new double[t.L + 1];
        double scale = 0;
        for (int n = 0; n <= t.L; n++)
        {
            int d = op.Size[n], o = op.Offset[n];
            var X = MathNet.Numerics.LinearAlgebra.Matrix<Complex>.Build.Dense(d, d, (a, b) => new Complex(xR[o + a * d + b], xI[o + a * d + b]));
            var R = MathNet.Numerics.LinearAlgebra.Matrix<Complex>.Build.Dense(d, d, (a, b) => new Complex(re[o + a * d + b], im[o + a * d + b]));
            block[n] = (K[n] * X + X * K[n].ConjugateTranspose() - R).Enumerate().Max(z => z.Magnitude);
            for (int k = o; k < o + d * d; k++) full[n] = Math.Max(full[n], new Complex(lR[k] - re[k], lI[k] - im[k]).Magnitude);
            scale = Math.Max(scale, R.Enumerate().Max(z => z.Magnitude));
        }
        return new SmoothedSectors(block, full, scale, M.EigenvectorCondition);
    }

    /// <summary>Managed SIMD gemm and the active backend agree with the naive triple loop, in double and in single
    /// precision.</summary>
    [Property(MaxTest = 30)]
    public Property GemmKernelsAgree() =>
        Prop.ForAll((from m in Gen.Choose(1, 40) from n in Gen.Choose(1, 40) from k in Gen.Choose(1, 40)
                     from A in Chains.Uniform(-0.5, 0.5).ArrayOf(m * k)
                     from Bm in Chains.Uniform(-0.5, 0.5).ArrayOf(k * n)
                     from C0 in Chains.Uniform(-0.5, 0.5).ArrayOf(m * n)
                     select (m, n, k, A, Bm, C0)).ToArbitrary(), t =>
        {
            var (A, Bm, C0) = (t.A, t.Bm, t.C0);
            var want = new double[t.m * t.n];
            for (int i = 0; i < t.m; i++)
                for (int j = 0; j < t.n; j++)
                {
                    double s = 0;
                    for (int p = 0; p < t.k; p++) s += A[i * t.k + p] * Bm[p * t.n + j];
                    want[i * t.n + j] = 0.7 * s - 1.3 * C0[i * t.n + j];
                }
            var c1 = (double[])C0.Clone(); var c2 = (double[])C0.Clone();
            DenseKernels.Managed.Gemm(t.m, t.n, t.k, 0.7, A, Bm, -1.3, c1);
            DenseKernels.Best.Gemm(t.m, t.n, t.k, 0.7, A, Bm, -1.3, c2);
            double e1 = want.Zip(c1).Max(z => Math.Abs(z.Item1 - z.Item2));
            double e2 = want.Zip(c2).Max(z => Math.Abs(z.Item1 - z.Item2));
            float[] F(double[] v) => v.Select(x => (float)x).ToArray();
            var (fa, fb) = (F(A), F(Bm));
            var f1 = F(C0); var f2 = F(C0);
            DenseKernels.Managed.Gemm(t.m, t.n, t.k, 0.7f, fa, fb, -1.3f, f1);
            DenseKernels.Best.Gemm(t.m, t.n, t.k, 0.7f, fa, fb, -1.3f, f2);
            double s1 = want.Zip(f1).Max(z => Math.Abs(z.Item1 - z.Item2));
            double s2 = want.Zip(f2).Max(z => Math.Abs(z.Item1 - z.Item2));
            return (e1 <= 1e-12 && e2 <= 1e-12 && s1 <= 1e-5 && s2 <= 1e-5)
                .Label($"double: managed {e1:E2}, {DenseKernels.Best.Name} {e2:E2}; single: managed {s1:E2}, {DenseKernels.Best.Name} {s2:E2}");
        });
}
