namespace Ness.Pipeline.Fermion.Mps;

/// <summary>
/// Settings of the MPS steady-state solver.
/// </summary>
/// <param name="BondDimension">Largest bond dimension chi; chi grows 2, 4, 8, ... up to it (null: up to
/// <see cref="DefaultMaxBond"/>).</param>
/// <param name="ProfileTolerance">Converged when doubling chi moves every n_x by less than this.</param>
/// <param name="SweepTolerance">At fixed chi, sweeps stop when a sweep moves every n_x by less than this.</param>
/// <param name="MaxSweeps">Sweeps per chi before the stage is declared not converged.</param>
/// <param name="CurrentTolerance">Bond currents are certified when their relative spread
/// (max − min) / |mean| is below this.</param>
/// <param name="MemoryLimit">Refuse (exit 3) when the estimated peak memory exceeds this many bytes
/// (or 0.6 of the available memory).</param>
/// <param name="Local">How each two-site problem is posed (see <see cref="LocalProblem"/>).</param>
public sealed record MpsOptions(
    int? BondDimension = null, double ProfileTolerance = 1e-6, double SweepTolerance = 1e-9, int MaxSweeps = 12,
    double CurrentTolerance = 1e-3, double MemoryLimit = 6e9, LocalProblem Local = LocalProblem.Galerkin)
{
    /// <summary>Dense kernels (OpenBLAS when it loads), chosen at the edge like the Krylov solver's.</summary>
    public Ness.Sparse.Dense.DenseKernels Kernels { get; init; } = Ness.Sparse.Dense.DenseKernels.Best;

    public const int DefaultMaxBond = 16;
    public const int StartBond = 4;
    /// <summary>Largest --bond-dimension accepted as input (memory refuses far below it).</summary>
    public const int MaxBondAllowed = 4096;
    public static readonly MpsOptions Default = new();

    public int MaxBond => BondDimension ?? DefaultMaxBond;
}

/// <summary>The two-site equation of the alternating solver. Galerkin: P^T M P θ = P^T b (cheaper, but the
/// projected problem can be singular: e.g. for a block without a bath seen through a diagonal environment,
/// the hopping to the environment projects out and every function of the block's H solves it).
/// MinimalResidual: minimise ||M P θ − b|| (normal equations P^T M^T M P θ = P^T M^T b), always uniquely
/// solvable since M is invertible and P an isometry; every step lowers the global residual.</summary>
public enum LocalProblem { Galerkin, MinimalResidual }
