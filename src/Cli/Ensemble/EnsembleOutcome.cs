using LanguageExt.Common;

namespace Ness.Cli.Ensemble;

/// <param name="Written">lines written by this run</param>
/// <param name="Skipped">realizations already complete in --out</param>
/// <param name="Total">realizations of this shard</param>
/// <param name="Interrupted">the token was cancelled before all realizations were done</param>
/// <param name="Error">the failure that stopped the run (bad --out, a realization that failed), or null</param>
public sealed record EnsembleOutcome(long Written, long Skipped, long Total, bool Interrupted, Error? Error)
{
    public bool Complete => Error is null && !Interrupted && Written + Skipped == Total;
}
