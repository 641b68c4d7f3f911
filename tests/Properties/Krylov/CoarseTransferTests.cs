using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Ness.Numerics.Dense;
using Ness.Pipeline.Fermion.Krylov;

namespace Ness.Tests.Krylov;

/// <summary>Sector blocks of the given sizes with bases U_n (any real matrices: the transfers are products), chosen pairs,
/// a planar residual R and a coarse vector p, from a seed.</summary>
public sealed record TransferCase(int[] Sizes, int Seed)
{
    public int D => Sizes.Sum(d => d * d);

    public (int[] Offset, int[] CoarseOffset, int[][] Pairs, int[] PairOffset, double[][] U, double[][] Ut, double[] Re, double[] Im, double[] P) Make()
    {
        var rnd = new Random(Seed);
        int nb = Sizes.Length;
        var offset = new int[nb]; var coarseOffset = new int[nb + 1];
        for (int n = 1; n < nb; n++) offset[n] = offset[n - 1] + Sizes[n - 1] * Sizes[n - 1];
        for (int n = 0; n < nb; n++) coarseOffset[n + 1] = coarseOffset[n] + Sizes[n];
        var pairs = new int[nb][]; var pairOffset = new int[nb];
        int next = coarseOffset[nb];
        for (int n = 0; n < nb; n++)
        {
            int d = Sizes[n];
            var chosen = new List<int>();
            for (int a = 0; a < d; a++)
                for (int b = a + 1; b < d; b++) if (rnd.NextDouble() < 0.3) { chosen.Add(a); chosen.Add(b); }
            pairs[n] = chosen.ToArray();
            pairOffset[n] = next;
            next += chosen.Count;
        }
        double Draw() => 2 * rnd.NextDouble() - 1;
        var U = Sizes.Select(d => Enumerable.Range(0, d * d).Select(_ => Draw()).ToArray()).ToArray();
        var Ut = Sizes.Select((d, n) => Enumerable.Range(0, d * d).Select(k => U[n][(k % d) * d + k / d]).ToArray()).ToArray();
        var re = Enumerable.Range(0, D).Select(_ => Draw()).ToArray();
        var im = Enumerable.Range(0, D).Select(_ => Draw()).ToArray();
        var p = Enumerable.Range(0, next).Select(_ => Draw()).ToArray();
        return (offset, coarseOffset, pairs, pairOffset, U, Ut, re, im, p);
    }
}

public class CoarseTransferTests
{
    static readonly Gen<TransferCase> Cases =
        from sizes in Gen.ArrayOf(Gen.Choose(1, 24)).Where(s => s.Length is >= 1 and <= 5)
        from seed in Gen.Choose(0, int.MaxValue)
        select new TransferCase(sizes, seed);

    /// <summary>The restriction and prolongation in single precision (<see cref="CoarseTransfer{T}"/> with float, the
    /// default) agree with the same transfers in double within the rounding bound of their products, entry by entry:
    /// (d + 4) u_f (|U|^T |R| |U|)_ab for the restriction's populations (a = b) and coherences, (2 d + 4) u_f (|U| |C| |U|^T)_ij
    /// for the prolongation (u_f = 2^-24, d the block's dimension: the inputs rounded to float, a d-term product (and for the
    /// prolongation the d-term sums of U C before it), the restriction's sums in double); the double transfers are Galerkin-exact (<c>PreconditionerIsExactOnItsCoarseSpace</c>).</summary>
    [Property(MaxTest = 60)]
    public Property SingleTransfersAreTheDoubleOnesWithinTheirRounding() =>
        Prop.ForAll(Cases.ToArbitrary(), t =>
        {
            var (offset, coarseOffset, pairs, pairOffset, U, Ut, re, im, p) = t.Make();
            int D = t.D, nb = t.Sizes.Length, NC = p.Length;
            var kernels = DenseKernels.Best;
            var s = new CoarseTransfer<Real32>(kernels, t.Sizes, offset, D, U, Ut, coarseOffset, pairs, pairOffset);
            var d = new CoarseTransfer<Real64>(kernels, t.Sizes, offset, D, U, Ut, coarseOffset, pairs, pairOffset);
            const double uf = 1.0 / (1 << 24);
            var cs = new double[NC]; var cd = new double[NC];
            var (zsR, zsI, zdR, zdI) = (new double[D], new double[D], new double[D], new double[D]);
            double worst = 0;   // the largest error as a share of its bound
            for (int n = 0; n < nb; n++)
            {
                int dn = t.Sizes[n], o = offset[n];
                s.RestrictBlock(n, re, im, cs); d.RestrictBlock(n, re, im, cd);
                s.ProlongBlock(n, p, zsR, zsI, add: false); d.ProlongBlock(n, p, zdR, zdI, add: false);
                double k = (dn + 4) * uf, kp = (2 * dn + 4) * uf;   // prolongation: a row of U C sums up to d float terms before the product
                double Abs(double[] x, int q, int r) => Math.Abs(x[o + q * dn + r]);
                double UtRU(double[] x, int a, int b)  // (|U|^T |x| |U|)_ab
                {
                    double sum = 0;
                    for (int q = 0; q < dn; q++)
                        for (int r = 0; r < dn; r++) sum += Math.Abs(U[n][q * dn + a]) * Abs(x, q, r) * Math.Abs(U[n][r * dn + b]);
                    return sum;
                }
                for (int a = 0; a < dn; a++)
                    worst = Math.Max(worst, Math.Abs(cs[coarseOffset[n] + a] - cd[coarseOffset[n] + a]) / (k * UtRU(re, a, a)));
                for (int q = 0; 2 * q < pairs[n].Length; q++)
                {
                    int a = pairs[n][2 * q], b = pairs[n][2 * q + 1], at = pairOffset[n] + 2 * q;
                    worst = Math.Max(worst, Math.Abs(cs[at] - cd[at]) / (k * UtRU(re, a, b)));
                    worst = Math.Max(worst, Math.Abs(cs[at + 1] - cd[at + 1]) / (k * UtRU(im, a, b)));
                }
                var C = new double[dn, dn];   // |C|: populations on the diagonal, |x| and |y| of each pair off it
                var Ci = new double[dn, dn];
                for (int a = 0; a < dn; a++) C[a, a] = Math.Abs(p[coarseOffset[n] + a]);
                for (int q = 0; 2 * q < pairs[n].Length; q++)
                {
                    int a = pairs[n][2 * q], b = pairs[n][2 * q + 1], at = pairOffset[n] + 2 * q;
                    C[a, b] = C[b, a] = Math.Abs(p[at]);
                    Ci[a, b] = Ci[b, a] = Math.Abs(p[at + 1]);
                }
                for (int i = 0; i < dn; i++)
                    for (int j = 0; j < dn; j++)
                    {
                        double br = 0, bi = 0;
                        for (int a = 0; a < dn; a++)
                            for (int b = 0; b < dn; b++)
                            {
                                double uu = Math.Abs(U[n][i * dn + a]) * Math.Abs(U[n][j * dn + b]);
                                br += uu * C[a, b]; bi += uu * Ci[a, b];
                            }
                        int at = o + i * dn + j;
                        worst = Math.Max(worst, Math.Abs(zsR[at] - zdR[at]) / (kp * br));
                        if (bi > 0) worst = Math.Max(worst, Math.Abs(zsI[at] - zdI[at]) / (kp * bi));
                        else if (zsI[at] != 0 || zdI[at] != 0) worst = double.PositiveInfinity;
                    }
            }
            return (worst <= 1).Label($"largest single − double difference {worst:E2} of its rounding bound");
        });

    /// <summary>The transfers say their precision.</summary>
    [Fact]
    public void TransfersNameTheirPrecision()
    {
        int[] sizes = [1];
        double[][] u = [[1.0]];
        Xunit.Assert.Equal("single", new CoarseTransfer<Real32>(DenseKernels.Best, sizes, [0], 1, u, u, [0, 1], [[]], [1]).Precision);
        Xunit.Assert.Equal("double", new CoarseTransfer<Real64>(DenseKernels.Best, sizes, [0], 1, u, u, [0, 1], [[]], [1]).Precision);
    }
}
