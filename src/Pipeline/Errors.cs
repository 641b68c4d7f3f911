using LanguageExt.Common;

namespace Ness.Pipeline;

/// <summary>Bad input: the message names the flag and the allowed range. The CLI exits with code 2.</summary>
public record BadInput(string Flag, string Detail) : Expected($"{Flag}: {Detail}", 2);

/// <summary>The numerics refused or could not certify a result (too large for memory, no
/// convergence, failed certification). The CLI exits with code 3 and prints nothing on stdout.</summary>
public record NumericsRefused(string Detail) : Expected(Detail, 3);

/// <summary>The Liouvillian has more than one stationary state (part of the chain is decoupled from the
/// baths, e.g. J = 0): refused with exit code 3, with the reason the solver found.</summary>
public record SteadyStateNotUnique(string Reason) : NumericsRefused(
    $"the steady state is not unique ({Reason}); this happens when part of the chain is decoupled from the baths, e.g. --hopping 0");

/// <summary>An I/O failure: a file cannot be read, written or locked, the disk is full. Work finished before
/// it is kept (and resumable). The CLI exits with code 4.</summary>
public record IoFailure(string Detail) : Expected(Detail, 4);

/// <summary>A bug: an exception no stage anticipated. The CLI exits with code 1, says it is a bug and how to
/// report it; the stack trace is shown only on request.</summary>
public record InternalError(string Detail, string Trace) : Exceptional(Detail, 1);

/// <summary>The solve was cancelled (SIGINT/SIGTERM in an ensemble) before it finished: no result, not a refusal.
/// The CLI exits 130 (ensembles: the realization is not written and is redone on resume).</summary>
public record Interrupted(string Detail = "interrupted before the solve finished") : Expected(Detail, 130);
