using System.Numerics;
using System.Runtime.CompilerServices;
using Ness.Numerics.Dense;

namespace Ness.Pipeline.Fermion.Krylov;

/// <summary>
/// The smoother S of <see cref="TwoLevelPreconditioner"/>: solves K_n X + X K_n^+ = R_n block by block, with the
/// eigendecomposition K_n = V diag(w) V^{-1} computed once: X = V [(V^{-1} R V^{-+}) ./ (w_i + conj w_j)] V^+.
/// Complex products are 3 real products each (Gauss). The eigen-data and the products are held in
/// <typeparamref name="T"/>: <see cref="Real32"/> (float; mixed precision, the default: half the memory traffic and twice
/// the SIMD width of double) or <see cref="Real64"/> (double). Flexible GMRES keeps each preconditioned direction exactly as
/// computed, so the smoother's rounding changes the convergence rate at most, never the accuracy of the result.
/// </summary>
public sealed class SylvesterSmoother<T> : IBlockSmoother where T : unmanaged, IReal<T>
{
    readonly DenseKernels kernels;
    readonly int[] size, offset;
    // per block, planar row-major: V, V^+, W = V^{-1}, W^+ (re, im, re + im); 1/(w_i + conj w_j) (re, im)
    readonly T[][] vr, vi, vs, vhr, vhi, vhs, wr, wi, ws, whr, whi, whs, invR, invI;
    // workspace over the whole sector: input, two intermediates, two sums
    readonly T[] inR, inI, tR, tI, pR, pI, s1, s2;

    public SylvesterSmoother(DenseKernels kernels, int[] size, int[] offset, int dimension)
    {
        this.kernels = kernels;
        this.size = size;
        this.offset = offset;
        int nb = size.Length;
        T[][] New() => new T[nb][];
        (vr, vi, vs, vhr, vhi, vhs) = (New(), New(), New(), New(), New(), New());
        (wr, wi, ws, whr, whi, whs) = (New(), New(), New(), New(), New(), New());
        (invR, invI) = (New(), New());
        (inR, inI, tR, tI) = (new T[dimension], new T[dimension], new T[dimension], new T[dimension]);
        (pR, pI, s1, s2) = (new T[dimension], new T[dimension], new T[dimension], new T[dimension]);
    }

    /// <summary>Bytes per stored number (4 for the mixed-precision smoother).</summary>
    public static int Bytes => Unsafe.SizeOf<T>();

    /// <summary>Numbers of type T held for a sector of dimension D: 14 D of eigen-data, 8 D of workspace.</summary>
    public static double Workspace(long D) => 22.0 * D;

    public string Precision => T.Precision;

    /// <summary>Stores block n's eigen-data (eigenvectors V, their inverse W, eigenvalues w); blocks may be set
    /// concurrently.</summary>
    public void SetBlock(int n, Func<int, int, Complex> V, Func<int, int, Complex> W, Func<int, Complex> w)
    {
        int d = size[n], dd = d * d;
        T[] A() => new T[dd];
        (vr[n], vi[n], vs[n], vhr[n], vhi[n], vhs[n]) = (A(), A(), A(), A(), A(), A());
        (wr[n], wi[n], ws[n], whr[n], whi[n], whs[n]) = (A(), A(), A(), A(), A(), A());
        (invR[n], invI[n]) = (A(), A());
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
            {
                var v = V(i, j); var m = W(i, j);
                Put(vr[n], vi[n], vs[n], i * d + j, v.Real, v.Imaginary);
                Put(vhr[n], vhi[n], vhs[n], j * d + i, v.Real, -v.Imaginary);
                Put(wr[n], wi[n], ws[n], i * d + j, m.Real, m.Imaginary);
                Put(whr[n], whi[n], whs[n], j * d + i, m.Real, -m.Imaginary);
                var den = w(i) + Complex.Conjugate(w(j));
                var inv = den.Magnitude > 1e-300 ? 1 / den : Complex.Zero;
                invR[n][i * d + j] = T.From(inv.Real);
                invI[n][i * d + j] = T.From(inv.Imaginary);
            }
    }

    static void Put(T[] re, T[] im, T[] sum, int k, double a, double b)
    {
        re[k] = T.From(a);
        im[k] = T.From(b);
        sum[k] = re[k] + im[k];
    }

    /// <summary>X_n = S(R_n) for block n, planar double in and out.</summary>
    public void SmoothBlock(int n, ReadOnlySpan<double> rR, ReadOnlySpan<double> rI, Span<double> xR, Span<double> xI)
    {
        int d = size[n], o = offset[n], dd = d * d;
        var Rr = inR.AsSpan(o, dd); var Ri = inI.AsSpan(o, dd);
        var Tr = tR.AsSpan(o, dd); var Ti = tI.AsSpan(o, dd);
        var Pr = pR.AsSpan(o, dd); var Pi = pI.AsSpan(o, dd);
        var q1 = s1.AsSpan(o, dd); var q2 = s2.AsSpan(o, dd);
        for (int k = 0; k < dd; k++)
        {
            Rr[k] = T.From(rR[o + k]);
            Ri[k] = T.From(rI[o + k]);
            q1[k] = Rr[k] + Ri[k];
        }
        Gauss3(d, wr[n], wi[n], ws[n], Rr, Ri, q1, Tr, Ti, q2);                 // T = W R
        Sum(Tr, Ti, q1);
        Gauss3(d, Tr, Ti, q1, whr[n], whi[n], whs[n], Pr, Pi, q2);              // P = T W^+
        var ir = invR[n]; var ii = invI[n];
        for (int k = 0; k < dd; k++)                                             // P ./= (w_i + conj w_j)
        {
            T a = Pr[k], b = Pi[k];
            Pr[k] = a * ir[k] - b * ii[k];
            Pi[k] = a * ii[k] + b * ir[k];
            q1[k] = Pr[k] + Pi[k];
        }
        Gauss3(d, vr[n], vi[n], vs[n], Pr, Pi, q1, Tr, Ti, q2);                 // T = V P
        Sum(Tr, Ti, q1);
        Gauss3(d, Tr, Ti, q1, vhr[n], vhi[n], vhs[n], Pr, Pi, q2);              // X = T V^+
        var Xr = xR.Slice(o, dd); var Xi = xI.Slice(o, dd);
        for (int k = 0; k < dd; k++) { Xr[k] = T.ToDouble(Pr[k]); Xi[k] = T.ToDouble(Pi[k]); }
    }

    static void Sum(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> s)
    {
        for (int k = 0; k < s.Length; k++) s[k] = x[k] + y[k];
    }

    /// <summary>Complex C = A B from three real products (Gauss): Cr = ArBr − AiBi, Ci = (Ar + Ai)(Br + Bi) − ArBr − AiBi,
    /// given As = Ar + Ai and Bs = Br + Bi.</summary>
    void Gauss3(int d, ReadOnlySpan<T> Ar, ReadOnlySpan<T> Ai, ReadOnlySpan<T> As,
        ReadOnlySpan<T> Br, ReadOnlySpan<T> Bi, ReadOnlySpan<T> Bs, Span<T> Cr, Span<T> Ci, Span<T> s2)
    {
        int dd = d * d;
        Gemm(d, Ar, Br, Cr);
        Gemm(d, Ai, Bi, s2);
        Gemm(d, As, Bs, Ci);
        for (int k = 0; k < dd; k++) { Ci[k] -= Cr[k] + s2[k]; Cr[k] -= s2[k]; }
    }

    void Gemm(int d, ReadOnlySpan<T> A, ReadOnlySpan<T> B, Span<T> C) => T.Gemm(kernels, d, A, B, C);
}
