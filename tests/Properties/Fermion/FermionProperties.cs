using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using MathNet.Numerics.LinearAlgebra;
using Ness.Operators.Fermion;
using Ness.Pipeline;
using Ness.Pipeline.Fermion;

namespace Ness.Tests.Fermion;

/// <summary>The physics of the fermion-chain steady state (paper, section 3.2), on random small chains.</summary>
[Properties(Arbitrary = [typeof(FermionArbitraries)])]
public class FermionProperties
{
    /// <summary>g1p/g1m = gLp/gLm = e^mu: the steady state is rho ∝ exp(mu N) (section 3.2), the whole
    /// matrix, with zero current everywhere.</summary>
    [Property(MaxTest = 25)]
    public Property EquilibriumIsGrandCanonical() =>
        Prop.ForAll(Chains.Arbitrary(1, 5, Chains.EquilibriumRates), p =>
        {
            var s = Chains.Ok(SteadyState.Direct(p));
            double mu = Math.Log(p.Rates.G1p / p.Rates.G1m);
            double Z = Math.Pow(1 + Math.Exp(mu), p.Length);
            double err = 0;
            for (int n = 0; n <= p.Length; n++)
            {
                var expected = Matrix<Complex>.Build.DenseIdentity(s.Rho[n].RowCount) * (Math.Exp(mu * n) / Z);
                err = Math.Max(err, (s.Rho[n] - expected).Enumerate().Max(z => z.Magnitude));
            }
            var r = Chains.Solve(p);
            double jmax = r.Currents.Bonds.Append(r.Currents.Left).Append(r.Currents.Right).Max(Math.Abs);
            return (err < 1e-12).Label($"max |rho - e^(mu N)/Z| = {err:E2}")
                .And((jmax < 1e-12).Label($"max |current| = {jmax:E2}"));
        });

    /// <summary>Particle conservation: left = right = every bond current.</summary>
    [Property(MaxTest = 25)]
    public Property CurrentIsConserved() =>
        Prop.ForAll(Chains.Arbitrary(2, 5), p =>
        {
            var c = Chains.Solve(p).Currents;
            double scale = Math.Abs(c.Bonds[0]);
            double spread = c.Bonds.Append(c.Right).Max(x => Math.Abs(x - c.Left));
            return (spread <= 1e-12 + 1e-8 * scale).Label($"spread {spread:E2} at |j| = {scale:E2}");
        });

    /// <summary>rho is a state: trace 1, Hermitian, positive semidefinite, and L rho = 0; checked on the density matrix
    /// the front door returns, by this test's own arithmetic (not the certificate's numbers); the certificate's
    /// trace error and smallest eigenvalue must agree with it.</summary>
    [Property(MaxTest = 25)]
    public Property SolutionIsAState(FermionParameters p)
    {
        var s = Chains.Ok(FermionChain.SteadyState(p, FermionSolver.Direct, extras: FermionExtras.DensityMatrix));
        var rho = s.DensityMatrix.IfNone(() => throw new InvalidOperationException("requested"));
        Complex tr = 0;
        double herm = 0, minEig = double.PositiveInfinity, res = 0;
        var B = SectorBlocks.Create(p.Length, p.Hopping, p.Interaction, p.Fields.AsSpan(), p.Rates.ToArray());
        var R = SectorLiouvillian.Apply(B, SectorLiouvillian.EffectiveHamiltonian(B), [.. rho]);
        for (int n = 0; n <= p.Length; n++)
        {
            tr += rho[n].Trace();
            herm = Math.Max(herm, (rho[n] - rho[n].ConjugateTranspose()).Enumerate().Max(z => z.Magnitude));
            minEig = Math.Min(minEig, rho[n].Evd(Symmetricity.Hermitian).EigenValues.Min(e => e.Real));
            res = Math.Max(res, R[n].Enumerate().Max(z => z.Magnitude));
        }
        double trErr = (tr - 1).Magnitude;
        return (trErr < 1e-13).Label($"trace error {trErr:E2}")
            .And((herm < 1e-14).Label($"hermiticity {herm:E2}"))
            .And((minEig > -1e-12).Label($"min eigenvalue {minEig:E2}"))
            .And((res < 1e-10).Label($"max |L rho| {res:E2}"))
            .And((Math.Abs(s.Certificate.Stat("min_eigenvalue") - minEig) <= 1e-12).Label("certificate's min eigenvalue"))
            .And((Math.Abs(s.Certificate.Stat("trace_error") - trErr) <= 1e-14).Label("certificate's trace error"));
    }

    /// <summary>The q = 0 sector solution equals the full 4^L solution, which has nothing outside the sector.</summary>
    [Property(MaxTest = 12)]
    public Property SectorEqualsFullSpace() =>
        Prop.ForAll(Chains.Arbitrary(1, 4), p =>
        {
            var sector = Chains.Ok(SteadyState.Direct(p));
            var (full, off) = FullSpace.Solve(p);
            double err = MaxDifference(sector, full);
            return (err < 1e-11).Label($"max |rho_sector - rho_full| = {err:E2}")
                .And((off < 1e-13).Label($"largest entry outside q = 0: {off:E2}"));
        });

    /// <summary>The spin picture (boundary jumps without Jordan–Wigner strings) gives the same steady state.</summary>
    [Property(MaxTest = 12)]
    public Property SpinPictureAgrees() =>
        Prop.ForAll(Chains.Arbitrary(2, 4), p =>
        {
            var (fermion, _) = FullSpace.Solve(p);
            var (spin, _) = FullSpace.Solve(p, spinPicture: true);
            double err = MaxDifference(fermion, spin);
            return (err < 1e-11).Label($"max |rho_fermion - rho_spin| = {err:E2}");
        });

    /// <summary>Mirror: reversed fields with left and right rates swapped give the mirrored profile
    /// and the reversed current.</summary>
    [Property(MaxTest = 25)]
    public Property MirrorSymmetry() =>
        Prop.ForAll(Chains.Arbitrary(2, 5), p =>
        {
            var r = p.Rates;
            var q = Chains.Make(p.Length, p.Hopping, p.Interaction, [r.GLp, r.GLm, r.G1p, r.G1m], [.. p.Fields.Reverse()]);
            var a = Chains.Solve(p);
            var b = Chains.Solve(q);
            double err = a.Profile.Zip(b.Profile.Reverse()).Max(t => Math.Abs(t.Item1 - t.Item2));
            double jerr = Math.Abs(a.Currents.Bonds[0] + b.Currents.Bonds[^1]);
            // two independent LU solves of chains with condition numbers up to ~1e5 (J = 0.3, |h| = 5) differ
            // by rounding up to ~1e-11 (measured 7e-12); a broken reflection shows up at 1e-3 and above
            return (err < 1e-10).Label($"profile mismatch {err:E2}")
                .And((jerr < 1e-10).Label($"current mismatch {jerr:E2}"));
        });

    /// <summary>The stored sector matrix and the blockwise matrix-free application are the same operator.</summary>
    [Property(MaxTest = 20)]
    public Property AssembledEqualsApplied() =>
        Prop.ForAll(Chains.ChainAndVector(1, 5), t =>
        {
            var (p, x) = t;
            var B = SectorBlocks.Create(p.Length, p.Hopping, p.Interaction, p.Fields.AsSpan(), p.Rates.ToArray());
            var T = SectorLiouvillian.Assemble(B);
            var y = new Complex[x.Length];
            for (int k = 0; k < T.Count; k++) y[T.I[k]] += T.X[k] * x[T.J[k]];
            var R = SectorLiouvillian.Apply(B, SectorLiouvillian.EffectiveHamiltonian(B), SteadyState.ToBlocks(B, x));
            double err = 0;
            for (int n = 0; n <= B.Length; n++)
            {
                int d = B.BlockSize(n);
                for (int b = 0; b < d; b++)
                    for (int a = 0; a < d; a++)
                        err = Math.Max(err, (R[n][a, b] - y[B.Offset[n] + a + b * d]).Magnitude);
            }
            return (err < 1e-12).Label($"max difference {err:E2}");
        });

    /// <summary>The hop enumerator behind H_n, the bond currents and the Krylov continuity check agrees with the
    /// Jordan–Wigner operators built as sparse matrices: every block H_n equals the n-particle block of H_F.</summary>
    [Property(MaxTest = 20)]
    public Property BlocksOfHamiltonianEqualFullSpace(FermionParameters p)
    {
        var basis = FockBasis.Create(p.Length);
        var full = Hamiltonian.Full(p.Length, p.Hopping, p.Interaction, p.Fields.AsSpan());
        double err = 0;
        for (int n = 0; n <= p.Length; n++)
        {
            var Hn = Hamiltonian.Block(basis, n, p.Hopping, p.Interaction, p.Fields.AsSpan());
            var s = basis.Blocks[n];
            for (int a = 0; a < s.Length; a++)
                for (int b = 0; b < s.Length; b++)
                    err = Math.Max(err, (full[s[a], s[b]] - Hn[a, b]).Magnitude);
        }
        // the diagonals are sums of the same terms in another order (a few ulps); a wrong sign or target is O(J)
        return (err < 1e-13).Label($"max |H_F[a, b] - H_n[a, b]| = {err:E2}");
    }

    static double MaxDifference(FermionState a, FermionState b)
    {
        double err = 0;
        for (int n = 0; n < a.Rho.Count; n++) err = Math.Max(err, (a.Rho[n] - b.Rho[n]).Enumerate().Max(z => z.Magnitude));
        return err;
    }
}
