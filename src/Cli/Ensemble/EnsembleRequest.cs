using LanguageExt;
using Ness.Pipeline.Ensemble;

namespace Ness.Cli.Ensemble;

/// <summary>One ensemble run: realizations 0..Realizations-1 of shard <see cref="Shard"/>, seed
/// <see cref="Seed"/>, written to <see cref="OutPath"/> (resumable) or, if None, to stdout. With
/// <see cref="WaitLock"/> a run whose --out is being written by another waits for it instead of exiting 4; with
/// <see cref="RetryRefused"/> the realizations --out records as refused by the numerics are computed again.</summary>
public sealed record EnsembleRequest(EnsembleModel Model, long Seed, long Realizations, Shard Shard, Option<string> OutPath, int Threads,
                                     bool WaitLock = false, bool RetryRefused = false)
{
    /// <summary>Go on at a refusal; retry the refused realizations of --out if asked.</summary>
    public RunPolicy Policy => new(StopAtRefusal: false, RetryRefused: RetryRefused);

    /// <summary>Where the lines go, for messages.</summary>
    public string Where => OutPath.IfNone("stdout");

    /// <summary>A rerun resumes: the output is a file (not stdout, not a device such as /dev/stdout).</summary>
    public bool Resumable => OutPath.Exists(p => !Path.GetFullPath(p).StartsWith("/dev/", StringComparison.Ordinal));
}
