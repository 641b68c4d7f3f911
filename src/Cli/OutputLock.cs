using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using LanguageExt;
using LanguageExt.Common;
using Ness.Pipeline;

namespace Ness.Cli;

/// <summary>
/// One writer per output. The lock is the operating system's: an exclusive <c>flock</c> (which .NET takes for
/// <see cref="FileShare.None"/>) on a lock file beside the output (<c>FILE.lock</c>, or <c>DIR/.ness-lock</c>),
/// so it dies with its process and a run killed with kill -9 never blocks the next one. The lock file holds
/// the holder's pid, host and start time, for the message a second writer gets. The output itself is not
/// locked, so <c>ness aggregate</c> can read a shard that is still being written.
/// </summary>
public sealed class OutputLock : IDisposable
{
    /// <summary>How often a waiting writer (--wait-lock) tries again.</summary>
    static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    readonly FileStream file;
    readonly string path;

    OutputLock(FileStream file, string path) => (this.file, this.path) = (file, path);

    /// <summary>Takes the lock of <paramref name="output"/> (the lock file <paramref name="lockPath"/>). If another
    /// process holds it: exit 4 naming the holder, or with <paramref name="wait"/> wait until it is released.</summary>
    public static Fin<OutputLock> Acquire(string output, string lockPath, string flag, bool wait, TextWriter log,
                                          CancellationToken ct = default)
    {
        bool told = false;
        while (true)
        {
            FileStream fs;
            try
            {
                fs = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
            }
            catch (IOException e) when (IsHeldByAnother(e))
            {
                var who = Holder(lockPath);
                if (!wait)
                    return new IoFailure($"{flag}: '{output}' is being written by another run ({who}); " +
                                         "wait for it to finish, or pass --wait-lock to wait for it");
                if (!told) log.WriteLine($"ness: waiting for '{output}', which is being written by another run ({who}) (--wait-lock)");
                told = true;
                if (ct.WaitHandle.WaitOne(Poll)) return new IoFailure($"{flag}: gave up waiting for '{output}' (interrupted)");
                continue;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
            {
                return Cannot(flag, output, "write", e);
            }
            var stamp = string.Create(CultureInfo.InvariantCulture,
                $"pid {Environment.ProcessId} on host {Environment.MachineName} since {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC");
            bool stamped = true;
            try
            {
                fs.SetLength(0);
                fs.Write(Encoding.UTF8.GetBytes(stamp + "\n"));
            }
            catch (IOException) { stamped = false; } // the stamp is information only (the disk may be full)
            // The lock file may have been removed by its previous holder between our open and our lock: then we
            // hold a file no one else will open. Only the file at the path counts; if it is not ours, try again.
            if (stamped && Holder(lockPath) != stamp)
            {
                fs.Dispose();
                continue;
            }
            return new OutputLock(fs, lockPath);
        }
    }

    /// <summary>An I/O error as a message that names the problem (exit 4), or exit 2 for a name that cannot be a file.</summary>
    public static Error Cannot(string flag, string path, string what, Exception e) => e switch
    {
        DirectoryNotFoundException => new IoFailure($"{flag}: cannot {what} '{path}': the directory '{Path.GetDirectoryName(Path.GetFullPath(path))}' does not exist"),
        UnauthorizedAccessException => new IoFailure($"{flag}: cannot {what} '{path}': permission denied"),
        ArgumentException or NotSupportedException => new BadInput(flag, $"'{path}' is not a valid file name ({e.Message})"),
        _ => new IoFailure($"{flag}: cannot {what} '{path}': {e.Message}"),
    };

    static bool IsHeldByAnother(IOException e) =>
        e.HResult is 11 or 35 or unchecked((int)0x80070020) // EWOULDBLOCK from flock (Linux, macOS), sharing violation (Windows)
        && e is not FileNotFoundException and not DirectoryNotFoundException;

    /// <summary>The stamp in a lock file, read without taking a lock (.NET's own open would ask for a shared
    /// flock, which the holder's exclusive one refuses).</summary>
    static string Holder(string lockPath)
    {
        try
        {
            string text;
            if (OperatingSystem.IsWindows())
            {
                using var fs = new FileStream(lockPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                text = new StreamReader(fs).ReadToEnd();
            }
            else
            {
                int fd = open(lockPath, 0 /* O_RDONLY */);
                if (fd < 0) return "holder unknown";
                var buf = new byte[4096];
                nint n;
                try { n = read(fd, buf, buf.Length); }
                finally { close(fd); }
                text = n > 0 ? Encoding.UTF8.GetString(buf, 0, (int)n) : "";
            }
            text = text.Trim();
            return text.Length > 0 ? text : "holder unknown";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DllNotFoundException or EntryPointNotFoundException)
        {
            return "holder unknown";
        }
    }

    [DllImport("libc", SetLastError = true)] static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);
    [DllImport("libc", SetLastError = true)] static extern nint read(int fd, byte[] buf, nint count);
    [DllImport("libc")] static extern int close(int fd);

    /// <summary>Removes the lock file (while still holding it, so that no one can take the removed file) and
    /// releases the lock.</summary>
    public void Dispose()
    {
        try { File.Delete(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        file.Dispose();
    }
}
