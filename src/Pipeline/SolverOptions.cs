using LanguageExt;
using Ness.Pipeline.Fermion.Krylov;

namespace Ness.Pipeline;

/// <summary>
/// How to solve, apart from what (the physics is <see cref="Fermion.FermionParameters"/> or
/// <see cref="Harmonic.HarmonicParameters"/>; the method is chosen by <see cref="SolverPlan"/>): the Krylov solver's
/// settings (tolerances, cycle, threads, kernels), progress and cancellation. The memory budget is
/// <see cref="MemoryBudget"/>'s, replaced by <see cref="KrylovOptions.MemoryLimitBytes"/> when that is given.
/// </summary>
public sealed record SolverOptions
{
    public static readonly SolverOptions Default = new();

    /// <summary>Settings of the matrix-free Krylov solver (ignored by the other methods).</summary>
    public KrylovOptions Krylov { get; init; } = KrylovOptions.Default;

    /// <summary>Called at every restart of the Krylov solver (progress on stderr, traces); nothing by default.</summary>
    public Action<KrylovProgress> Progress { get; init; } = _ => { };

    /// <summary>Called by the weak-coupling Pauli solver after each sector is diagonalized and eliminated.</summary>
    public Action<Fermion.WeakCoupling.PauliProgress> PauliProgress { get; init; } = _ => { };

    /// <summary>A directory where the Pauli solver may keep its elimination blocks when they do not fit in memory
    /// (the CLI passes the system temporary directory); null: memory only.</summary>
    public string? TemporaryDirectory { get; init; }

    /// <summary>Where the Krylov solver keeps its iterate so that a killed run resumes (<see cref="IIterateStore"/>);
    /// None: it starts from the coarse steady state and keeps nothing.</summary>
    public Option<IIterateStore> Iterates { get; init; }

    /// <summary>Observed by the iterative solvers at every restart: a cancelled solve stops there and returns
    /// <see cref="Interrupted"/>.</summary>
    public CancellationToken Cancellation { get; init; }
}
