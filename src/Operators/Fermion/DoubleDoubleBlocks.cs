namespace Ness.Operators.Fermion;

/// <summary>
/// A state of the q = 0 sector in double-double: planar full blocks in the layout of <see cref="BlockLiouvillian"/>
/// (row-major blocks at its offsets), each entry the unevaluated sum of two doubles (<see cref="DoubleDouble"/>):
/// Re X = ReHi + ReLo, Im X = ImHi + ImLo. The iterate of mixed-precision iterative refinement (docs/numerics.md).
/// </summary>
public sealed class DoubleDoubleBlocks
{
    public double[] ReHi { get; }
    public double[] ReLo { get; }
    public double[] ImHi { get; }
    public double[] ImLo { get; }
    public int Dimension => ReHi.Length;

    DoubleDoubleBlocks(int D) => (ReHi, ReLo, ImHi, ImLo) = (new double[D], new double[D], new double[D], new double[D]);

    /// <summary>Zero state of dimension <paramref name="D"/>.</summary>
    public static DoubleDoubleBlocks Create(int D)
    {
        if (D < 0) throw new ArgumentOutOfRangeException(nameof(D));
        return new DoubleDoubleBlocks(D);
    }

    /// <summary>The double state re + i im, exactly (low parts zero).</summary>
    public static DoubleDoubleBlocks Of(ReadOnlySpan<double> re, ReadOnlySpan<double> im)
    {
        if (re.Length != im.Length) throw new ArgumentException("re and im must have one length");
        var x = new DoubleDoubleBlocks(re.Length);
        re.CopyTo(x.ReHi);
        im.CopyTo(x.ImHi);
        return x;
    }

    /// <summary>Doubles held at dimension D (four planar arrays).</summary>
    public static double Workspace(long D) => 4.0 * D;

    /// <summary>X += e (e in double), each entry by DWPlusFP: the sum is kept to double-double accuracy.</summary>
    public void Add(ReadOnlySpan<double> eRe, ReadOnlySpan<double> eIm)
    {
        if (eRe.Length != Dimension || eIm.Length != Dimension) throw new ArgumentException("e must have the state's dimension");
        AddTo(ReHi, ReLo, eRe);
        AddTo(ImHi, ImLo, eIm);
    }

    static void AddTo(double[] hi, double[] lo, ReadOnlySpan<double> e)
    {
        for (int k = 0; k < hi.Length; k++)
        {
            var s = new DoubleDouble(hi[k], lo[k]) + e[k];
            hi[k] = s.Hi; lo[k] = s.Lo;
        }
    }
}
