namespace Ness.Pipeline.Fermion.WeakCoupling;

/// <summary>Settings of the weak-coupling solvers: BLAS threads for the large dense kernels, an optional memory cap
/// (bytes; default <see cref="MemoryBudget.Limit"/>), a progress callback (the CLI prints it on stderr), and, for
/// cross-checks, MathNet's tridiagonal QL eigensolver instead of LAPACK dsyevd (<see cref="ManagedEigensolver"/>).</summary>
public sealed record PauliOptions(int Threads = 1, LanguageExt.Option<double> MemoryLimitBytes = default, Action<PauliProgress>? Progress = null)
{
    /// <summary>Diagonalize the sectors with MathNet's managed solver (an independent algorithm: the spread of the two
    /// measures the eigenvector error the certificate estimates).</summary>
    public bool ManagedEigensolver { get; init; }

    /// <summary>A directory for the eliminations' Z_N blocks when they do not fit in memory (the CLI passes the
    /// system temporary directory); null: memory only.</summary>
    public string? SpillDirectory { get; init; }

    public static readonly PauliOptions Default = new();
}

/// <summary>Where a weak-coupling solve is: <see cref="Stage"/> ("diagonalized", "eliminated"), the sector N just
/// finished, of <see cref="Sectors"/> = L + 1, its dimension, and the time since the start.</summary>
public sealed record PauliProgress(string Stage, int Sector, int Sectors, int Dimension, TimeSpan Elapsed);
