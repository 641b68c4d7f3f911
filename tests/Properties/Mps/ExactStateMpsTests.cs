using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Ness.Pipeline;
using Ness.Pipeline.Fermion.Mps;
using Ness.Pipeline.Fermion.Mps.Tensors;
using Ness.Tests.Fermion;

namespace Ness.Tests.Mps;

/// <summary>The exact steady state (density matrix of the exact solvers) written as a Liouville-space MPS:
/// an independent check of the Liouvillian MPO, of the real basis and of the spin picture against the fermion
/// blocks, coherences (the current) included.</summary>
public class ExactStateMpsTests
{
    /// <summary>Random chains, L ≤ 5: the exact NESS as an untruncated MPS is annihilated by the MPO to rounding
    /// (relative residual ≤ 1e-12), has trace 1, and gives back the exact profile and bond currents.</summary>
    [Property(MaxTest = 25)]
    public Property ExactSteadyStateIsAZeroOfTheMpo() =>
        Prop.ForAll(Chains.Chain(1, 5).ToArbitrary(), p =>
        {
            var s = Chains.Ok(FermionChain.SteadyState(p, FermionExtras.DensityMatrix));
            var blocks = s.DensityMatrix.Match(b => b, () => throw new InvalidOperationException("no density matrix"));
            var (psi, discarded) = ExactStateMps.Of(p.Length, ExactStateMps.Coefficients(p.Length, blocks), 1 << (2 * p.Length));
            var K = Ness.Sparse.Dense.DenseKernels.Managed;
            double rel = Networks.NormOfProduct(LiouvillianMpo.Create(p), psi) / (MpsSolver.NormBound(p) * Networks.Norm(K, psi));
            var o = MpsObservables.Of(psi, p.Hopping);
            double dn = s.Profile.Zip(o.Profile).Max(t => Math.Abs(t.Item1 - t.Item2));
            double dj = s.Currents.Bonds.Zip(o.Bonds).Select(t => Math.Abs(t.Item1 - t.Item2)).DefaultIfEmpty(0).Max();
            return (rel <= 1e-12).Label($"relative MPO residual of the exact state {rel:E2}")
                .And((Math.Abs(o.Trace - 1) <= 1e-12).Label($"trace {o.Trace:R}"))
                .And((dn <= 1e-12).Label($"max |dn| = {dn:E2}"))
                .And((dj <= 1e-12).Label($"max |dj| = {dj:E2}"))
                .And((discarded == 0).Label($"discarded weight {discarded:E2} at full bond dimension"));
        });
}
