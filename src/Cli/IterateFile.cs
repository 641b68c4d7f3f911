using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using LanguageExt;
using Ness.Pipeline;
using Ness.Pipeline.Fermion;
using Ness.Pipeline.Fermion.Krylov;
using static LanguageExt.Prelude;

namespace Ness.Cli;

/// <summary>
/// `ness fermion --checkpoint FILE`: the Krylov solver's iterate on disk (<see cref="IIterateStore"/>), so that a
/// killed run resumes where the last kept iterate stood. The file holds the problem it belongs to (L, J, V, rates and
/// fields, exactly), the iterations behind it, its relative residual and the packed iterate; it is rewritten
/// atomically (a temporary file renamed over it) at the first restart after every <see cref="Interval"/> and when
/// the solve has converged, and kept after the run (a rerun then starts from the converged iterate and repeats only
/// the setup and the refinement). An ensemble's realizations (<see cref="Ensemble.RealizationRunner"/>) keep the
/// converged iterate only after a solve that has written one before (<see cref="KeepsEveryConverged"/> false), so that
/// thousands of short solves write nothing. A file of another problem is refused (exit 2); a file that cannot be read or
/// written fails before the solve starts (exit 4). A write that fails later is reported on stderr once and the solve
/// goes on without checkpoints: the result does not depend on them.
/// </summary>
public sealed class IterateFile : IIterateStore
{
    const string Magic = "ness-krylov-iterate-1";

    /// <summary>How often a restart's iterate is written (an L = 13 solve restarts every 2–3 minutes).</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMinutes(5);

    public string Path { get; }
    public TimeSpan Interval { get; }
    /// <summary>True (`ness fermion`): the converged iterate is always written; false (ensembles): only if an iterate of
    /// this solve was written before, i.e. the solve ran longer than <see cref="Interval"/>.</summary>
    public bool KeepsEveryConverged { get; }
    readonly string problem;
    readonly TextWriter log;
    Option<Header> saved;
    readonly Stopwatch sinceWrite = Stopwatch.StartNew();
    bool failed, wrote;

    /// <summary>What a checkpoint file says before its iterate: the problem, the iterations and residual behind the iterate,
    /// its length and where it starts in the file.</summary>
    sealed record Header(string Problem, int Iterations, double RelativeResidual, int Length, long Offset);

    IterateFile(string path, TimeSpan interval, bool keepsEveryConverged, string problem, Option<Header> saved, TextWriter log) =>
        (Path, Interval, KeepsEveryConverged, this.problem, this.saved, this.log) = (path, interval, keepsEveryConverged, problem, saved, log);

    /// <summary>The store at <paramref name="path"/> for the problem <paramref name="p"/>: if the file exists, its header is
    /// checked (exit 2 when it belongs to another problem or is not such a file; the iterate itself is read by
    /// <see cref="Load"/>, after the setup), otherwise that the file can be written (exit 4).</summary>
    public static Fin<IterateFile> Open(string path, FermionParameters p, TextWriter log, Option<TimeSpan> interval = default,
                                        bool keepsEveryConverged = true)
    {
        string key = Problem(p);
        try
        {
            Option<Header> saved = None;
            if (File.Exists(path))
            {
                using var f = new BinaryReader(File.OpenRead(path));
                if (Read(f) is not Header h)
                    return new BadInput("--checkpoint", $"'{path}' is not a checkpoint of ness fermion (give a new file name)");
                if (h.Problem != key)
                    return new BadInput("--checkpoint", $"'{path}' holds the iterate of another problem ({h.Problem}); " +
                                                        "give a new file name or delete it");
                saved = h;
            }
            else
            {
                File.WriteAllBytes(path + ".tmp", []);
                File.Delete(path + ".tmp");
            }
            return new IterateFile(path, interval.IfNone(DefaultInterval), keepsEveryConverged, key, saved, log);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return OutputLock.Cannot("--checkpoint", path, "use", e);
        }
    }

    /// <summary>The problem as the file names it: every number exactly (round-trip format).</summary>
    public static string Problem(FermionParameters p)
    {
        string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        return $"fermion L={p.Length} J={R(p.Hopping)} V={R(p.Interaction)} rates={string.Join(",", p.Rates.ToArray().Select(R))} " +
               $"fields={string.Join(",", p.Fields.Select(R))}";
    }

    /// <summary>The kept iterate, read now; None when the file holds none of this dimension, or (said on stderr) when it
    /// can no longer be read: the solve then starts afresh.</summary>
    public Option<SavedIterate> Load(int dimension)
    {
        if (saved.Filter(h => h.Length == dimension).Case is not Header h) return None;
        try
        {
            var x = new double[h.Length];
            using (var f = File.OpenRead(Path))
            {
                f.Seek(h.Offset, SeekOrigin.Begin);
                f.ReadExactly(MemoryMarshal.AsBytes(x.AsSpan()));
            }
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"krylov: resuming from '{Path}' (iteration {h.Iterations}, relative residual {h.RelativeResidual:E2})"));
            return new SavedIterate(h.Iterations, h.RelativeResidual, x);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.WriteLine($"krylov: cannot read the checkpoint '{Path}' ({e.Message}); the solve starts from the coarse steady state");
            return None;
        }
    }

    public void Offer(SavedIterate iterate, bool converged)
    {
        if (failed || (!converged && sinceWrite.Elapsed < Interval) || (converged && !KeepsEveryConverged && !wrote)) return;
        try
        {
            string tmp = Path + ".tmp";
            using (var f = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
            {
                using var w = new BinaryWriter(f, Encoding.UTF8, leaveOpen: true);
                w.Write(Magic);
                w.Write(problem);
                w.Write(iterate.Iterations);
                w.Write(iterate.RelativeResidual);
                w.Write(iterate.X.Length);
                w.Flush();
                f.Write(MemoryMarshal.AsBytes(iterate.X.AsSpan()));
                f.Flush(flushToDisk: true);
            }
            File.Move(tmp, Path, overwrite: true);
            sinceWrite.Restart();
            wrote = true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            failed = true;
            log.WriteLine($"krylov: cannot write the checkpoint '{Path}' ({e.Message}); the solve goes on without checkpoints");
        }
    }

    /// <summary>The header of a checkpoint file, or null when it is not one (wrong header, or not exactly the iterate's
    /// length after it: truncated).</summary>
    static Header? Read(BinaryReader f)
    {
        try
        {
            if (f.ReadString() != Magic) return null;
            string key = f.ReadString();
            int iterations = f.ReadInt32();
            double residual = f.ReadDouble();
            int n = f.ReadInt32();
            long offset = f.BaseStream.Position;
            return n < 0 || (long)n * 8 != f.BaseStream.Length - offset ? null : new Header(key, iterations, residual, n, offset);
        }
        catch (Exception e) when (e is EndOfStreamException or FormatException) { return null; }
    }
}
