using Ness.Numerics.Krylov;
using Ness.Operators.Fermion;

namespace Ness.Pipeline.Fermion.Krylov;

/// <summary>
/// Converged when a correction e of iterative refinement (<see cref="Refinement"/>) has done what the refinement needs,
/// judged on the true residual R = −(r + L e) of rho + e at a checkpoint (packed): the continuity defect
/// sum_x |tr(n_x R)| below <see cref="Refinement.Need.Defect"/>, and the profile error it leaves, estimated as
/// max_x |tr(n_x z) − p_x tr z| (z = M^-1 R; the change of the normalized profile p) with the two-level preconditioner M
/// (whose coarse part carries the 1/rate amplification of the slow populations, as in the Krylov solver's
/// <c>profile_error_estimate</c>), below <see cref="Refinement.Need.Profile"/>.
/// The residual norm is the wrong measure here: the residual of a double-precision state is rounding noise spread over
/// every mode, and the fast ones, which GMRES reduces slowly from there, hardly move the profile. Never at iteration 0
/// (the correction must exist: its profile change is the certificate). One preconditioner application per checkpoint,
/// into <c>z</c> (the caller's vector of the operator's dimension, overwritten).
/// </summary>
public sealed class CorrectionNeed(BlockLiouvillian op, TwoLevelPreconditioner M, Refinement.Need need, double[] z) : IStopCriterion
{
    /// <summary>max_x |tr(n_x z) − p_x tr z| / tr rho (z = M^-1 R) at the last checkpoint (NaN before the first).</summary>
    public double Remaining { get; private set; } = double.NaN;

    double target, lastRes = double.NaN, lastDefect, lastLeft;

    public IterationStatus Check(Checkpoint c)
    {
        var n = new double[op.Length];
        op.Densities(c.R, n);
        double defect = 0;
        foreach (var v in n) defect += Math.Abs(v);
        M.Apply(c.R, z);
        double tz = op.Densities(z, n);
        double left = 0;
        for (int x = 0; x < n.Length; x++) left = Math.Max(left, Math.Abs(n[x] - need.Densities[x] * tz));   // normalized
        Remaining = left / need.Trace;
        // both fall with the residual norm, as a power p of it (p = 1 at the first checkpoint, else as measured between
        // the last two, within [1, 3]): a cycle may end where GMRES's own residual estimate predicts both met (the
        // checkpoint that follows decides; an early end costs a restart)
        double res = c.ResidualNorm;
        target = res > 0 && defect > 0 && left > 0
            ? Math.Min(Predict(res, defect, lastDefect, need.Defect), Predict(res, left, lastLeft, need.Profile)) : 0;
        (lastRes, lastDefect, lastLeft) = (res, defect, left);
        return c.Iterations > 0 && defect <= need.Defect && left <= need.Profile ? IterationStatus.Converged : IterationStatus.Continue;
    }

    /// <summary>The residual norm at which a quantity now at <paramref name="value"/> (before: <paramref name="last"/>
    /// at the last residual norm) reaches <paramref name="want"/>.</summary>
    double Predict(double res, double value, double last, double want)
    {
        if (value <= want) return res;
        double p = double.IsNaN(lastRes) || !(last > value) || !(lastRes > res) ? 1
            : Math.Clamp(Math.Log(last / value) / Math.Log(lastRes / res), 1, 3);
        return res * Math.Pow(want / value, 1 / p);
    }

    /// <summary>The residual norm at which the defect and the profile error left are predicted to meet the need.</summary>
    public double CycleTarget(Checkpoint c) => target;
}
