using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Ness.Pipeline.Fermion;
using Ness.Pipeline.Fermion.Mps;
using Ness.Pipeline.Fermion.Mps.Tensors;
using Ness.Tests.Fermion;
using Xunit;

namespace Ness.Tests.Mps;

/// <summary>The MPS steady state against the exact (direct LU) solver, and the physics it must respect.</summary>
public class MpsSolverTests
{
    static FermionParameters AsMps(FermionParameters p, MpsOptions? o = null) =>
        Chains.Ok(FermionParameters.Create(p.Length, p.Hopping, p.Interaction, p.Rates.ToArray(), [.. p.Fields],
            FermionSolver.Mps, mps: o ?? new MpsOptions(BondDimension: 16)));

    /// <summary>Random chains, L ≤ 5: the certified MPS profile is within the acceptance bound 1e-6 of the
    /// exact one, and so are the bond currents when they are reported as certified.</summary>
    [Property(MaxTest = 15)]
    public Property AgreesWithDirectSolver() =>
        Prop.ForAll(Chains.Chain(1, 5).ToArbitrary(), p =>
        {
            var exact = Chains.Solve(p);
            var mps = Chains.Solve(AsMps(p));
            double dn = exact.Profile.Zip(mps.Profile).Max(t => Math.Abs(t.Item1 - t.Item2));
            double dj = mps.Current.BondsCertified
                ? exact.Current.Bonds.Zip(mps.Current.Bonds).Select(t => Math.Abs(t.Item1 - t.Item2)).DefaultIfEmpty(0).Max()
                : 0;
            return (dn <= 1e-6).Label($"max |dn| = {dn:E2}")
                .And((dj <= 1e-6).Label($"max |dj| = {dj:E2}"))
                .And((mps.Diagnostics.TraceError < 1e-12).Label($"trace error {mps.Diagnostics.TraceError:E2}"));
        });

    /// <summary>Equal bath occupations: rho ∝ exp(mu N) = ⊗_x diag(1 − p, p)/Z is a product state, so an MPS of
    /// bond dimension 1 holds it exactly: the Liouvillian MPO annihilates it to rounding.</summary>
    [Property(MaxTest = 25)]
    public Property EquilibriumProductStateIsExact() =>
        Prop.ForAll(Chains.Chain(1, 6, Chains.EquilibriumRates).ToArbitrary(), p =>
        {
            double occ = p.Rates.G1p / (p.Rates.G1p + p.Rates.G1m);
            var rho = MatrixProductState.Product(p.Length, [1 - occ, occ, 0, 0]);
            var L = LiouvillianMpo.Create(p);
            double rel = Networks.NormOfProduct(L, rho) / (MpsSolver.NormBound(p) * Networks.Norm(Ness.Sparse.Dense.DenseKernels.Managed, rho));
            return (rel < 1e-15).Label($"relative residual of exp(mu N)/Z: {rel:E2}");
        });

    /// <summary>... and the solver finds it at chi = 1, certified by its residual (relative residual ≤ 1e-10, the
    /// exact solvers' bound): n_x = p and no current, to the accuracy that residual vouches for (about
    /// 1e-10 ||L||_est ~ 1e-9). The Galerkin two-site problems are singular here (no bath inside the pair and a
    /// diagonal environment); the minimal-residual fallback is what converges.</summary>
    [Property(MaxTest = 10)]
    public Property EquilibriumIsFoundAtBondDimensionOne() =>
        Prop.ForAll(Chains.Chain(1, 5, Chains.EquilibriumRates).ToArbitrary(), p =>
        {
            var r = Chains.Solve(AsMps(p, new MpsOptions(BondDimension: 1)));
            double occ = p.Rates.G1p / (p.Rates.G1p + p.Rates.G1m);
            double dn = r.Profile.Max(n => Math.Abs(n - occ));
            double j = r.Current.Bonds.Append(r.Current.Left).Append(r.Current.Right).Max(Math.Abs);
            return (dn < 1e-8).Label($"max |n_x - p| = {dn:E2}")
                .And((j < 1e-8).Label($"max |current| = {j:E2}"))
                .And((r.Diagnostics.Statistics["bond_dimension"] == 1).Label("bond dimension 1"))
                .And((r.Diagnostics.RelativeResidual <= 1e-10).Label($"relative residual {r.Diagnostics.RelativeResidual:E2}"));
        });

    /// <summary>Mirror: reversed fields with left and right rates swapped give the mirrored profile and the
    /// reversed current (two independent certified MPS solutions, each within 1e-6 of the exact one).</summary>
    [Property(MaxTest = 10)]
    public Property MirrorSymmetry() =>
        Prop.ForAll(Chains.Chain(2, 5).ToArbitrary(), p =>
        {
            var r = p.Rates;
            var q = Chains.Make(p.Length, p.Hopping, p.Interaction, [r.GLp, r.GLm, r.G1p, r.G1m], [.. p.Fields.Reverse()]);
            var a = Chains.Solve(AsMps(p));
            var b = Chains.Solve(AsMps(q));
            double err = a.Profile.Zip(b.Profile.Reverse()).Max(t => Math.Abs(t.Item1 - t.Item2));
            double jerr = a.Current.BondsCertified && b.Current.BondsCertified ? Math.Abs(a.Current.Bonds[0] + b.Current.Bonds[^1]) : 0;
            return (err < 2e-6).Label($"profile mismatch {err:E2}")
                .And((jerr < 2e-6).Label($"current mismatch {jerr:E2}"));
        });

    /// <summary>The MPO is the Liouvillian: at L = 2 and 3 (bond dimension 16 is exact there) the MPS solution
    /// has a relative residual at rounding level and equals the exact profile to 1e-12.</summary>
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void ExactAtFullBondDimension(int L)
    {
        var p = Chains.Make(L, 1.3, 0.7, [3, 1, 2, 1], [.. Enumerable.Range(0, L).Select(x => 0.9 * x - 1.1)]);
        var exact = Chains.Solve(p);
        var mps = Chains.Solve(AsMps(p));
        Assert.True(mps.Diagnostics.RelativeResidual < 1e-13, $"relative residual {mps.Diagnostics.RelativeResidual:E2}");
        Assert.True(exact.Profile.Zip(mps.Profile).Max(t => Math.Abs(t.Item1 - t.Item2)) < 1e-12);
        Assert.True(exact.Current.Bonds.Zip(mps.Current.Bonds).Max(t => Math.Abs(t.Item1 - t.Item2)) < 1e-12);
    }

    /// <summary>Not converged at the largest allowed bond dimension: refused (exit 3) with the stages reached,
    /// never a number.</summary>
    [Fact]
    public void RefusesWhenNotConverged()
    {
        var p = Chains.Make(6, 1.5, 1, [3, 1, 2, 1], [0.3, -0.2, 0.1, 0.4, -0.5, 0.2]);
        var r = FermionNess.Run(AsMps(p, new MpsOptions(BondDimension: 2)));
        Assert.True(r.IsFail);
        r.IfFail(e => { Assert.Equal(3, e.Code); Assert.Contains("chi 2", e.Message); });
    }

    /// <summary>Memory is estimated before anything is allocated: a bond dimension whose two-site problem cannot
    /// fit is refused (exit 3).</summary>
    [Fact]
    public void RefusesWhatMemoryCannotHold()
    {
        // L = 12: bonds up to min(4096, 4^x, 4^(L−x)) make the middle two-site problem 16 · 256 · 4096 wide
        var p = Chains.Make(12, 1, 1, [3, 1, 2, 1], new double[12]);
        var r = FermionNess.Run(AsMps(p, new MpsOptions(BondDimension: 4096)));
        Assert.True(r.IsFail);
        r.IfFail(e => { Assert.Equal(3, e.Code); Assert.Contains("GB", e.Message); });
    }
}
