using Ness.Numerics.Dense;

namespace Ness.Pipeline.Fermion.Krylov;

/// <summary>
/// Settings of the matrix-free Krylov solver, parsed once at the edge of the program (`ness fermion --threads`,
/// and the environment variables of docs/interface.md, "Environment"). Residuals are relative in
/// the sense of the certificate: ||L rho||_F / (||L||_est ||rho||_F).
/// </summary>
/// <param name="MaxIterations">GMRES iterations (preconditioned operator applications) before giving up.</param>
/// <param name="Restart">Initial GMRES cycle length m.</param>
/// <param name="Tolerance">Stop when the TRUE residual (recomputed from rho) is below this.</param>
/// <param name="AcceptTolerance">If GMRES stagnates above <paramref name="Tolerance"/> with no longer cycle left,
/// the state is still returned (flagged "stagnated") when its true residual is below this; otherwise refused.</param>
/// <param name="Augment">Loose GMRES (LGMRES): each cycle also searches the corrections of the last
/// <paramref name="Augment"/> cycles (one Liouvillian application each, no preconditioner); 0 = plain FGMRES.</param>
/// <param name="CurrentTolerance">Also converged when the true relative residual is below
/// <paramref name="CurrentCheckTolerance"/> and the continuity defect is below this fraction of the current
/// (<see cref="ContinuityCriterion"/>).</param>
/// <param name="CurrentCheckTolerance">See <paramref name="CurrentTolerance"/>.</param>
/// <param name="MaxRestart">On stagnation the cycle is doubled (memory permitting) up to this length.</param>
/// <param name="Coherences">Coherences in the coarse space of <see cref="TwoLevelPreconditioner"/>, as pairs of
/// near-degenerate H eigenstates (smallest gaps first) per population: at most Coherences × 2^L pairs, 2 coarse unknowns
/// each, among the pairs the jumps carry intact (<see cref="TwoLevelPreconditioner.CarriedThreshold"/>).</param>
/// <param name="Threads">Threads over blocks in the setup and the smoother; the solver never uses more.</param>
/// <param name="MaxProfileError">Refuse (exit 3) when the estimated forward error of the profile
/// (<c>profile_error_estimate</c>, docs/numerics.md) exceeds this: the residual is then too small a guarantee for the
/// slowest populations (measured at L = 10, V = 0 against the exact Gaussian solver: errors of 1.7e-6 to 6e-5 with
/// residuals of 1e-18, estimates 6e-5 to 2e-3).</param>
public sealed record KrylovOptions(
    int MaxIterations = 20000, int Restart = 60, double Tolerance = 3e-18, double AcceptTolerance = 1e-13,
    int Augment = 3, double CurrentTolerance = 1e-7, double CurrentCheckTolerance = 1e-14,
    int MaxRestart = 480, int Threads = 1, double Coherences = 2.0, double MaxProfileError = 1e-6)
{
    public static readonly KrylovOptions Default = new();

    /// <summary>The dense kernels of the preconditioner (OpenBLAS when it loads).</summary>
    public DenseKernels Kernels { get; init; } = DenseKernels.Best;

    /// <summary>The smoother's eigen-data and products in single precision (<see cref="SylvesterSmoother{T}"/>;
    /// `NESS_KRYLOV_SMOOTHER=double` turns it off).</summary>
    public bool SingleSmoother { get; init; } = true;

    /// <summary>The coarse restriction and prolongation in single precision (<see cref="CoarseTransfer{T}"/>;
    /// `NESS_KRYLOV_TRANSFER=double` turns it off).</summary>
    public bool SingleTransfer { get; init; } = true;

    /// <summary>The smoother also after the coarse correction (<see cref="TwoLevelPreconditioner.PostSmoothing"/>;
    /// `NESS_KRYLOV_POSTSMOOTH=on`): fewer iterations, about the same CPU at L = 9–11, more at L = 12.</summary>
    public bool PostSmoothing { get; init; }

    /// <summary>How the smoother visits the sectors (<see cref="SectorSweep"/>; `NESS_KRYLOV_SWEEP=jacobi` for the block
    /// Jacobi smoother of the solver up to stop 26).</summary>
    public SectorSweep Sweep { get; init; } = SectorSweep.RedBlack;

    /// <summary>An explicit memory budget in bytes, replacing <see cref="Ness.Pipeline.MemoryBudget.Limit"/> (see
    /// <see cref="Ness.Pipeline.MemoryBudget.Of"/>).</summary>
    public LanguageExt.Option<double> MemoryLimitBytes { get; init; }

    /// <summary>Mixed-precision iterative refinement of the result when its estimated profile error or continuity defect
    /// is above the targets (<see cref="Fermion.Refinement"/>, docs/numerics.md).</summary>
    public Refinement.Settings Refinement { get; init; } = Fermion.Refinement.Settings.Default;
}
