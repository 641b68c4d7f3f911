using System.Numerics;

namespace Ness.Numerics.Quadratic;

/// <summary>
/// Twisted factorizations of the complex symmetric tridiagonal T(z) of a <see cref="DampedChain"/>
/// (Dhillon–Parlett, in complex arithmetic): pivots D+_x of T = L D+ L^T from the first site, D−_x of T = U D− U^T
/// from the last, and gamma_x = D+_x − b^2 / D−_{x+1} = 1 / [T(z)^-1]_xx.
/// The eigenvector is built outward from the twist r = argmin |gamma_r| by the ratios v_x / v_{x+1} = −b / D+_x
/// (x &lt; r) and v_x / v_{x−1} = −b / D−_x (x &gt; r), accumulated as logarithms: the ratios are computed inward from
/// the ends, so the exponentially small end amplitudes keep full relative accuracy and nothing underflows.
/// O(L) time per call.
/// </summary>
public static class ComplexTwisted
{
    const double Tiny = 1e-300;

    static void Pivots(DampedChain c, Complex z, Span<Complex> dPlus, Span<Complex> dMinus)
    {
        int n = c.Length;
        double b2 = c.OffDiagonal * c.OffDiagonal;
        var p = c.Diag(0, z);
        dPlus[0] = Guard(p);
        for (int x = 1; x < n; x++) dPlus[x] = Guard(c.Diag(x, z) - b2 / dPlus[x - 1]);
        dMinus[n - 1] = Guard(c.Diag(n - 1, z));
        for (int x = n - 2; x >= 0; x--) dMinus[x] = Guard(c.Diag(x, z) - b2 / dMinus[x + 1]);
    }

    static Complex Guard(Complex p) => Complex.Abs(p) < Tiny ? new Complex(Tiny, 0) : p;

    static Complex Gamma(DampedChain c, int x, Span<Complex> dPlus, Span<Complex> dMinus) =>
        x == c.Length - 1 ? dPlus[x] : dPlus[x] - c.OffDiagonal * c.OffDiagonal / dMinus[x + 1];

    /// <summary>d/dz ln det T(z) = tr(T^-1 T') = sum_x T'_xx / gamma_x (the Newton ratio of the characteristic
    /// polynomial is its inverse).</summary>
    public static Complex LogDerivative(DampedChain c, Complex z, Span<Complex> dPlus, Span<Complex> dMinus)
    {
        Pivots(c, z, dPlus, dMinus);
        Complex s = 0;
        for (int x = 0; x < c.Length; x++) s += c.Deriv(x, z) / Guard(Gamma(c, x, dPlus, dMinus));
        return s;
    }

    /// <summary>
    /// The twisted eigenvector at z: <paramref name="logAbs"/>[x] = ln|v_x|, <paramref name="phase"/>[x] = v_x/|v_x|,
    /// with v_r = 1 at the twist r. Returns r and gamma_r (T(z) v = gamma_r e_r).
    /// </summary>
    public static (int Twist, Complex GammaR) Vector(
        DampedChain c, Complex z, Span<Complex> dPlus, Span<Complex> dMinus, Span<double> logAbs, Span<Complex> phase)
    {
        int n = c.Length;
        Pivots(c, z, dPlus, dMinus);
        int r = n - 1;
        var best = Gamma(c, n - 1, dPlus, dMinus);
        for (int x = 0; x < n - 1; x++)
        {
            var g = Gamma(c, x, dPlus, dMinus);
            if (Complex.Abs(g) < Complex.Abs(best)) { best = g; r = x; }
        }
        double b = c.OffDiagonal;
        logAbs[r] = 0;
        phase[r] = Complex.One;
        for (int x = r - 1; x >= 0; x--) Step(-b / dPlus[x], x, x + 1, logAbs, phase);
        for (int x = r + 1; x < n; x++) Step(-b / dMinus[x], x, x - 1, logAbs, phase);
        return (r, best);
    }

    static void Step(Complex ratio, int x, int from, Span<double> logAbs, Span<Complex> phase)
    {
        double m = Complex.Abs(ratio);
        logAbs[x] = logAbs[from] + Math.Log(m);
        var u = phase[from] * (ratio / m);
        phase[x] = u / Complex.Abs(u);
    }
}
