using LanguageExt;
using Ness.Pipeline.Ensemble;

namespace Ness.Cli.Ensemble;

/// <summary>One ensemble run: realizations 0..Realizations-1 of shard <see cref="Shard"/>, seed
/// <see cref="Seed"/>, written to <see cref="OutPath"/> (resumable) or, if None, to stdout.</summary>
public sealed record EnsembleRequest(EnsembleModel Model, long Seed, long Realizations, Shard Shard, Option<string> OutPath, int Threads)
{
    /// <summary>Where the lines go, for messages.</summary>
    public string Where => OutPath.IfNone("stdout");
}
