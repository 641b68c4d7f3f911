using System.Runtime.Intrinsics;

namespace Ness.Numerics.Tridiagonal;

/// <summary>
/// All eigenvalues (omega_k^2 of eq. (2.8) for the harmonic chain) of a <see cref="SymmetricTridiagonal"/> matrix,
/// by bisection on Sturm counts (the signs of the pivots of the LDL^T factorization of H - sigma), carried to
/// full double precision: each bracket is halved until no double lies strictly between its ends.
/// The pivot recurrence is backward stable with small relative perturbations of the entries, so every
/// eigenvalue is accurate to a few ulps of ||H||. Eight eigenvalues are bisected side by side in two
/// 256-bit vectors, which hides the latency of the division in the pivot recurrence.
/// Time O(L^2 log(1/eps)), memory O(L).
/// </summary>
public static class SturmBisection
{
    /// <summary>Pivots smaller than this (times max(1, g^2)) are replaced by -pivmin, as in LAPACK dstebz.</summary>
    const double SmallestNormal = 2.2250738585072014E-308;

    /// <summary>The eigenvalues of H in ascending order, and the number of Sturm sweeps done.</summary>
    public static (double[] Eigenvalues, long Sweeps) Eigenvalues(SymmetricTridiagonal h)
    {
        int n = h.Length;
        var d = h.Diagonal.AsSpan();
        double g2 = h.Coupling * h.Coupling;
        double pivmin = SmallestNormal * Math.Max(1.0, g2);
        var (glo, ghi) = h.Gershgorin();
        double pad = SmallestNormal + 2.2e-16 * Math.Max(Math.Abs(glo), Math.Abs(ghi)) * n;
        glo -= pad; ghi += pad;

        var result = new double[n];
        long sweeps = 0;
        Span<double> lo = stackalloc double[8], hi = stackalloc double[8], mid = stackalloc double[8];
        Span<long> target = stackalloc long[8], count = stackalloc long[8];
        for (int k0 = 0; k0 < n; k0 += 8)
        {
            for (int j = 0; j < 8; j++)
            {
                target[j] = Math.Min(k0 + j, n - 1);
                lo[j] = glo; hi[j] = ghi;
            }
            while (true)
            {
                bool done = true;
                for (int j = 0; j < 8; j++)
                {
                    mid[j] = 0.5 * (lo[j] + hi[j]);
                    if (mid[j] > lo[j] && mid[j] < hi[j]) done = false;
                }
                if (done) break;
                Count(d, g2, pivmin, mid, count);
                sweeps++;
                for (int j = 0; j < 8; j++)
                {
                    // invariant: count(lo) <= k < count(hi)
                    if (count[j] <= target[j]) lo[j] = mid[j]; else hi[j] = mid[j];
                }
            }
            for (int j = 0; j < 8 && k0 + j < n; j++) result[k0 + j] = 0.5 * (lo[j] + hi[j]);
        }
        return (result, sweeps);
    }

    /// <summary>Number of eigenvalues of H below sigma (one value per lane): the negative pivots of H - sigma.</summary>
    public static long CountBelow(SymmetricTridiagonal h, double sigma)
    {
        Span<double> s = stackalloc double[8];
        Span<long> c = stackalloc long[8];
        s.Fill(sigma);
        Count(h.Diagonal.AsSpan(), h.Coupling * h.Coupling,
            SmallestNormal * Math.Max(1.0, h.Coupling * h.Coupling), s, c);
        return c[0];
    }

    static void Count(ReadOnlySpan<double> d, double g2, double pivmin, ReadOnlySpan<double> sigma, Span<long> count)
    {
        var s0 = Vector256.Create(sigma[0], sigma[1], sigma[2], sigma[3]);
        var s1 = Vector256.Create(sigma[4], sigma[5], sigma[6], sigma[7]);
        var piv = Vector256.Create(pivmin);
        var negPiv = Vector256.Create(-pivmin);
        var vg2 = Vector256.Create(g2);
        var zero = Vector256<double>.Zero;

        var di = Vector256.Create(d[0]);
        var q0 = di - s0;
        var q1 = di - s1;
        q0 = Vector256.ConditionalSelect(Vector256.LessThan(Vector256.Abs(q0), piv), negPiv, q0);
        q1 = Vector256.ConditionalSelect(Vector256.LessThan(Vector256.Abs(q1), piv), negPiv, q1);
        var c0 = Vector256.LessThan(q0, zero).AsInt64();
        var c1 = Vector256.LessThan(q1, zero).AsInt64();
        for (int i = 1; i < d.Length; i++)
        {
            di = Vector256.Create(d[i]);
            q0 = (di - s0) - vg2 / q0;
            q1 = (di - s1) - vg2 / q1;
            q0 = Vector256.ConditionalSelect(Vector256.LessThan(Vector256.Abs(q0), piv), negPiv, q0);
            q1 = Vector256.ConditionalSelect(Vector256.LessThan(Vector256.Abs(q1), piv), negPiv, q1);
            c0 += Vector256.LessThan(q0, zero).AsInt64();
            c1 += Vector256.LessThan(q1, zero).AsInt64();
        }
        // the comparison masks are -1 per negative pivot
        for (int j = 0; j < 4; j++) { count[j] = -c0.GetElement(j); count[j + 4] = -c1.GetElement(j); }
    }
}
