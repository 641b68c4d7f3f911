namespace Ness.Pipeline.Fermion.WeakCoupling;

/// <summary>Settings of the weak-coupling solvers: BLAS threads for the large dense kernels, an optional memory cap
/// (bytes; default <see cref="MemoryBudget.Limit"/>), and a progress callback (the CLI prints it on stderr).</summary>
public sealed record PauliOptions(int Threads = 1, double? MemoryLimitBytes = null, Action<PauliProgress>? Progress = null)
{
    public static readonly PauliOptions Default = new();
}

/// <summary>Where a weak-coupling solve is: <see cref="Stage"/> ("diagonalized", "eliminated"), the sector N just
/// finished, of <see cref="Sectors"/> = L + 1, its dimension, and the time since the start.</summary>
public sealed record PauliProgress(string Stage, int Sector, int Sectors, int Dimension, TimeSpan Elapsed);
