using LanguageExt.Common;

namespace Ness.Numerics;

/// <summary>A numerical method could not produce a result it can vouch for (no convergence, coincident roots,
/// beyond the memory budget). Code 3, as the command line's exit code for a refusal; the pipeline reports it as
/// its own refusal.</summary>
public record Refused(string Detail) : Expected(Detail, 3);

/// <summary>The damped chain falls apart: part of it never sees the damping, so its steady state is not unique.</summary>
public record Decoupled(string Reason) : Refused(Reason);
