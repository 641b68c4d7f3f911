namespace Ness.Pipeline.Fermion.Krylov;

/// <summary>
/// Settings of the matrix-free Krylov solver. Residuals are relative in the sense of the certificate:
/// ||L rho||_F / (||L||_est ||rho||_F).
/// </summary>
/// <param name="MaxIterations">GMRES iterations (preconditioned operator applications) before giving up.</param>
/// <param name="Restart">Krylov basis size m of restarted GMRES.</param>
/// <param name="Tolerance">Stop when the TRUE residual (recomputed from rho) is below this.</param>
/// <param name="AcceptTolerance">If GMRES stagnates above <paramref name="Tolerance"/>, the state is still
/// returned (flagged "stagnated") when its true residual is below this; otherwise the solver refuses.</param>
/// <param name="Augment">Loose GMRES (LGMRES): each cycle also searches the corrections of the last
/// <paramref name="Augment"/> cycles (one Liouvillian application each, no preconditioner); 0 = plain FGMRES.</param>
/// <param name="CurrentTolerance">Also converged when the true relative residual is below
/// <paramref name="CurrentCheckTolerance"/> and the continuity defect sum_x |tr(n_x L rho)| is below this
/// fraction of the current (so left, bond and right currents agree to about this; see ContinuityDefect).</param>
/// <param name="CurrentCheckTolerance">See <paramref name="CurrentTolerance"/>.</param>
/// <param name="MaxRestart">When GMRES stagnates, the cycle length is doubled (memory permitting) up to this
/// before the solver gives up.</param>
/// <param name="MemoryFraction">Refuse when the memory estimate exceeds this fraction of available memory.</param>
public sealed record KrylovOptions(
    int MaxIterations = 20000, int Restart = 60, double Tolerance = 3e-18, double AcceptTolerance = 1e-13,
    double MemoryFraction = 0.6, int Augment = 3, double CurrentTolerance = 1e-7, double CurrentCheckTolerance = 1e-14,
    int MaxRestart = 480)
{
    public static readonly KrylovOptions Default = new();
}
