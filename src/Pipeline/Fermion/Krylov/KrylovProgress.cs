using LanguageExt;

namespace Ness.Pipeline.Fermion.Krylov;

/// <summary>Where a Krylov solve stands at a restart: the true relative residual, the target, time so far and,
/// once the residual has fallen twice, an estimate of the time left (log-linear extrapolation of the residual).</summary>
public sealed record KrylovProgress(int Iterations, int Restarts, double RelativeResidual, double Tolerance,
    TimeSpan Elapsed, Option<TimeSpan> Remaining);
