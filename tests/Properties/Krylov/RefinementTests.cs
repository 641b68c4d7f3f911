using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Ness.Operators;
using Ness.Operators.Fermion;
using Ness.Pipeline.Fermion;
using Ness.Pipeline.Fermion.Krylov;
using Ness.Tests.Fermion;

namespace Ness.Tests.Krylov;

/// <summary>The double-double kernels are exact where the answer is representable: the error-free transformations on
/// any doubles (checked in exact integer arithmetic), the double-double operations on small integers scaled by powers of
/// two, and the double-double Liouvillian on a chain and a state whose residual is exactly representable.</summary>
public class DoubleDoubleTests
{
    /// <summary>Doubles with a full 53-bit significand, either sign, exponents 2^-40..2^40.</summary>
    static Gen<double> AnyDouble =>
        from hi in Gen.Choose(0, (1 << 26) - 1)
        from lo in Gen.Choose(0, (1 << 27) - 1)
        from e in Gen.Choose(-40, 40)
        from neg in Gen.Elements(false, true)
        select (neg ? -1 : 1) * Math.ScaleB((double)((1L << 52) | ((long)hi << 27) | (long)lo), e - 52);

    /// <summary>v = M 2^E exactly.</summary>
    static (BigInteger M, int E) Split(double v)
    {
        long bits = BitConverter.DoubleToInt64Bits(v);
        int exp = (int)((bits >> 52) & 0x7FF);
        long man = bits & 0xFFFFFFFFFFFFFL;
        if (exp == 0) exp = 1; else man |= 1L << 52;
        var m = new BigInteger(man);
        return (bits < 0 ? -m : m, exp - 1075);
    }

    /// <summary>The exact sum of the terms (each a product of doubles) as an integer times 2^e0, e0 the smallest exponent.</summary>
    static BigInteger Exact(int e0, params double[][] products)
    {
        BigInteger s = 0;
        foreach (var f in products)
        {
            BigInteger m = 1; int e = 0;
            foreach (var v in f) { var (mv, ev) = Split(v); m *= mv; e += ev; }
            s += m << (e - e0);
        }
        return s;
    }

    const int Floor = -1200;

    [Property(MaxTest = 500)]
    public Property TwoSumIsExact() =>
        Prop.ForAll(AnyDouble.ToArbitrary(), AnyDouble.ToArbitrary(), (a, b) =>
        {
            var s = DoubleDouble.TwoSum(a, b);
            return (s.Hi == a + b && Exact(Floor, [a], [b]) == Exact(Floor, [s.Hi], [s.Lo])).Label($"{a:R} + {b:R} = {s}");
        });

    [Property(MaxTest = 500)]
    public Property FastTwoSumIsExactWhenTheFirstIsLarger() =>
        Prop.ForAll(AnyDouble.ToArbitrary(), AnyDouble.ToArbitrary(), (a, b) =>
        {
            if (Math.Abs(a) < Math.Abs(b)) (a, b) = (b, a);
            var s = DoubleDouble.FastTwoSum(a, b);
            return (s.Hi == a + b && Exact(Floor, [a], [b]) == Exact(Floor, [s.Hi], [s.Lo])).Label($"{a:R} + {b:R} = {s}");
        });

    [Property(MaxTest = 500)]
    public Property TwoProdIsExact() =>
        Prop.ForAll(AnyDouble.ToArbitrary(), AnyDouble.ToArbitrary(), (a, b) =>
        {
            var p = DoubleDouble.TwoProd(a, b);
            return (p.Hi == a * b && Exact(Floor, [a, b]) == Exact(Floor, [p.Hi], [p.Lo])).Label($"{a:R} × {b:R} = {p}");
        });

    static Gen<int> Small => Gen.Choose(-(1 << 20), 1 << 20);

    /// <summary>(a + b 2^-60) + (c + d 2^-60), (a + b 2^-60) c, and the complex product of two such numbers with one
    /// factor's low parts zero: all representable in 106 bits, so the operations are exact.</summary>
    [Property(MaxTest = 300)]
    public Property DoubleDoubleOperationsAreExactOnSmallIntegers() =>
        Prop.ForAll((from a in Small from b in Small from c in Small from d in Small select (a, b, c, d)).ToArbitrary(), q =>
        {
            var (a, b, c, d) = q;
            double t = Math.ScaleB(1, -60);
            var x = new DoubleDouble(a, b * t) + 0.0;                // normalized
            var y = new DoubleDouble(c, d * t) + 0.0;
            var sum = x + y;
            var prod = x * (double)c;
            var z = new ComplexDoubleDouble(x, y) * new ComplexDoubleDouble(c, d);
            bool ok = Exact(Floor, [sum.Hi], [sum.Lo]) == Exact(Floor, [a], [b, t], [c], [d, t])
                      && Exact(Floor, [prod.Hi], [prod.Lo]) == Exact(Floor, [a, c], [b, t, c])
                      // (x + i y)(c + i d) = (x c − y d) + i (x d + y c)
                      && Exact(Floor, [z.Re.Hi], [z.Re.Lo]) == Exact(Floor, [a, c], [b, t, c], [-c, d], [-d, t, d])
                      && Exact(Floor, [z.Im.Hi], [z.Im.Lo]) == Exact(Floor, [a, d], [b, t, d], [c, c], [d, t, c]);
            return ok.Label($"a = {a}, b = {b}, c = {c}, d = {d}: sum {sum}, product {prod}, complex {z}");
        });

    /// <summary>A chain with integer hopping, interaction and rates and fields in quarters, and a state X = A + 2^-70 B with
    /// A, B of small integers over 16 (any blocks, not Hermitian): L(A) and L(B) are exact in double, so the
    /// double-double L(X) must be exactly L(A) + 2^-70 L(B), i.e. its normalized parts are TwoSum(L(A), 2^-70 L(B)).</summary>
    [Property(MaxTest = 40)]
    public Property DoubleDoubleResidualIsExactOnARepresentableCase() =>
        Prop.ForAll((from L in Gen.Choose(1, 4)
                     from J in Gen.Choose(1, 3)
                     from V in Gen.Choose(0, 3)
                     from h in Gen.Choose(-20, 20).ArrayOf(L)
                     from g in Gen.Choose(0, 4).ArrayOf(4)
                     from seed in Gen.Choose(0, 1000)
                     select (L, J, V, h, g, seed)).ToArbitrary(), t =>
        {
            var B = SectorBlocks.Create(t.L, t.J, t.V, [.. t.h.Select(v => v / 4.0)], [.. t.g.Select(v => (double)v)]);
            var op = new BlockLiouvillian(B);
            int D = op.Dimension;
            var rng = new Random(t.seed);
            double[] Ints() => [.. Enumerable.Range(0, D).Select(_ => rng.Next(-64, 65) / 16.0)];
            var (aR, aI, bR, bI) = (Ints(), Ints(), Ints(), Ints());
            double s = Math.ScaleB(1, -70);
            var x = DoubleDoubleBlocks.Of(aR, aI);
            for (int k = 0; k < D; k++) { x.ReLo[k] = s * bR[k]; x.ImLo[k] = s * bI[k]; }
            var y = DoubleDoubleBlocks.Create(D);
            op.ApplyDoubleDouble(x, y, threads: 2);
            var (laR, laI, lbR, lbI) = (new double[D], new double[D], new double[D], new double[D]);
            op.Apply(aR, aI, laR, laI);
            op.Apply(bR, bI, lbR, lbI);
            for (int k = 0; k < D; k++)
            {
                var r = DoubleDouble.TwoSum(laR[k], s * lbR[k]);
                var i = DoubleDouble.TwoSum(laI[k], s * lbI[k]);
                if (r != new DoubleDouble(y.ReHi[k], y.ReLo[k]) || i != new DoubleDouble(y.ImHi[k], y.ImLo[k]))
                    return false.Label($"entry {k}: {y.ReHi[k]:R} + {y.ReLo[k]:R}, expected {r}; imaginary {y.ImHi[k]:R} + {y.ImLo[k]:R}, expected {i}");
            }
            return true.ToProperty();
        });
}

/// <summary>Mixed-precision iterative refinement (GMRES-IR) of the Liouvillian solvers against the exact Gaussian solver
/// at V = 0, on chains whose slowest populations relax so slowly that double precision alone is measurably off.</summary>
public class RefinementTests
{
    static readonly KrylovOptions NoRefinement = KrylovOptions.Default with
    {
        Refinement = new Refinement.Settings(ProfileTarget: double.PositiveInfinity, CurrentTarget: double.PositiveInfinity),
        MaxProfileError = 1,
    };

    static double MaxDiff(IEnumerable<double> a, IEnumerable<double> b) => a.Zip(b).Max(t => Math.Abs(t.Item1 - t.Item2));

    static double MaxRelDiff(IEnumerable<double> a, IEnumerable<double> b) =>
        a.Zip(b).Max(t => Math.Abs(t.Item1 - t.Item2) / Math.Abs(t.Item2));

    /// <summary>The slow chain of <c>TheLiouvillianSolversForwardErrorOnASlowChain</c> (double precision: direct 7.5e-11,
    /// Krylov 7.3e-11 off a 50-digit solve): refined at the default targets (1e-10), both are within their estimates and
    /// the estimates within the targets; refined to targets of 1e-12, both agree with the 50-digit profile to 1e-14.</summary>
    [Fact]
    public void RefinedSolversMatchThe50DigitSolveOfTheSlowChain()
    {
        double[] rates = [1.2613908379624554, 0.35787991087784987, 2.5837994158192537, 1.0814143792173891];
        double[] h = [0.9934147568388907, 1.84326563814807, -4.801921928209216, 0.8917505833747565, 4.916289956269921, -1.1934289039082029];
        double[] exact = [0.7789867477993625667, 0.77898534939779502974, 0.77877928041759321342, 0.71725171779614576729,
                          0.70497208499272202573, 0.70495200111788563157];
        var strict = KrylovOptions.Default with { Refinement = new Refinement.Settings(ProfileTarget: 1e-12, CurrentTarget: 1e-12) };
        foreach (var solver in new[] { FermionSolver.Direct, FermionSolver.Krylov })
            foreach (var (options, name) in new[] { (KrylovOptions.Default, "default targets"), (strict, "targets 1e-12") })
            {
                var r = Chains.Solve(Chains.Make(6, 0.3277925320099073, 0, rates, h), solver, options);
                double err = MaxDiff(r.Profile, exact);
                double est = r.Certificate.Stat("profile_error_estimate");
                Assert.True(r.Certificate.Stat("refinement_steps") >= 1, $"{solver}, {name}: not refined");
                Assert.True(est <= options.Refinement.ProfileTarget, $"{solver}, {name}: estimate {est:E2} above the target");
                Assert.True(err <= est, $"{solver}, {name}: error {err:E2} above its estimate {est:E2}");
                if (options == strict) Assert.True(err <= 1e-14, $"{solver}, {name}: max |n - exact| = {err:E2}");
            }
    }

    /// <summary>Strongly disordered free chains, V = 0, J = 0.3, h = 40, where the Krylov solver in double precision is
    /// measurably off the Gaussian solver: L = 8, seed 1 (double-precision estimate 1.3e-4; at least 1e-9 off) and L = 9,
    /// seed 3 (estimate 0.18, u κ near 1; at least 1e-6 off; its siblings at L = 10 were refused before the corrections
    /// applied L in double-double). Refined, the profile agrees to 1e-12 and within its estimate, and every bond current
    /// to 1e-10 relative.</summary>
    [Theory]
    [InlineData(8, 1, 1e-9)]
    [InlineData(9, 3, 1e-6)]
    public void RefinementRemovesTheDoublePrecisionErrorOfAStronglyDisorderedChain(int L, long seed, double minOff)
    {
        var p = Chains.Make(L, 0.3, 0, [3, 1, 2, 1], Ness.Pipeline.Disorder.Uniform(seed, 0, L, -40, 40));
        var g = Chains.Solve(p, FermionSolver.Gaussian);
        var plain = Chains.Solve(p, FermionSolver.Krylov, NoRefinement);
        var k = Chains.Solve(p, FermionSolver.Krylov);
        double off = MaxDiff(plain.Profile, g.Profile), err = MaxDiff(k.Profile, g.Profile);
        double est = k.Certificate.Stat("profile_error_estimate");
        Assert.True(off >= minOff, $"double precision alone is only {off:E2} off: the chain does not test refinement");
        Assert.True(err <= 1e-12, $"refined krylov: max |n - n_gauss| = {err:E2} (double alone {off:E2})");
        Assert.True(err <= est, $"refined krylov: error {err:E2} above its estimate {est:E2}");
        double dj = MaxRelDiff(k.Currents.Bonds, g.Currents.Bonds);
        Assert.True(dj <= 1e-10, $"refined krylov: bond currents {dj:E2} relative off the Gaussian's");
    }

    /// <summary>The L = 8 chain above with two refinement steps allowed and targets no double-double iterate reaches (1e-300).
    /// With the single-precision smoother and transfers (the default) the refinement stops short, so the solver solves
    /// again with the preconditioner in double precision (which stops short too) and keeps the better of the two: the
    /// result is accepted (its estimate is far below the gate's 1e-6) with <c>refinement_reached</c> 0, the note
    /// <c>refinement_stopped</c> of the solve kept, what stopped the first solve and what each solve reached; its smoother
    /// and transfers are the ones the flag <c>solved_again_double_smoother</c> names, and its profile agrees with the plain
    /// default solve to 1e-12. With the double-precision smoother and transfers asked for, or with only the continuity
    /// target out of reach, there is one solve and one note; a refinement that reached its targets has none; either part
    /// in single precision alone is solved again.</summary>
    [Fact]
    public void A_refinement_stopped_short_is_solved_again_with_the_double_smoother_and_says_why()
    {
        var p = Chains.Make(8, 0.3, 0, [3, 1, 2, 1], Ness.Pipeline.Disorder.Uniform(1, 0, 8, -40, 40));
        var unreachable = KrylovOptions.Default with
            { Refinement = new Refinement.Settings(ProfileTarget: 1e-300, CurrentTarget: 1e-300, MaxSteps: 2) };
        var shortOf = Chains.Solve(p, FermionSolver.Krylov, unreachable);
        var c = shortOf.Certificate;
        Assert.Equal(0, c.Stat("refinement_reached"));
        string Note(Ness.Pipeline.Certificate cert, string name) => Assert.Single(cert.Facts.OfType<Ness.Pipeline.Note>(), n => n.Name == name).Text;
        Assert.Contains("after 2 refinement steps", Note(c, "refinement_stopped"));
        Assert.Contains("after 2 refinement steps", Note(c, "first_solve_refinement_stopped"));
        Assert.StartsWith("estimate ", Note(c, "first_solve"));
        Assert.StartsWith("estimate ", Note(c, "double_smoother_solve"));
        Assert.Equal(1 - c.Stat("solved_again_double_smoother"), c.Stat("smoother_single_precision"));
        Assert.Equal(1 - c.Stat("solved_again_double_smoother"), c.Stat("coarse_transfer_single_precision"));
        Assert.True(c.Stat("first_solve_iterations") >= 1);
        Assert.True(c.Value("refinement_stopped").IsNone);
        var reached = Chains.Solve(p, FermionSolver.Krylov);
        Assert.Equal(1, reached.Certificate.Stat("refinement_reached"));
        Assert.Empty(reached.Certificate.Facts.OfType<Ness.Pipeline.Note>());
        Assert.True(reached.Certificate.Value("first_solve_iterations").IsNone);
        double dn = MaxDiff(shortOf.Profile, reached.Profile);
        Assert.True(dn <= 1e-12, $"the kept solve is {dn:E2} off the default solve");
        var single = Chains.Solve(p, FermionSolver.Krylov, unreachable with { SingleSmoother = false, SingleTransfer = false });
        Assert.Contains("after 2 refinement steps", Note(single.Certificate, "refinement_stopped"));
        Assert.Single(single.Certificate.Facts.OfType<Ness.Pipeline.Note>());
        Assert.Equal(0, single.Certificate.Stat("smoother_single_precision"));
        Assert.Equal(0, single.Certificate.Stat("coarse_transfer_single_precision"));
        foreach (var half in new[] { unreachable with { SingleSmoother = false }, unreachable with { SingleTransfer = false } })
            Assert.StartsWith("estimate ", Note(Chains.Solve(p, FermionSolver.Krylov, half).Certificate, "double_smoother_solve"));
        // short of the continuity target alone (the profile target met): no second solve, which could not help
        var currents = Chains.Solve(p, FermionSolver.Krylov, KrylovOptions.Default with
            { Refinement = new Refinement.Settings(ProfileTarget: 1e-10, CurrentTarget: 1e-300, MaxSteps: 2) });
        Assert.True(currents.Certificate.Stat("profile_error_estimate") <= 1e-10);
        Assert.Contains("after 2 refinement steps", Note(currents.Certificate, "refinement_stopped"));
        Assert.Single(currents.Certificate.Facts.OfType<Ness.Pipeline.Note>());
        Assert.Equal(1, currents.Certificate.Stat("smoother_single_precision"));
    }

    /// <summary>A refinement whose second correction raises the continuity defect (the profile target met) takes that
    /// correction back and stops: the state returned is the one before it, to double-double rounding, and the defect it
    /// reports is that state's own. Chains L = 2..4 with the paper's rates, a random state, a first correction of zero
    /// and a second that moves the populations by ten times the state (the boundary terms feel it; the currents do not).</summary>
    [Property(MaxTest = 30)]
    public Property A_correction_that_raises_the_continuity_defect_is_taken_back() =>
        Prop.ForAll((from L in Gen.Choose(2, 4)
                     from h in Chains.Uniform(-4, 4).ArrayOf(L)
                     from seed in Gen.Choose(0, 100000)
                     select (L, h, seed)).ToArbitrary(), t =>
        {
            var op = new BlockLiouvillian(SectorBlocks.Create(t.L, 1, 1, t.h, [3, 1, 2, 1]));
            int D = op.Dimension;
            var rng = new Random(t.seed);
            double[] Noise() => [.. Enumerable.Range(0, D).Select(_ => rng.NextDouble() - 0.5)];
            var (re, im) = (Noise(), Noise());
            var bad = new double[D];
            for (int n = 0; n <= t.L; n++)
                for (int a = 0; a < op.Size[n]; a++) bad[op.Offset[n] + a * op.Size[n] + a] = 10 * (rng.NextDouble() + 0.5);
            int calls = 0;
            Refinement.Correction correct = (rRe, rIm, need) =>
                ++calls == 2 ? ((double[])bad.Clone(), new double[D], 1, 0) : (new double[D], new double[D], 1, 0);
            var settings = new Refinement.Settings(ProfileTarget: double.PositiveInfinity, CurrentTarget: 1e-300);
            var x = DoubleDoubleBlocks.Of(re, im);
            var outcome = Refinement.Run(op, 1, 1, x, correct, 0, settings);
            var alone = Refinement.Run(op, 1, 1, DoubleDoubleBlocks.Of(re, im), correct, 0, settings with { MaxSteps = 0 });
            double moved = 0;
            for (int k = 0; k < D; k++)
                moved = Math.Max(moved, Math.Max(Math.Abs(x.ReHi[k] + x.ReLo[k] - re[k]), Math.Abs(x.ImHi[k] + x.ImLo[k] - im[k])));
            return (calls == 2 && outcome.Steps == 1 && outcome.Reason.Contains("taken back") && moved <= 1e-25
                    && Math.Abs(outcome.CurrentDefect - alone.CurrentDefect) <= 1e-12 * alone.CurrentDefect)
                .Label($"calls {calls}, steps {outcome.Steps}, reason '{outcome.Reason}', state moved {moved:E2}, defect {outcome.CurrentDefect:E3} against {alone.CurrentDefect:E3}");
        });

    /// <summary>Slow free chains (J in [0.3, 0.6], |h| up to 8, L = 4..6), refined to targets of 1e-12 (the defaults
    /// aim at 1e-10: at them one chain stopped 2.9e-12 off, within its 1.7e-11 estimate): the refined Krylov profile
    /// agrees with the Gaussian solver to 1e-12 and within its own estimate (plus 1e-14 for the Gaussian's rounding),
    /// and the estimate is within the target.</summary>
    [Property(MaxTest = 15)]
    public Property RefinedKrylovAgreesWithTheGaussianSolver() =>
        Prop.ForAll((from L in Gen.Choose(4, 6)
                     from J in Chains.Uniform(0.3, 0.6)
                     from h in Chains.Uniform(-8, 8).ArrayOf(L)
                     from r in Chains.Rates
                     select Chains.Make(L, J, 0, r, h)).ToArbitrary(), p =>
        {
            var g = Chains.Solve(p, FermionSolver.Gaussian);
            var k = Chains.Solve(p, FermionSolver.Krylov,
                KrylovOptions.Default with { Refinement = new Refinement.Settings(ProfileTarget: 1e-12, CurrentTarget: 1e-12) });
            double err = MaxDiff(k.Profile, g.Profile);
            double est = k.Certificate.Stat("profile_error_estimate");
            return (err <= 1e-12 && err <= est + 1e-14 && est <= 1e-12).Label($"max |n_krylov − n_gauss| = {err:E2}, estimate {est:E2}");
        });
}
