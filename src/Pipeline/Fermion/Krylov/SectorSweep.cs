namespace Ness.Pipeline.Fermion.Krylov;

/// <summary>
/// How the smoother of <see cref="TwoLevelPreconditioner"/> visits the particle-number sectors. The jumps c X c+ change
/// the particle number by one, so the sector Liouvillian is block tridiagonal in the sector index n; the smoother inverts
/// its diagonal blocks K_n X + X K_n+ exactly.
/// <list type="bullet">
/// <item><see cref="Jacobi"/>: every sector from the residual alone (block Jacobi; the solver up to stop 26).</item>
/// <item><see cref="RedBlack"/> (the default): block Gauss–Seidel in two colours, the even sectors from the residual, then
/// each odd sector from the residual less the jumps of both even neighbours just solved. The same smoother work, one
/// application of the jumps more, and the sectors of one colour still in parallel. Measured (docs/numerics.md, "The
/// smoother in red–black order"): L = 10, h = 10, seeds 1–5, solve + correction iterations 1379 → 987 in all; L = 11,
/// h = 10, seeds 1–5, CPU of the draw 0.64–0.88 of block Jacobi (median 0.69, one thread, the forward sweep, whose
/// iterations match red–black's).</item>
/// </list>
/// </summary>
public enum SectorSweep
{
    /// <summary>Every sector from the residual alone (block Jacobi).</summary>
    Jacobi,

    /// <summary>Even sectors, then odd sectors with the even ones' jumps (block Gauss–Seidel in two colours).</summary>
    RedBlack,
}
