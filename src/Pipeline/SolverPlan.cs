using LanguageExt;
using Ness.Pipeline.Fermion;
using Ness.Pipeline.Fermion.Krylov;
using Ness.Pipeline.Fermion.WeakCoupling;
using Ness.Pipeline.Harmonic;

namespace Ness.Pipeline;

/// <summary>How a fermion chain will be solved: the method asked for, the method <see cref="SolverPlan"/> chose, the
/// options it runs with and its memory estimate in bytes.</summary>
public sealed record FermionPlan(FermionSolver Requested, FermionSolver Method, SolverOptions Options, double MemoryEstimate)
{
    /// <summary>The Liouvillian solvers (direct, krylov) form the density matrix; the Gaussian solver does not.</summary>
    public bool FormsDensityMatrix => Method is FermionSolver.Direct or FermionSolver.Krylov;

    /// <summary>The weak-coupling limit (rates × eps, eps → 0): pauli or onebody.</summary>
    public bool WeakCoupling => Method is FermionSolver.Pauli or FermionSolver.OneBody;
}

/// <summary>How a harmonic chain will be solved: the method (weak coupling, eq. 2.9, or finite lambda, eq. 2.6) and
/// its memory estimate in bytes.</summary>
public sealed record HarmonicPlan(string Method, double MemoryEstimate);

/// <summary>
/// The one place that decides how a chain is solved, for every caller (the library, `ness fermion`, `ness harmonic`,
/// ensembles, `reproduce`, `bench`): which method <c>auto</c> means, which lengths a method accepts, and the memory
/// it will need (checked against <see cref="MemoryBudget"/> by the solver before anything large is allocated).
/// QuTiP's <c>steadystate(..., method=...)</c> in one function per model.
/// </summary>
public static class SolverPlan
{
    /// <summary>Largest L for which <c>auto</c> chooses the direct solver (V != 0, or a density matrix requested).</summary>
    public const int AutoDirectMaxLength = 6;

    /// <summary>The plan for a chain of <paramref name="length"/> sites with interaction <paramref name="interaction"/>:
    /// auto takes gaussian whenever V = 0 and no density matrix is asked for, else direct up to
    /// <see cref="AutoDirectMaxLength"/> and krylov above. Refuses (exit 2) gaussian with V != 0 or with extras, and
    /// lengths beyond the method's range.</summary>
    public static Fin<FermionPlan> Fermion(int length, double interaction, FermionSolver requested, SolverOptions options,
        FermionExtras extras = FermionExtras.None, bool weakCoupling = false)
    {
        if (weakCoupling || requested is FermionSolver.Pauli or FermionSolver.OneBody)
            return WeakCouplingPlan(length, interaction, requested, options, extras, weakCoupling);
        if (requested == FermionSolver.Gaussian && interaction != 0)
            return new BadInput("--solver",
                $"gaussian solves the free-fermion chain only (--interaction 0, got {interaction}); allowed for V != 0: auto, direct, krylov");
        if (requested == FermionSolver.Gaussian && extras != FermionExtras.None)
            return new BadInput("--solver", "the Gaussian solver has no density matrix; request extras with solver auto, direct or krylov");
        var method = requested switch
        {
            FermionSolver.Auto when interaction == 0 && extras == FermionExtras.None => FermionSolver.Gaussian,
            FermionSolver.Auto => length <= AutoDirectMaxLength ? FermionSolver.Direct : FermionSolver.Krylov,
            _ => requested,
        };
        int limit = method == FermionSolver.Gaussian ? GaussianSolver.MaxLength : FermionParameters.MaxLength;
        if (length < 1 || length > limit)
            return new BadInput("--length",
                method == FermionSolver.Gaussian ? $"{length} is out of range; allowed: 1..{limit} (the Gaussian solver, V = 0)"
                : interaction == 0 && requested == FermionSolver.Auto ? $"{length} is out of range for the density matrix; allowed: 1..{limit}"
                : $"{length} is out of range; allowed: 1..{limit} (--interaction 0: up to {GaussianSolver.MaxLength})");
        return new FermionPlan(requested, method, options, FermionMemory(length, method, options.Krylov));
    }

    /// <summary>The weak-coupling limit: auto takes onebody at V = 0 (any L up to
    /// <see cref="WeakCouplingSolver.OneBodyMaxLength"/>), pauli otherwise (L &lt;= <see cref="WeakCouplingSolver.MaxLength"/>).
    /// Requesting pauli or onebody implies the limit. The limit state is diagonal in the eigenbasis of H_F: no density
    /// matrix or correlations are offered.</summary>
    static Fin<FermionPlan> WeakCouplingPlan(int length, double interaction, FermionSolver requested, SolverOptions options,
        FermionExtras extras, bool weakCoupling)
    {
        if (requested is not (FermionSolver.Auto or FermionSolver.Pauli or FermionSolver.OneBody))
            return new BadInput("--solver", $"{Name(requested)} solves the chain at finite rates; with --weak-coupling: auto, pauli, onebody");
        if (extras != FermionExtras.None)
            return new BadInput("--weak-coupling", "no density matrix or correlations in the weak-coupling limit (the state is diagonal in the eigenbasis of H_F)");
        if (requested == FermionSolver.OneBody && interaction != 0)
            return new BadInput("--solver", $"onebody is the free-fermion formula (--interaction 0, got {interaction}); allowed for V != 0: auto, pauli");
        var method = requested == FermionSolver.Auto
            ? interaction == 0 ? FermionSolver.OneBody : FermionSolver.Pauli
            : requested;
        int limit = method == FermionSolver.Pauli ? WeakCouplingSolver.MaxLength : WeakCouplingSolver.OneBodyMaxLength;
        if (length < 1 || length > limit)
            return new BadInput("--length", method == FermionSolver.Pauli
                ? $"{length} is out of range; allowed with --weak-coupling: 1..{limit} (--interaction 0: up to {WeakCouplingSolver.OneBodyMaxLength})"
                : $"{length} is out of range; allowed: 1..{limit} (the one-body formula, V = 0)");
        double memory = method == FermionSolver.Pauli
            ? PauliMemory(length, options)
            : 64.0 * length + 50e6;
        return new FermionPlan(requested, method, options, memory);
    }

    /// <summary>The Pauli solver's estimate as it will run: in memory when that fits the budget, else with the
    /// elimination blocks in a temporary file when a directory is given; the sector diagonalized ahead only at the
    /// steps where it fits.</summary>
    static double PauliMemory(int L, SolverOptions o)
    {
        int threads = o.Krylov.Threads;
        double cap = MemoryBudget.Of(o.Krylov.MemoryLimitBytes);
        return PauliMasterEquation.Footprint(L, threads, cap, o.TemporaryDirectory is not null).Bytes;
    }

    static string Name(FermionSolver s) => s.ToString().ToLowerInvariant();

    /// <summary>Estimated peak memory in bytes of <paramref name="method"/> (not auto) at length L; for krylov as it will
    /// run: with no more coherence pairs than its budget allows (<see cref="KrylovSolver.MaxCoarseDimension"/>), so that
    /// an ensemble with `NESS_KRYLOV_MEMORY_GB` plans its realizations at once by what each will use.</summary>
    static double FermionMemory(int L, FermionSolver method, KrylovOptions krylov) => method switch
    {
        FermionSolver.Gaussian => GaussianSolver.MemoryEstimate(L),
        FermionSolver.Direct => Ness.Pipeline.Fermion.SteadyState.DirectMemoryEstimate(Ness.Pipeline.Fermion.SteadyState.SectorDimension(L)),
        _ => KrylovSolver.MemoryEstimate(L, krylov.Restart, krylov,
                 KrylovSolver.MaxCoarseDimension(L, krylov, MemoryBudget.Of(krylov.MemoryLimitBytes))),
    };

    /// <summary>The plan for the harmonic model on a box of <paramref name="sites"/> sites: eq. (2.10) by a dense
    /// eigendecomposition of H at weak coupling, eq. (2.5)–(2.6) by Bartels–Stewart on the 2n x 2n drift matrix at
    /// finite lambda (docs/lattice.md).</summary>
    public static HarmonicPlan HarmonicBox(int sites, BathCoupling bath) => bath switch
    {
        BathCoupling.Finite => new HarmonicPlan(Lattice.LatticeFiniteCoupling.Method, Lattice.LatticeFiniteCoupling.MemoryEstimate(sites)),
        _ => new HarmonicPlan(Lattice.LatticeWeakCoupling.Method, Lattice.LatticeWeakCoupling.MemoryEstimate(sites)),
    };

    /// <summary>The plan for a harmonic chain: eq. (2.9) at weak coupling, eq. (2.6)–(2.7) at finite lambda.</summary>
    public static HarmonicPlan Harmonic(int length, BathCoupling bath) => bath switch
    {
        BathCoupling.Finite => new HarmonicPlan(FiniteCoupling.Method, FiniteCoupling.MemoryEstimate(length)),
        _ => new HarmonicPlan(Ness.Pipeline.Harmonic.WeakCoupling.Method, Ness.Pipeline.Harmonic.WeakCoupling.MemoryEstimate(length)),
    };
}
