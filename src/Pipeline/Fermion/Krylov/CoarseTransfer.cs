using System.Runtime.InteropServices;
using Ness.Numerics.Dense;

namespace Ness.Pipeline.Fermion.Krylov;

/// <summary>
/// The transfers of <see cref="TwoLevelPreconditioner"/> between the sectors and its coarse space, block by block in the
/// eigenbases U_n of the sector Hamiltonians: the restriction of R_n to the populations (U^T Re(R) U)_aa and to the
/// coherences Re, Im (U^T R U)_ab of the chosen pairs, and the prolongation of a coarse vector to U C U^T, C = diag(populations)
/// plus C_ab = x + i y, C_ba = x − i y. Each is one or two real products of d × d blocks (<c>DenseKernels.Gemm</c>) held in
/// <typeparamref name="T"/>: <see cref="Real32"/> (float, the default: half the memory traffic and twice the SIMD width; at
/// L = 12 the double transfers took a quarter of a solve's time, docs/benchmarks.md) or <see cref="Real64"/> (double). The
/// populations and coherences are summed in double. Flexible GMRES keeps each preconditioned direction exactly as computed,
/// so the rounding changes the convergence rate at most, as the smoother's (<see cref="SylvesterSmoother{T}"/>).
/// </summary>
public sealed class CoarseTransfer<T> : ICoarseTransfer where T : unmanaged, IReal<T>
{
    readonly DenseKernels kernels;
    readonly int[] size, offset, coarseOffset, pairOffset;
    readonly int[][] pairs;
    readonly double[][] u, ut;     // U_n (columns: eigenvectors) and U_n^T, row-major: the preconditioner's own
    readonly T[][]? uh, uth;       // the same in T, unless T is double
    readonly T[] aR, aI, yR, yI;   // workspace over the whole sector: the input blocks and the products

    /// <param name="u">U_n and <paramref name="ut"/> U_n^T in double (kept; copied into T unless T is double).</param>
    /// <param name="coarseOffset">Where block n's populations start in the coarse vector.</param>
    /// <param name="pairs">Per block, the chosen pairs (a, b) flattened; their (x, y) at <paramref name="pairOffset"/>[n] + 2k.</param>
    public CoarseTransfer(DenseKernels kernels, int[] size, int[] offset, int dimension, double[][] u, double[][] ut,
        int[] coarseOffset, int[][] pairs, int[] pairOffset)
    {
        this.kernels = kernels;
        (this.size, this.offset, this.coarseOffset, this.pairs, this.pairOffset) = (size, offset, coarseOffset, pairs, pairOffset);
        (this.u, this.ut) = (u, ut);
        if (typeof(T) != typeof(Real64)) (uh, uth) = (Array.ConvertAll(u, Held), Array.ConvertAll(ut, Held));
        (aR, aI, yR, yI) = (new T[dimension], new T[dimension], new T[dimension], new T[dimension]);
    }

    static T[] Held(double[] x)
    {
        var y = new T[x.Length];
        for (int k = 0; k < x.Length; k++) y[k] = T.From(x[k]);
        return y;
    }

    /// <summary>U_n and U_n^T in T.</summary>
    ReadOnlySpan<T> U(int n) => uh is null ? MemoryMarshal.Cast<double, T>(u[n]) : uh[n];
    ReadOnlySpan<T> Ut(int n) => uth is null ? MemoryMarshal.Cast<double, T>(ut[n]) : uth[n];

    /// <summary>Numbers of type T held for a sector of dimension D: 4 D of workspace, and U_n, U_n^T (2 D) in single
    /// precision (in double they are the preconditioner's own).</summary>
    public static double Workspace(long D) => (typeof(T) == typeof(Real64) ? 4.0 : 6.0) * D;

    public string Precision => T.Precision;

    /// <summary>The populations (U^T Re(R) U)_aa and the pairs' Re, Im (U^T R U)_ab of block n into the coarse vector c.</summary>
    public void RestrictBlock(int n, ReadOnlySpan<double> re, ReadOnlySpan<double> im, Span<double> c)
    {
        int d = size[n], o = offset[n], dd = d * d;
        var un = U(n);
        var pn = pairs[n];
        int np = pn.Length / 2, po = pairOffset[n];
        var Y = yR.AsSpan(o, dd);
        Gemm(d, In(re.Slice(o, dd), aR.AsSpan(o, dd)), un, Y);                   // Re(R) U
        var Yi = yI.AsSpan(o, dd);
        if (np > 0) Gemm(d, In(im.Slice(o, dd), aI.AsSpan(o, dd)), un, Yi);      // Im(R) U
        var pop = c.Slice(coarseOffset[n], d);
        pop.Clear();
        c.Slice(po, 2 * np).Clear();
        for (int q = 0; q < d; q++)                                                  // sums over rows q of U ∘ Y, row by row
        {
            var ur = un.Slice(q * d, d);
            var yr = Y.Slice(q * d, d);
            for (int a = 0; a < d; a++) pop[a] += D(ur[a]) * D(yr[a]);
            if (np == 0) continue;
            var yi = Yi.Slice(q * d, d);
            for (int k = 0; k < np; k++)
            {
                int a = pn[2 * k], b = pn[2 * k + 1];
                c[po + 2 * k] += D(ur[a]) * D(yr[b]);
                c[po + 2 * k + 1] += D(ur[a]) * D(yi[b]);
            }
        }
    }

    /// <summary>Block n of U C U^T from the coarse vector p, added to (or, without <paramref name="add"/>, written over)
    /// the planar block of re, im.</summary>
    public void ProlongBlock(int n, ReadOnlySpan<double> p, Span<double> re, Span<double> im, bool add)
    {
        int d = size[n], o = offset[n], dd = d * d;
        var un = U(n);
        var pn = pairs[n];
        int np = pn.Length / 2, po = pairOffset[n];
        var pop = p.Slice(coarseOffset[n], d);
        var us = aR.AsSpan(o, dd);                                                   // U C_re, row by row
        var ui = aI.AsSpan(o, dd);                                                   // U C_im
        for (int i = 0; i < d; i++)
        {
            var ur = un.Slice(i * d, d);
            var sr = us.Slice(i * d, d);
            for (int j = 0; j < d; j++) sr[j] = ur[j] * T.From(pop[j]);
            if (np == 0) continue;
            var si = ui.Slice(i * d, d);
            si.Clear();
            for (int k = 0; k < np; k++)
            {
                int a = pn[2 * k], b = pn[2 * k + 1];
                T x = T.From(p[po + 2 * k]), y = T.From(p[po + 2 * k + 1]);
                sr[b] += ur[a] * x; sr[a] += ur[b] * x;
                si[b] += ur[a] * y; si[a] -= ur[b] * y;
            }
        }
        var Yr = yR.AsSpan(o, dd); var Yi = yI.AsSpan(o, dd);
        Gemm(d, us, Ut(n), Yr);
        if (np > 0) Gemm(d, ui, Ut(n), Yi);
        Out(Yr, re.Slice(o, dd), add);
        if (np > 0) Out(Yi, im.Slice(o, dd), add);
        else if (!add) im.Slice(o, dd).Clear();
    }

    /// <summary>x in T (itself in double, else converted into the workspace <paramref name="a"/>).</summary>
    static ReadOnlySpan<T> In(ReadOnlySpan<double> x, Span<T> a)
    {
        if (typeof(T) == typeof(Real64)) return MemoryMarshal.Cast<double, T>(x);
        for (int k = 0; k < x.Length; k++) a[k] = T.From(x[k]);
        return a;
    }

    static void Out(ReadOnlySpan<T> y, Span<double> x, bool add)
    {
        if (add) for (int k = 0; k < y.Length; k++) x[k] += T.ToDouble(y[k]);
        else for (int k = 0; k < y.Length; k++) x[k] = T.ToDouble(y[k]);
    }

    static double D(T x) => T.ToDouble(x);

    /// <summary>C = A B for d × d blocks.</summary>
    void Gemm(int d, ReadOnlySpan<T> A, ReadOnlySpan<T> B, Span<T> C) => T.Gemm(kernels, d, A, B, C);
}

/// <summary>The restriction and prolongation of <see cref="TwoLevelPreconditioner"/>, in single or double precision
/// (<see cref="CoarseTransfer{T}"/>); blocks may be transferred concurrently.</summary>
public interface ICoarseTransfer
{
    void RestrictBlock(int n, ReadOnlySpan<double> re, ReadOnlySpan<double> im, Span<double> c);
    void ProlongBlock(int n, ReadOnlySpan<double> p, Span<double> re, Span<double> im, bool add);
    string Precision { get; }
}
