using LanguageExt;

namespace Ness.Pipeline.Fermion.Krylov;

/// <summary>Where a Krylov solve stands at a restart: the true relative residual, the target, time so far and,
/// once the residual has fallen twice, an estimate of the time left (log-linear extrapolation of the residual).
/// <paramref name="Step"/>: 0 for the solve itself, k for the correction of refinement step k, whose residual is
/// relative to the residual it corrects and whose target is the step's (<see cref="Refinement.Need.Tau"/>; the step
/// may end earlier, when the profile and the continuity defect are good enough). <paramref name="Again"/>: the second
/// solve, with the double-precision smoother, after the first one's refinement stopped short (<see cref="KrylovSolver.Solve"/>).</summary>
public sealed record KrylovProgress(int Iterations, int Restarts, double RelativeResidual, double Tolerance,
    TimeSpan Elapsed, Option<TimeSpan> Remaining, int Step = 0, bool Again = false);
