namespace Ness.Tests;

/// <summary>A fresh directory for one test (<c>/tmp/PREFIX-XXXXXXXX</c>), deleted with everything in it on
/// <see cref="Dispose"/> (<c>using var dir = ...</c>); it converts to its path.</summary>
public sealed class Scratch : IDisposable
{
    public string Path { get; }

    public Scratch(string prefix)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path);
    }

    public static implicit operator string(Scratch s) => s.Path;

    public override string ToString() => Path;

    /// <summary>Deletes the directory; a child process still writing into it (a test that failed) leaves it behind.</summary>
    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}
