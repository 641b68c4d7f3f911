using Ness.Operators.Fermion;
using Ness.Numerics.Krylov;

namespace Ness.Pipeline.Fermion.Krylov;

/// <summary>
/// The sector Liouvillian as a real operator on packed Hermitian blocks (<see cref="BlockLiouvillian.Pack"/>):
/// unpack, apply block by block, pack. Real-linear and exact on Hermitian matrices, which L preserves.
/// </summary>
public sealed class PackedLiouvillian : ILinearOperator
{
    public BlockLiouvillian Blocks { get; }
    readonly double[] xR, xI, yR, yI;

    /// <summary>Applications so far.</summary>
    public long Applications { get; private set; }

    public PackedLiouvillian(BlockLiouvillian blocks)
    {
        Blocks = blocks;
        int D = blocks.Dimension;
        xR = new double[D]; xI = new double[D]; yR = new double[D]; yI = new double[D];
    }

    public int Dimension => Blocks.Dimension;

    /// <summary>Doubles of workspace (four planar vectors).</summary>
    public static double Workspace(long D) => 4.0 * D;

    public void Apply(ReadOnlySpan<double> x, Span<double> y)
    {
        Blocks.Unpack(x, xR, xI);
        Blocks.Apply(xR, xI, yR, yI);
        Blocks.Pack(yR, yI, y);
        Applications++;
    }
}
