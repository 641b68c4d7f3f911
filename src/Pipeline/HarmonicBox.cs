using System.Collections.Immutable;
using System.Diagnostics;
using LanguageExt;
using Ness.Operators.Harmonic;
using Ness.Pipeline.Harmonic;
using Ness.Pipeline.Lattice;
using static LanguageExt.Prelude;

namespace Ness.Pipeline;

/// <summary>
/// The harmonic model of section 2 on a box in Z^d (d = 1, 2, 3) with baths on any boundary set, and the one front
/// door to its steady state (`ness harmonic --shape`, ensembles and `reproduce --figure lattice` go through it):
/// describe the box (<see cref="Create"/> or <see cref="Disordered"/>), then <see cref="SteadyState"/> returns the
/// certified profile, its slice means and the energy current into each bath, or an error (<see cref="BadInput"/>,
/// <see cref="NumericsRefused"/>). <see cref="BathCoupling.Weak"/> is eq. (2.10), <see cref="BathCoupling.Finite"/>
/// the exact covariance of eqs. (2.5)–(2.6). The chain with baths at both ends has its own door,
/// <see cref="HarmonicChain"/> (exact in the tails at any length).
/// </summary>
public static class HarmonicBox
{
    /// <summary>A box with explicit pinning (one value per site, x fastest) and coupling g; baths on the faces x = 1
    /// (T1) and x = NX (T2), or the given bath set.</summary>
    public static Fin<LatticeParameters> Create(
        Box box, double[] pinning, BathCoupling bath, double coupling = HarmonicParameters.DefaultCoupling,
        double t1 = 1, double t2 = 2, Option<ImmutableArray<Bath>> baths = default) =>
        LatticeParameters.Create(box, coupling, Lambda(bath), bath is BathCoupling.WeakLimit, [t1, t2], baths,
            Some(pinning), None, None);

    /// <summary>A box with pinning uniform in [a, b) drawn by <see cref="Disorder"/> for (seed, realization):
    /// realization 0 is <c>ness harmonic --shape ... --seed S</c>, realization r the r-th line of the ensemble.</summary>
    public static Fin<LatticeParameters> Disordered(
        Box box, long seed, BathCoupling bath, long realization = 0, double a = 1, double b = 2,
        double coupling = HarmonicParameters.DefaultCoupling, double t1 = 1, double t2 = 2, Option<ImmutableArray<Bath>> baths = default) =>
        LatticeParameters.Create(box, coupling, Lambda(bath), bath is BathCoupling.WeakLimit, [t1, t2], baths,
            None, Some(new[] { a, b }), Some(seed), realization);

    static Option<double> Lambda(BathCoupling bath) => bath is BathCoupling.Finite f ? Some(f.Lambda) : None;

    /// <summary>The NESS of <paramref name="p"/>: the plan (<see cref="SolverPlan.HarmonicBox"/>) checked against the
    /// memory budget, then eq. (2.10) (dense eigendecomposition of H) or eqs. (2.5)–(2.6) (Bartels–Stewart on the
    /// drift matrix), on <paramref name="threads"/> BLAS threads.</summary>
    public static Fin<LatticeSteadyState> SteadyState(LatticeParameters p, int threads = 1)
    {
        var clock = Stopwatch.StartNew();
        var plan = SolverPlan.HarmonicBox(p.Sites, p.Bath);
        return
            from _ in MemoryBudget.Check(
                $"--shape {p.Box}: the {(p.WeakCoupling ? "weak-coupling profile (dense eigendecomposition of the n x n H)" : "finite-lambda covariance (Schur form of the 2n x 2n drift matrix)")}",
                plan.MemoryEstimate, p.WeakCoupling ? "use a smaller box" : "use a smaller box or --weak-coupling")
            from s in p.WeakCoupling ? LatticeWeakCoupling.Solve(p, threads) : LatticeFiniteCoupling.Solve(p, threads)
            select new LatticeSteadyState(p, s.Temperatures, LatticeNess.SliceMeans(p, s.Temperatures), s.BathCurrents,
                s.BathCurrents.Sum(), s.Certificate, clock.Elapsed.TotalSeconds);
    }
}
