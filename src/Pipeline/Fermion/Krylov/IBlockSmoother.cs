using System.Numerics;

namespace Ness.Pipeline.Fermion.Krylov;

/// <summary>A block smoother of <see cref="TwoLevelPreconditioner"/> (<see cref="SylvesterSmoother{T}"/> in single or
/// double precision).</summary>
public interface IBlockSmoother
{
    /// <summary>"single" or "double".</summary>
    string Precision { get; }

    /// <summary>Stores block n's eigen-data: K_n = V diag(w) W with W = V^{-1}; blocks may be set concurrently.</summary>
    void SetBlock(int n, Func<int, int, Complex> V, Func<int, int, Complex> W, Func<int, Complex> w);

    /// <summary>X_n = S(R_n) on planar (re/im) row-major blocks at the sector offset of block n; blocks may be
    /// smoothed concurrently.</summary>
    void SmoothBlock(int n, ReadOnlySpan<double> rR, ReadOnlySpan<double> rI, Span<double> xR, Span<double> xI);
}
