namespace Ness.Numerics.Krylov;

/// <summary>A right preconditioner z = M^{-1} r (MathNet's <c>IPreconditioner</c>). It may change from one
/// application to the next: <see cref="FlexibleGmres"/> keeps every z it is given.</summary>
public interface IPreconditioner
{
    /// <summary>z = M^{-1} r (z is overwritten).</summary>
    void Apply(ReadOnlySpan<double> r, Span<double> z);
}

