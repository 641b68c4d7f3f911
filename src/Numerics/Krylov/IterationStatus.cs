namespace Ness.Numerics.Krylov;

/// <summary>What a stop criterion says at a checkpoint (MathNet's <c>IterationStatus</c>).</summary>
public enum IterationStatus
{
    /// <summary>Keep iterating.</summary>
    Continue,
    /// <summary>The iterate meets the tolerance.</summary>
    Converged,
    /// <summary>The true residual has stopped decreasing; the solver may try a remedy (drop the
    /// augmentation, a longer cycle) before giving up.</summary>
    Stagnated,
    /// <summary>The budget is spent without convergence.</summary>
    StoppedWithoutConvergence,
}
