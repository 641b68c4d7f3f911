using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Ness.Pipeline;
using Ness.Pipeline.Fermion;
using Ness.Tests.Fermion;

namespace Ness.Tests.Quadratic;

/// <summary>The exact Gaussian solver of the free-fermion chain (V = 0) against the Liouvillian solvers, and the
/// physics it must respect at any length: equilibrium, continuity, mirror symmetry.</summary>
public class GaussianFermionTests
{
    static Gen<FermionParameters> FreeChain(int minL, int maxL, Gen<double[]>? rates = null, double w = 5, double minJ = 0.3) =>
        from L in Gen.Choose(minL, maxL)
        from J in Chains.Uniform(minJ, 2.0)
        from h in Chains.Uniform(-w, w).ArrayOf(L)
        from g in rates ?? Chains.Rates
        select Chains.Make(L, J, 0, g, h);

    static FermionSteadyState Solve(FermionParameters p, FermionSolver solver = FermionSolver.Gaussian) => Chains.Solve(p, solver);

    /// <summary>Agreement with the direct Liouvillian solver to 1e-10 on chains with J >= 0.5. Below, the Liouvillian
    /// solvers' forward error reaches 1e-10 although their relative residual is ~1e-18 (the slowest relaxation rate is
    /// tiny at J ~ 0.3, |h| ~ 5; the residual certificate does not bound it): see
    /// <see cref="TheLiouvillianSolversForwardErrorOnASlowChain"/>. 4000 draws with J in [0.5, 2]: worst 1.9e-11.</summary>
    [Property(MaxTest = 25)]
    public Property AgreesWithTheDirectLiouvillianSolver() =>
        Prop.ForAll(FreeChain(1, 6, minJ: 0.5).ToArbitrary(), p =>
        {
            var g = Solve(p);
            var d = Solve(p, FermionSolver.Direct);
            Assert.Equal("gaussian", g.Certificate.Method);
            double dn = g.Profile.Zip(d.Profile).Max(t => Math.Abs(t.Item1 - t.Item2));
            double dj = g.Currents.Bonds.Zip(d.Currents.Bonds).Select(t => Math.Abs(t.Item1 - t.Item2)).DefaultIfEmpty(0).Max();
            Assert.True(dn <= 1e-10, $"max |n_gauss - n_direct| = {dn:E2}");
            Assert.True(dj <= 1e-10, $"max |j_gauss - j_direct| = {dj:E2}");
        });

    /// <summary>A slow chain (L = 6, J = 0.328, |h| up to 4.9) against the Lyapunov equation X G + G X^H = −Gamma_plus solved
    /// as a 36 x 36 linear system in 50-digit arithmetic (mpmath, 2026-11-26): the Gaussian solver is exact to rounding;
    /// the direct and Krylov solvers in double precision, with relative residuals ~1e-18, were off by 7.5e-11 and 7.3e-11
    /// (a residual does not bound the forward error when the slowest rate is small); with iterative refinement in
    /// double-double (docs/numerics.md) both are exact to rounding.</summary>
    [Fact]
    public void TheLiouvillianSolversForwardErrorOnASlowChain()
    {
        double[] rates = [1.2613908379624554, 0.35787991087784987, 2.5837994158192537, 1.0814143792173891];
        double[] h = [0.9934147568388907, 1.84326563814807, -4.801921928209216, 0.8917505833747565, 4.916289956269921, -1.1934289039082029];
        double[] exact = [0.7789867477993625667, 0.77898534939779502974, 0.77877928041759321342, 0.71725171779614576729,
                          0.70497208499272202573, 0.70495200111788563157];
        var g = Solve(Chains.Make(6, 0.3277925320099073, 0, rates, h), FermionSolver.Gaussian);
        var d = Solve(Chains.Make(6, 0.3277925320099073, 0, rates, h), FermionSolver.Direct);
        double dg = g.Profile.Zip(exact).Max(t => Math.Abs(t.Item1 - t.Item2));
        double dd = d.Profile.Zip(exact).Max(t => Math.Abs(t.Item1 - t.Item2));
        Assert.True(dg <= 1e-14, $"gaussian: max |n - exact| = {dg:E2}");
        Assert.True(dd <= 1e-14, $"direct: max |n - exact| = {dd:E2}");
        var k = Solve(Chains.Make(6, 0.3277925320099073, 0, rates, h), FermionSolver.Krylov);
        double dk = k.Profile.Zip(exact).Max(t => Math.Abs(t.Item1 - t.Item2));
        double est = k.Certificate.Stat("profile_error_estimate");
        Assert.True(dk <= est, $"krylov: max |n - exact| = {dk:E2} above its profile_error_estimate {est:E2}");
    }

    /// <summary>The Krylov solver's profile_error_estimate (M^{-1} of its residual and of the operator's rounding) tracks its
    /// actual error against the exact Gaussian solver: at most 10 times the estimate, plus 1e-13 for the Gaussian's own
    /// rounding. Sampled before (54 chains, L = 6, 8, J = 0.3–1, W = 3–10): error/estimate median 0.09, largest 4.3.
    /// On the pinned slow chain below the estimate is 4.0e-10 against an actual error of 8.9e-11.</summary>
    [Property(MaxTest = 25)]
    public Property KrylovErrorEstimateBoundsItsActualError() =>
        Prop.ForAll(FreeChain(4, 6, w: 8).ToArbitrary(), p =>
        {
            var g = Solve(p);
            var k = Solve(p, FermionSolver.Krylov);
            double err = g.Profile.Zip(k.Profile).Max(t => Math.Abs(t.Item1 - t.Item2));
            double est = k.Certificate.Stat("profile_error_estimate");
            return (err <= 10 * est + 1e-13).Label($"max |n_krylov − n_gauss| = {err:E2}, estimate {est:E2}");
        });

    [Theory]
    [InlineData(8, 3)]
    [InlineData(9, 11)]
    public void AgreesWithTheKrylovSolverAtL8And9(int L, int seed)
    {
        var h = Ness.Pipeline.Disorder.Uniform(seed, 0, L, -3, 3);
        var g = Solve(Chains.Make(L, 1, 0, [3, 1, 2, 1], h), FermionSolver.Gaussian);
        var k = Solve(Chains.Make(L, 1, 0, [3, 1, 2, 1], h), FermionSolver.Krylov);
        double dn = g.Profile.Zip(k.Profile).Max(t => Math.Abs(t.Item1 - t.Item2));
        double dj = g.Currents.Bonds.Zip(k.Currents.Bonds).Max(t => Math.Abs(t.Item1 - t.Item2));
        Assert.True(dn <= 1e-10, $"max |n_gauss - n_krylov| = {dn:E2}");
        Assert.True(dj <= 1e-10, $"max |j_gauss - j_krylov| = {dj:E2}");
    }

    [Property(MaxTest = 25)]
    public Property EqualOccupationsGiveTheFlatEquilibrium() =>
        Prop.ForAll(FreeChain(1, 60, Chains.EquilibriumRates, 8).ToArbitrary(), p =>
        {
            var r = Solve(p);
            double f = p.Rates.G1p / (p.Rates.G1p + p.Rates.G1m);
            Assert.All(r.Profile, n => Assert.True(Math.Abs(n - f) <= 1e-15, $"n = {n:R}, f = {f:R}"));
            Assert.All(r.Currents.Bonds, j => Assert.True(Math.Abs(j) <= 1e-15, $"j = {j:R}"));
            Assert.True(r.Certificate.Stat("equilibrium_error") <= ModeCertificate.MaxEquilibriumError, $"equilibrium check {r.Certificate.Stat("equilibrium_error"):E2}");
        });

    [Property(MaxTest = 25)]
    public Property CurrentIsContinuousAlongAllBonds() =>
        Prop.ForAll(FreeChain(2, 40).ToArbitrary(), p =>
        {
            var r = Solve(p);
            // the bond-local -2 J Im G_{x,x+1} of every bond against the transmission current, relative to |J| max f
            Assert.True(r.Certificate.Stat("current_continuity_error") <= 1e-10);
            // the boundary formulas lose digits to cancellation but must agree absolutely
            double j = r.Currents.Bonds[0];
            Assert.True(Math.Abs(r.Currents.Left - j) <= 1e-12 * (1 + Math.Abs(j)), $"left {r.Currents.Left:R} vs {j:R}");
            Assert.True(Math.Abs(r.Currents.Right - j) <= 1e-12 * (1 + Math.Abs(j)), $"right {r.Currents.Right:R} vs {j:R}");
        });

    [Property(MaxTest = 25)]
    public Property MirrorSymmetry() =>
        Prop.ForAll(FreeChain(2, 40).ToArbitrary(), p =>
        {
            var r = Solve(p);
            var g = p.Rates;
            var m = Solve(Chains.Make(p.Length, p.Hopping, 0, [g.GLp, g.GLm, g.G1p, g.G1m], [.. p.Fields.Reverse()]), FermionSolver.Gaussian);
            int L = p.Length;
            for (int x = 0; x < L; x++)
                Assert.True(Math.Abs(r.Profile[x] - m.Profile[L - 1 - x]) <= 1e-10, $"site {x + 1}: {r.Profile[x]:R} vs {m.Profile[L - 1 - x]:R}");
            double j = r.Currents.Bonds[0], jm = m.Currents.Bonds[0];
            Assert.True(Math.Abs(j + jm) <= 1e-8 * Math.Abs(j) + 1e-300, $"current {j:R} vs mirrored {jm:R}");
        });

    [Fact]
    public void AutoPicksGaussianWheneverVIsZero()
    {
        var p = Chains.Make(3, 1, 0, [3, 1, 2, 1], [0.1, 0.2, 0.3]);
        Assert.Equal("gaussian", Solve(p, FermionSolver.Auto).Certificate.Method);
        var q = Chains.Make(3, 1, 1, [3, 1, 2, 1], [0.1, 0.2, 0.3]);
        Assert.Equal("direct", Solve(q, FermionSolver.Auto).Certificate.Method);
    }
}
