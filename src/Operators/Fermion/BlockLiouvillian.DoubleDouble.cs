using System.Runtime.CompilerServices;

namespace Ness.Operators.Fermion;

/// <summary>The sector Liouvillian in double-double (the residual of iterative refinement, docs/numerics.md).</summary>
public sealed partial class BlockLiouvillian
{
    /// <summary>
    /// y = L(x) = K x + x K+ + sum_c c x c+ with x and y in double-double (<see cref="DoubleDoubleBlocks"/>), on full
    /// planar blocks. H, Γ and the jump rates are taken exact as stored in double: the coefficients H_n[a, b],
    /// H_aa − H_bb and −(Γ_a + Γ_b)/2 enter as exact double or double-double numbers (TwoSum), every product by
    /// TwoProd on FMA, every sum by TwoSum with the low parts summed in double (compensated dot products, Ogita,
    /// Rump and Oishi 2005). So each entry of y has an absolute error of order u² × the sum of the absolute values of
    /// its terms (u = 2^-53), the model of the residual in mixed-precision iterative refinement (Carson and Higham
    /// 2018), against u × that sum for <see cref="Apply"/>. y is returned normalized: y.ReHi is the double nearest to
    /// Re y. Blocks are spread over <paramref name="threads"/> threads.
    /// </summary>
    public void ApplyDoubleDouble(DoubleDoubleBlocks x, DoubleDoubleBlocks y, int threads = 1)
    {
        if (x.Dimension != Dimension || y.Dimension != Dimension) throw new ArgumentException("x and y must have the operator's dimension");
        int L = Length;
        gammaDoubleDouble ??= ExactGamma();
        var po = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) };
        Parallel.For(0, L + 1, po, n => DiagonalBlockDoubleDouble(n, x, y));
        Parallel.For(0, L + 1, po, m =>
        {
            for (int n = Math.Max(0, m - 1); n <= Math.Min(L, m + 1); n++) JumpsDoubleDouble(n, m, x, y);
            Normalize(y, Offset[m], Offset[m + 1]);
        });
    }

    /// <summary>Γ_a = sum_c (c+ c)_aa per block in double-double: the sum of the rates of the jumps that do not annihilate
    /// state a, exact (a few rates of like size fit in 106 bits). The stored Γ of <see cref="SectorBlocks.Gamma"/> rounds
    /// that sum to double; with it L would not preserve the trace exactly, its null vector would move by the rounding
    /// amplified by the slowest relaxation (the error refinement removes), and the refinement would not converge.</summary>
    (double[] Hi, double[] Lo)[]? gammaDoubleDouble;

    (double[] Hi, double[] Lo)[] ExactGamma()
    {
        var g = new (double[] Hi, double[] Lo)[Length + 1];
        for (int n = 0; n <= Length; n++)
        {
            int d = Size[n];
            g[n] = (new double[d], new double[d]);
            for (int a = 0; a < d; a++)
            {
                DoubleDouble s = 0;
                foreach (var c in Model.Jumps)
                    if (c.Rate != 0 && c.Target[n][a] >= 0) s += c.Rate;
                (g[n].Hi[a], g[n].Lo[a]) = (s.Hi, s.Lo);
            }
        }
        return g;
    }

    /// <summary>hi += a (xh + xl) for an exact double a, the rounding of the product and of the sum into lo.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Acc(ref double hi, ref double lo, double a, double xh, double xl)
    {
        double p = a * xh;
        double pe = Math.FusedMultiplyAdd(a, xh, -p);
        double s = hi + p;
        double bb = s - hi;
        double e = (hi - (s - bb)) + (p - bb);
        hi = s;
        lo += e + pe + a * xl;
    }

    /// <summary>hi += (ah + al)(xh + xl) for a double-double coefficient (al xl, of order u², is dropped).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Acc(ref double hi, ref double lo, double ah, double al, double xh, double xl)
    {
        double p = ah * xh;
        double pe = Math.FusedMultiplyAdd(ah, xh, -p);
        double s = hi + p;
        double bb = s - hi;
        double e = (hi - (s - bb)) + (p - bb);
        hi = s;
        lo += e + pe + (ah * xl + al * xh);
    }

    /// <summary>Block n of y = K_n x_n + x_n K_n+ (overwrites it), in the loop order of <c>ApplyDiagonalBlock</c>.</summary>
    void DiagonalBlockDoubleDouble(int n, DoubleDoubleBlocks x, DoubleDoubleBlocks y)
    {
        int d = Size[n], o = Offset[n];
        var Rh = x.ReHi.AsSpan(o, d * d); var Rl = x.ReLo.AsSpan(o, d * d);
        var Ih = x.ImHi.AsSpan(o, d * d); var Il = x.ImLo.AsSpan(o, d * d);
        var oRh = y.ReHi.AsSpan(o, d * d); var oRl = y.ReLo.AsSpan(o, d * d);
        var oIh = y.ImHi.AsSpan(o, d * d); var oIl = y.ImLo.AsSpan(o, d * d);
        var hd = hDiag[n]; var (gh, gl) = gammaDoubleDouble![n]; var rp = rowPtr[n]; var cl = col[n]; var vl = val[n];
        for (int a = 0; a < d; a++)
        {
            int ra = a * d;
            for (int b = 0; b < d; b++)
            {
                int k = ra + b;
                var c = DoubleDouble.TwoSum(hd[a], -hd[b]);                 // H_aa − H_bb, exact
                var gs = new DoubleDouble(gh[a], gl[a]) + new DoubleDouble(gh[b], gl[b]);   // Γ_a + Γ_b
                double sh = -0.5 * gs.Hi, sl = -0.5 * gs.Lo;                // −(Γ_a + Γ_b)/2
                double rh = 0, rl = 0, ih = 0, il = 0;
                Acc(ref rh, ref rl, c.Hi, c.Lo, Ih[k], Il[k]);
                Acc(ref rh, ref rl, sh, sl, Rh[k], Rl[k]);
                Acc(ref ih, ref il, -c.Hi, -c.Lo, Rh[k], Rl[k]);
                Acc(ref ih, ref il, sh, sl, Ih[k], Il[k]);
                oRh[k] = rh; oRl[k] = rl; oIh[k] = ih; oIl[k] = il;
            }
            // (H X)[a, :] off-diagonal part: Re += H_ak Im X[k, :], Im −= H_ak Re X[k, :]
            for (int p = rp[a]; p < rp[a + 1]; p++)
            {
                int rk = cl[p] * d; double h = vl[p];
                for (int b = 0; b < d; b++)
                {
                    Acc(ref oRh[ra + b], ref oRl[ra + b], h, Ih[rk + b], Il[rk + b]);
                    Acc(ref oIh[ra + b], ref oIl[ra + b], -h, Rh[rk + b], Rl[rk + b]);
                }
            }
            // −(X H)[a, b] off-diagonal part: Re −= sum_k Im X[a, k] H_kb, Im += sum_k Re X[a, k] H_kb
            for (int b = 0; b < d; b++)
            {
                double rh = oRh[ra + b], rl = oRl[ra + b], ih = oIh[ra + b], il = oIl[ra + b];
                for (int p = rp[b]; p < rp[b + 1]; p++)
                {
                    int k = ra + cl[p]; double h = vl[p];
                    Acc(ref rh, ref rl, -h, Ih[k], Il[k]);
                    Acc(ref ih, ref il, h, Rh[k], Rl[k]);
                }
                oRh[ra + b] = rh; oRl[ra + b] = rl; oIh[ra + b] = ih; oIl[ra + b] = il;
            }
        }
    }

    /// <summary>Block m of y += c x_n c+ for the jumps c that map block n into block m.</summary>
    void JumpsDoubleDouble(int n, int m, DoubleDoubleBlocks x, DoubleDoubleBlocks y)
    {
        int d = Size[n], o = Offset[n], dm = Size[m], om = Offset[m];
        foreach (var c in Model.Jumps)
        {
            if (c.Rate == 0 || c.To(n) != m) continue;
            var t = c.Target[n]; var s = c.Sign[n];
            for (int a = 0; a < d; a++)
            {
                if (t[a] < 0) continue;
                double ra = c.Rate * s[a];                                   // ± rate, exact
                int dst = om + t[a] * dm, src = o + a * d;
                for (int b = 0; b < d; b++)
                {
                    if (t[b] < 0) continue;
                    double f = ra * s[b];
                    int i = dst + t[b], j = src + b;
                    Acc(ref y.ReHi[i], ref y.ReLo[i], f, x.ReHi[j], x.ReLo[j]);
                    Acc(ref y.ImHi[i], ref y.ImLo[i], f, x.ImHi[j], x.ImLo[j]);
                }
            }
        }
    }

    /// <summary>(hi, lo) ← TwoSum(hi, lo) on [from, to): hi becomes the double nearest to the entry.</summary>
    static void Normalize(DoubleDoubleBlocks y, int from, int to)
    {
        for (int k = from; k < to; k++)
        {
            var r = DoubleDouble.TwoSum(y.ReHi[k], y.ReLo[k]);
            y.ReHi[k] = r.Hi; y.ReLo[k] = r.Lo;
            var i = DoubleDouble.TwoSum(y.ImHi[k], y.ImLo[k]);
            y.ImHi[k] = i.Hi; y.ImLo[k] = i.Lo;
        }
    }

    /// <summary>tr(n_x X), x = 1..L, into <paramref name="n"/>, and tr X, of planar full blocks (real parts).</summary>
    public double DensitiesPlanar(ReadOnlySpan<double> re, Span<double> n) => Densities(re, n, planar: true);

    /// <summary>The bond currents j_x = −2 J Im tr(a+_x a_{x+1} X), x = 1..L−1, into <paramref name="bonds"/>, of planar
    /// full blocks (imaginary parts), J the hopping: the formula of the output's bond currents.</summary>
    public void BondCurrentsPlanar(ReadOnlySpan<double> im, double J, Span<double> bonds)
    {
        int L = Length;
        bonds.Clear();
        var basis = Model.Basis;
        for (int N = 0; N <= L; N++)
        {
            int d = Size[N], o = Offset[N];
            var states = basis.Blocks[N];
            for (int a = 0; a < d; a++)
                foreach (var (x, b, sign) in basis.Hops(states[a]))
                    bonds[x - 1] += -2 * J * sign * im[o + a * d + b];
        }
    }
}
