namespace Ness.Numerics.Krylov;

/// <summary>
/// Converged when the true residual is small in the backward-error sense:
/// ||b − A x|| ≤ tol (||A||_est ||x|| + ||b||). For the steady state (b = 0) this is the certificate's relative
/// residual ||L rho||/(||L||_est ||rho||) ≤ tol; with <paramref name="OperatorNorm"/> = 0 it is ||r|| ≤ tol ||b||.
/// </summary>
public sealed record ResidualTolerance(double Tolerance, double OperatorNorm) : IStopCriterion
{
    public double Bound(Checkpoint c) => Tolerance * (OperatorNorm * c.SolutionNorm + c.RhsNorm);

    public IterationStatus Check(Checkpoint c) =>
        c.ResidualNorm <= Bound(c) ? IterationStatus.Converged : IterationStatus.Continue;

    /// <summary>GMRES's own residual estimate drifts from the true one by rounding: a cycle aims 0.3 × below
    /// the bound so that the true residual recomputed at the restart usually meets it.</summary>
    public double CycleTarget(Checkpoint c) => 0.3 * Bound(c);
}
