using Ness.Numerics.Markov;

namespace Ness.Pipeline.Fermion.WeakCoupling;

/// <summary>
/// The Z_N of an elimination kept in a temporary file in a given directory (deleted when closed)
/// instead of memory: at L = 16 they total 4.5 GB per elimination, and the Pauli solver runs two. Written once
/// during the sweep, read back once in the back substitution. On Unix the file's name is removed as soon as it is
/// open, so a killed run leaves nothing behind (the space returns when the process ends).
/// </summary>
public sealed class SpillStore : ILevelStore, IDisposable
{
    readonly FileStream file;
    readonly List<(long Offset, int Length)> index = [];

    public SpillStore(string directory)
    {
        var path = Path.Combine(directory, $"ness-pauli-{Guid.NewGuid():N}.tmp");
        file = new(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 20, FileOptions.DeleteOnClose);
        if (!OperatingSystem.IsWindows()) File.Delete(path);
    }

    public void Put(int level, double[] z)
    {
        if (level != index.Count) throw new ArgumentOutOfRangeException(nameof(level));
        file.Seek(0, SeekOrigin.End);
        index.Add((file.Position, z.Length));
        file.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(z.AsSpan()));
    }

    public double[] Get(int level)
    {
        var (offset, length) = index[level];
        var z = new double[length];
        file.Seek(offset, SeekOrigin.Begin);
        file.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(z.AsSpan()));
        return z;
    }

    public void Dispose() => file.Dispose();
}
