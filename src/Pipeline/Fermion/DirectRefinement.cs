using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using Ness.Operators;
using Ness.Operators.Fermion;

namespace Ness.Pipeline.Fermion;

/// <summary>
/// <see cref="Refinement"/> of the direct solver's solution with its own LU factors: the system is L x = 0 with the
/// vacuum population's row replaced by tr x = 1 (<see cref="SteadyState.Direct"/>), so the residual is −L(x) in
/// double-double on every other row and 1 − tr x (summed in double-double) on that one, and a correction is one
/// forward and back substitution. The solver's vector is column-major per block (<see cref="SectorBlocks.Offset"/>),
/// the refinement's row-major (<see cref="BlockLiouvillian"/>); the offsets are the same.
/// </summary>
public static class DirectRefinement
{
    public static (Matrix<Complex>[] Raw, Refinement.Outcome Outcome) Refine(SectorBlocks B, Func<Complex[], Complex[]> solve,
        Complex[] x, double hopping, Refinement.Settings s)
    {
        var op = new BlockLiouvillian(B);
        int D = op.Dimension;
        var re = new double[D]; var im = new double[D];
        ToPlanar(op, x, re, im);
        var xd = DoubleDoubleBlocks.Of(re, im);
        Refinement.Correction correct = (rRe, rIm, _) =>
        {
            var b = new Complex[D];
            for (int n = 0; n <= op.Length; n++)
            {
                int d = op.Size[n], o = op.Offset[n];
                for (int a = 0; a < d; a++)
                    for (int c = 0; c < d; c++)
                        b[o + a + c * d] = new Complex(rRe[o + a * d + c], rIm[o + a * d + c]);
            }
            DoubleDouble tRe = 1, tIm = 0;                       // 1 − tr x
            for (int n = 0; n <= op.Length; n++)
            {
                int d = op.Size[n], o = op.Offset[n];
                for (int a = 0; a < d; a++)
                {
                    int k = o + a * d + a;
                    tRe = tRe - new DoubleDouble(xd.ReHi[k], xd.ReLo[k]);
                    tIm = tIm - new DoubleDouble(xd.ImHi[k], xd.ImLo[k]);
                }
            }
            b[0] = new Complex(tRe.ToDouble(), tIm.ToDouble());
            var e = solve(b);
            var eRe = new double[D]; var eIm = new double[D];
            ToPlanar(op, e, eRe, eIm);
            return (eRe, eIm, 1, 0.0);
        };
        var outcome = Refinement.Run(op, hopping, SectorLiouvillian.NormEstimate(B), xd, correct, double.NaN, s);
        var raw = new Matrix<Complex>[op.Length + 1];
        for (int n = 0; n <= op.Length; n++)
        {
            int d = op.Size[n], o = op.Offset[n];
            raw[n] = Matrix<Complex>.Build.Dense(d, d, (i, j) => new Complex(xd.ReHi[o + i * d + j], xd.ImHi[o + i * d + j]));
        }
        return (raw, outcome);
    }

    /// <summary>Column-major blocks (the LU's vector) to planar row-major blocks.</summary>
    static void ToPlanar(BlockLiouvillian op, ReadOnlySpan<Complex> x, double[] re, double[] im)
    {
        for (int n = 0; n <= op.Length; n++)
        {
            int d = op.Size[n], o = op.Offset[n];
            for (int a = 0; a < d; a++)
                for (int c = 0; c < d; c++)
                {
                    var v = x[o + a + c * d];
                    re[o + a * d + c] = v.Real; im[o + a * d + c] = v.Imaginary;
                }
        }
    }
}
