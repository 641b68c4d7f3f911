namespace Ness.Numerics.Krylov;

/// <summary>A real linear operator y = A x on vectors of length <see cref="Dimension"/> (MathNet's matrix seat
/// in <c>IIterativeSolver.Solve</c>, without storing the matrix).</summary>
public interface ILinearOperator
{
    int Dimension { get; }

    /// <summary>y = A x (y is overwritten).</summary>
    void Apply(ReadOnlySpan<double> x, Span<double> y);
}
