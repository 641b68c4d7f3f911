using LanguageExt.Common;

namespace Ness.Cli.Ensemble;

/// <param name="Written">lines written by this run (certified and refused)</param>
/// <param name="Skipped">realizations already in --out (certified, or refused unless --retry-refused)</param>
/// <param name="Total">realizations of this shard</param>
/// <param name="Interrupted">the token was cancelled before all realizations were done</param>
/// <param name="Error">the failure that stopped the run (bad --out, an I/O failure, a bug), or null</param>
/// <param name="Refused">realizations of the shard recorded as refused by the numerics: written now or already in --out</param>
public sealed record EnsembleOutcome(long Written, long Skipped, long Total, bool Interrupted, Error? Error, long Refused = 0)
{
    public bool Complete => Error is null && !Interrupted && Written + Skipped == Total;
}
