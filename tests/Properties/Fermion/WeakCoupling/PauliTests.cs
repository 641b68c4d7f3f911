using System.Globalization;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Ness.Pipeline.Fermion;
using Ness.Pipeline.Fermion.WeakCoupling;

namespace Ness.Tests.Fermion.WeakCoupling;

/// <summary>Chains for the weak-coupling properties: 1..6 sites (the Pauli solver is cheap there).</summary>
public static class PauliArbitraries
{
    public static Arbitrary<FermionParameters> Chain() => Chains.Arbitrary(1, 6);
}

/// <summary>The weak-coupling limit of the fermion chain: the Pauli master equation on the eigenstates of H_F
/// (<see cref="PauliMasterEquation"/>) and the one-body formula at V = 0 (<see cref="FreeFermions"/>).</summary>
[Properties(Arbitrary = [typeof(PauliArbitraries)])]
public class PauliTests
{
    static PauliState Pauli(FermionParameters p) => Chains.Ok(PauliMasterEquation.Solve(p, PauliOptions.Default));

    static FreeFermionState Free(FermionParameters p) => Chains.Ok(FreeFermions.Solve(p));

    static double MaxDiff(IEnumerable<double> a, IEnumerable<double> b) => a.Zip(b).Max(t => Math.Abs(t.Item1 - t.Item2));

    /// <summary>With the Z_N spilled to a temporary file (a memory cap that only the spilled elimination fits)
    /// the law is bit for bit the in-memory one on one thread (within 1e-13 on two: the cap makes every dsyevd run in turn
    /// on both threads, which rounds differently), and the directory is empty during the run
    /// (the file's name is removed once it is open, so a killed run leaves nothing behind) and after it.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void SpilledEliminationEqualsInMemory(int threads)
    {
        var p = Chains.Make(9, 1, 1, [3, 1, 2, 1], Ness.Pipeline.Disorder.Uniform(3, 0, 9, -6, 6));
        // the cap: what one stream needs spilled, the least of any schedule (in memory it needs more, on any schedule)
        double spilled = PauliMasterEquation.MemoryEstimate(9, 1, spill: true), inMemory = PauliMasterEquation.MemoryEstimate(9, 1);
        Assert.True(spilled < inMemory, $"spilled {spilled} vs in memory {inMemory}");
        var dir = Directory.CreateTempSubdirectory("ness-spill-test-");
        try
        {
            var seen = new List<int>();
            var o = PauliOptions.Default with { Threads = threads };
            var a = Chains.Ok(PauliMasterEquation.Solve(p, o));
            var b = Chains.Ok(PauliMasterEquation.Solve(p, new PauliOptions(threads, spilled,
                _ => seen.Add(Directory.GetFiles(dir.FullName).Length)) { SpillDirectory = dir.FullName }));
            Assert.Equal(0, a.Statistics["spilled"]);
            Assert.Equal(1, b.Statistics["spilled"]);
            if (threads == 1)
            {
                Assert.Equal(a.Profile.ToArray(), b.Profile.ToArray());
                Assert.Equal(a.ProfileErrorEstimate, b.ProfileErrorEstimate);
            }
            else    // under the cap every sector is diagonalized in turn on two threads, which rounds differently
                Assert.True(MaxDiff(a.Profile, b.Profile) <= 1e-13, $"max |n_spilled - n_memory| = {MaxDiff(a.Profile, b.Profile):E2}");
            Assert.NotEmpty(seen);
            Assert.All(seen, k => Assert.Equal(0, k));
            Assert.Empty(Directory.GetFiles(dir.FullName));
        }
        finally { dir.Delete(recursive: true); }
    }

    /// <summary>At V = 0 the many-body Pauli law equals the one-body formula (two independent computations:
    /// 2^L eigenstates and GTH against L modes by bisection), profile to 1e-10, current to 1e-10 of the boundary fluxes.</summary>
    [Property(MaxTest = 40)]
    public Property FreeChainEqualsOneBodyFormula(FermionParameters q)
    {
        var p = q with { Interaction = 0 };
        var a = Pauli(p);
        var b = Free(p);
        double dn = MaxDiff(a.Profile, b.Profile);
        var g = p.Rates;
        double flux = g.G1p * a.Vacancy[0] + g.G1m * a.Profile[0];
        double dj = Math.Abs(a.Current.Left - b.CurrentPerCoupling);
        return (dn <= 1e-10).Label($"max |n_pauli - n_onebody| = {dn:E2}")
            .And((dj <= 1e-10 * flux).Label($"|J_pauli - J_onebody| = {dj:E2} (fluxes {flux:E2})"));
    }

    /// <summary>g1p/g1m = gLp/gLm = e^mu (equal bath potentials): detailed balance, p_n ∝ e^(mu N_n) exactly,
    /// so every eigenstate of sector N has the same population and n_x = e^mu / (1 + e^mu).</summary>
    [Property(MaxTest = 30)]
    public Property EqualPotentialsGiveGrandCanonicalLaw() =>
        Prop.ForAll(Chains.Arbitrary(1, 6, Chains.EquilibriumRates), p =>
        {
            var s = Pauli(p);
            double mu = Math.Log(p.Rates.G1p / p.Rates.G1m);
            double lnZ = p.Length * Math.Log(1 + Math.Exp(mu));
            double worst = 0;
            for (int N = 0; N <= p.Length; N++)
            {
                var q = s.Law!.Levels[N];
                for (int a = 0; a < q.Length; a++)
                {
                    double expected = mu * N - lnZ;
                    double got = s.Law.LogWeight[N] + Math.Log(q[a]);
                    worst = Math.Max(worst, Math.Abs(got - expected));
                }
            }
            double f = Math.Exp(mu) / (1 + Math.Exp(mu));
            double dn = s.Profile.Max(n => Math.Abs(n - f));
            return (worst <= 1e-12).Label($"max |ln p_n - (mu N - ln Z)| = {worst:E2}")
                .And((dn <= 1e-13).Label($"max |n_x - e^mu/(1+e^mu)| = {dn:E2}"));
        });

    /// <summary>Mirror symmetry: reversing the fields and exchanging the baths (g1p↔gLp, g1m↔gLm) reverses the profile
    /// and the sign of the current.</summary>
    [Property(MaxTest = 30)]
    public Property MirrorSymmetry(FermionParameters p)
    {
        var g = p.Rates;
        var m = Chains.Make(p.Length, p.Hopping, p.Interaction, [g.GLp, g.GLm, g.G1p, g.G1m], [.. p.Fields.Reverse()]);
        var a = Pauli(p);
        var b = Pauli(m);
        double dn = MaxDiff(a.Profile, b.Profile.Reverse());
        double dj = Math.Abs(a.Current.Left + b.Current.Right);
        return (dn <= 1e-12).Label($"max |n_x - n'_(L+1-x)| = {dn:E2}")
            .And((dj <= 1e-12 + a.CurrentErrorEstimate).Label($"|J + J'| = {dj:E2}"));
    }

    /// <summary>Left and right currents (through bath 1 and bath L) agree within the certificate's current error bound.</summary>
    [Property(MaxTest = 40)]
    public Property LeftAndRightCurrentsAgree(FermionParameters p)
    {
        var s = Pauli(p);
        var (l, r) = s.Current;
        return (Math.Abs(l - r) <= s.CurrentErrorEstimate + 1e-14).Label($"left {l:R}, right {r:R}, bound {s.CurrentErrorEstimate:E2}");
    }

    /// <summary>The exact NESS at rates × eps (direct sparse LU on the Liouvillian) approaches the Pauli limit at second
    /// order: at eps1 = 0.01 min(1, eps*) (eps* the certificate's limit) and eps1/10 the distance drops by 30 or more
    /// (eps^2: 100), down to the direct solver's accuracy.</summary>
    [Property(MaxTest = 20)]
    public Property ExactNessApproachesTheLimit() =>
        Prop.ForAll(Chains.Arbitrary(2, 5), p =>
        {
            var s = Pauli(p);
            double eps1 = 0.01 * Math.Min(1, s.LimitEps), eps2 = eps1 / 10;
            double D(double eps)
            {
                var g = p.Rates.ToArray().Select(x => x * eps).ToArray();
                var e = Chains.Solve(Chains.Make(p.Length, p.Hopping, p.Interaction, g, [.. p.Fields]));
                return MaxDiff(e.Profile, s.Profile);
            }
            double d1 = D(eps1), d2 = D(eps2);
            return (d1 <= 1e-3).Label($"at eps = {eps1:E2}: distance {d1:E2}")
                .And((d2 <= d1 / 30 + 1e-8).Label($"at eps = {eps1:E2}: {d1:E2}, at {eps2:E2}: {d2:E2} (eps* = {s.LimitEps:E2})"));
        });

    /// <summary>Strong disorder (h up to 20, L up to 7: tiny matrix elements, near-degenerate pairs): two
    /// eigensolvers (LAPACK dsyevd and MathNet's tridiagonal QL, independent algorithms) give profiles within the
    /// sum of their certificates' error estimates, and within the sum of their current error bounds.</summary>
    [Property(MaxTest = 20)]
    public Property ErrorEstimateCoversTwoEigensolvers() =>
        Prop.ForAll(Arb.From(
            from L in Gen.Choose(3, 7)
            from h in Chains.Uniform(5, 20)
            from x in Chains.Uniform(-1, 1).ArrayOf(L)
            from V in Chains.Uniform(0, 2)
            from g in Chains.Rates
            select Chains.Make(L, 1, V, g, [.. x.Select(v => v * h)])), p =>
        {
            var a = Pauli(p);
            var b = Chains.Ok(PauliMasterEquation.Solve(p, PauliOptions.Default with { ManagedEigensolver = true }));
            double dn = MaxDiff(a.Profile, b.Profile);
            double dj = Math.Abs(a.Current.Left - b.Current.Left);
            return (dn <= a.ProfileErrorEstimate + b.ProfileErrorEstimate)
                    .Label($"max |n_dsyevd - n_ql| = {dn:E2}, estimates {a.ProfileErrorEstimate:E2} + {b.ProfileErrorEstimate:E2}")
                .And((dj <= a.CurrentErrorEstimate + b.CurrentErrorEstimate)
                    .Label($"|J_dsyevd - J_ql| = {dj:E2}, bounds {a.CurrentErrorEstimate:E2} + {b.CurrentErrorEstimate:E2}"));
        });

    /// <summary>Reference/pauli_public.json (LAPACK divide-and-conquer and MRRR in an independent program): to 1e-9.</summary>
    [Fact]
    public void PublicReference()
    {
        var cases = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reference", "pauli_public.json")))!.AsArray();
        Assert.NotEmpty(cases);
        foreach (var c in cases)
        {
            var fields = c!["fields"]!.AsArray().Select(x => (double)x!).ToArray();
            var rates = c["rates"]!.AsArray().Select(x => (double)x!).ToArray();
            var p = Chains.Make((int)c["length"]!, (double)c["hopping"]!, (double)c["interaction"]!, rates, fields);
            var s = Pauli(p);
            var reference = c["profile"]!.AsArray().Select(x => (double)x!).ToArray();
            double dn = MaxDiff(s.Profile, reference);
            Assert.True(dn <= 1e-9, $"L = {p.Length}, V = {p.Interaction}: max |n_x - reference| = {dn:E2}");
            // the reference current is g1p (1 - n_1) - g1m n_1 of its own n_1: it carries the profile's tolerance times g1p + g1m
            double j = (double)c["current_per_coupling"]!, spread = (double)c["current_spread"]!;
            double tol = (p.Rates.G1p + p.Rates.G1m) * 1e-9 + spread;
            Assert.True(Math.Abs(s.Current.Left - j) <= tol, $"L = {p.Length}: current {s.Current.Left:R} vs reference {j:R}");
            if (p.Interaction == 0)
            {
                var f = Free(p);
                Assert.True(MaxDiff(f.Profile, reference) <= 1e-9, $"one-body formula: max |n_x - reference| = {MaxDiff(f.Profile, reference):E2}");
                Assert.True(Math.Abs(f.CurrentPerCoupling - j) <= tol, $"one-body formula: current {f.CurrentPerCoupling:R} vs reference {j:R}");
                // the one-body current has full relative accuracy: the many-body one must be within its own error bound of it
                Assert.True(Math.Abs(f.CurrentPerCoupling - s.Current.Left) <= s.CurrentErrorEstimate,
                    $"many-body current {s.Current.Left:R} vs one-body {f.CurrentPerCoupling:R}: bound {s.CurrentErrorEstimate:E2}");
            }
        }
    }

    /// <summary>V = 0 at L = 8, 10, 12 (h = 10, independent draws): the many-body law against the one-body formula to 1e-10.</summary>
    [Theory]
    [InlineData(8, 1)]
    [InlineData(10, 2)]
    [InlineData(12, 3)]
    public void FreeChainEqualsOneBodyFormulaAtLargerL(int L, long seed)
    {
        var h = Ness.Pipeline.Disorder.Uniform(seed, 0, L, -10, 10);
        var p = Chains.Make(L, 1, 0, [3, 1, 2, 1], h);
        var a = Pauli(p);
        var b = Free(p);
        double dn = MaxDiff(a.Profile, b.Profile);
        Assert.True(dn <= 1e-10, $"max |n_pauli - n_onebody| = {dn:E2}");
        Assert.True(a.ProfileErrorEstimate <= PauliMasterEquation.MaxProfileError, $"estimate {a.ProfileErrorEstimate:E2}");
    }
}
