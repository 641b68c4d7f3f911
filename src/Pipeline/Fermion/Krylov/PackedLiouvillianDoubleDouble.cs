using Ness.Operators.Fermion;
using Ness.Numerics.Krylov;

namespace Ness.Pipeline.Fermion.Krylov;

/// <summary>
/// The sector Liouvillian on packed blocks applied in double-double and rounded to double
/// (<see cref="BlockLiouvillian.ApplyDoubleDouble"/> on an exact double input): each entry of L x correct to a unit of
/// u relative to itself, instead of u × ||L|| ||x|| as in <see cref="PackedLiouvillian"/>. Every correction of the
/// refinement uses it (in double, a correction rich in the slow populations, whose L x is tiny against ||L|| ||x||, has
/// no correct digit when u κ ≥ 1): the products A z of FGMRES then carry the slow rates' information, and the correction's
/// error is set by the conditioning of the preconditioned operator, not of L (the higher-precision products of
/// five-precision GMRES-IR, Amestoy, Buttari, Higham, L'Excellent, Mary and Vieublé, 2021).
/// </summary>
public sealed class PackedLiouvillianDoubleDouble : ILinearOperator
{
    public BlockLiouvillian Blocks { get; }
    readonly DoubleDoubleBlocks x, y;
    readonly int threads;

    /// <summary>Applications so far.</summary>
    public long Applications { get; private set; }

    public PackedLiouvillianDoubleDouble(BlockLiouvillian blocks, int threads)
    {
        Blocks = blocks;
        x = DoubleDoubleBlocks.Create(blocks.Dimension);
        y = DoubleDoubleBlocks.Create(blocks.Dimension);
        this.threads = threads;
    }

    public int Dimension => Blocks.Dimension;

    /// <summary>Doubles of workspace: the input and the output in double-double (their low parts: the input's stay 0).</summary>
    public static double Workspace(long D) => 2 * DoubleDoubleBlocks.Workspace(D);

    public void Apply(ReadOnlySpan<double> packed, Span<double> result)
    {
        Blocks.Unpack(packed, x.ReHi, x.ImHi);
        Blocks.ApplyDoubleDouble(x, y, threads);
        Blocks.Pack(y.ReHi, y.ImHi, result);
        Applications++;
    }
}
