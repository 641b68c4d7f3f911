
namespace Ness.Numerics.Tridiagonal;

/// <summary>
/// ln|psi_k(x)|^2 of one normalized eigenvector of a <see cref="SymmetricTridiagonal"/> matrix (eq. (2.8) for the harmonic chain) with full relative accuracy in the exponentially
/// small tails, by a twisted factorization of H - omega^2 (Dhillon-Parlett):
/// the pivots D+_x of the LDL^T factorization run from the left end, the pivots D-_x of the UDU^T
/// factorization from the right end; the twist index r minimizes |gamma_r| = |D+_r - g^2 / D-_{r+1}|
/// (1/gamma_r is the diagonal of the resolvent, so r sits at the mode's centre), and the eigenvector is
/// built OUTWARD from r by the ratios psi(x)/psi(x+1) = g / D+_x (x &lt; r), psi(x)/psi(x-1) = g / D-_x (x &gt; r),
/// accumulated as logarithms, so nothing underflows. Normalization is a log-sum-exp.
/// O(L) time, three work arrays of length L.
/// </summary>
public static class TwistedEigenvector
{
    /// <summary>Math.Exp(x) is 0 for x below about −745.13 (e^x under the smallest subnormal double, 4.9e-324):
    /// terms with a smaller logarithm contribute nothing and are skipped.</summary>
    public const double ExpUnderflow = -745;

    const double SmallestNormal = 2.2250738585072014E-308;

    /// <summary>
    /// Fills <paramref name="logPsi2"/> with ln|psi(x)|^2 (normalized: sum_x |psi(x)|^2 = 1) for the eigenvalue
    /// <paramref name="omega2"/> of H. Returns the twist index r and the relative residual |gamma_r| / ||z||
    /// (||(H - omega^2) z|| / ||z|| for the unnormalized twisted vector z with z_r = 1).
    /// </summary>
    public static (int Twist, double Residual) LogSquares(
        SymmetricTridiagonal h, double omega2, Span<double> dPlus, Span<double> dMinus, Span<double> logPsi2)
    {
        var d = h.Diagonal.AsSpan();
        int n = d.Length;
        double g = h.Coupling, g2 = g * g, lnG = Math.Log(g);
        double pivmin = SmallestNormal * Math.Max(1.0, g2);

        double p = d[0] - omega2;
        dPlus[0] = Math.Abs(p) < pivmin ? -pivmin : p;
        for (int x = 1; x < n; x++)
        {
            p = (d[x] - omega2) - g2 / dPlus[x - 1];
            dPlus[x] = Math.Abs(p) < pivmin ? -pivmin : p;
        }
        double m = d[n - 1] - omega2;
        dMinus[n - 1] = Math.Abs(m) < pivmin ? -pivmin : m;
        for (int x = n - 2; x >= 0; x--)
        {
            m = (d[x] - omega2) - g2 / dMinus[x + 1];
            dMinus[x] = Math.Abs(m) < pivmin ? -pivmin : m;
        }

        int r = n - 1;
        double best = Math.Abs(dPlus[n - 1]);
        for (int x = 0; x < n - 1; x++)
        {
            double gamma = Math.Abs(dPlus[x] - g2 / dMinus[x + 1]);
            if (gamma < best) { best = gamma; r = x; }
        }

        // ln|z_x| with z_r = 1, outward from the twist index; max kept for the log-sum-exp
        logPsi2[r] = 0;
        double max = 0;
        for (int x = r - 1; x >= 0; x--)
        {
            double l = logPsi2[x + 1] + lnG - Math.Log(Math.Abs(dPlus[x]));
            logPsi2[x] = l;
            if (l > max) max = l;
        }
        for (int x = r + 1; x < n; x++)
        {
            double l = logPsi2[x - 1] + lnG - Math.Log(Math.Abs(dMinus[x]));
            logPsi2[x] = l;
            if (l > max) max = l;
        }

        // ln ||z||^2 = 2 max + ln sum_x exp(2 (ln|z_x| - max)); terms that underflow are left out harmlessly
        double sum = 0;
        for (int x = 0; x < n; x++)
        {
            double e = 2 * (logPsi2[x] - max);
            if (e > ExpUnderflow) sum += Math.Exp(e);
        }
        double logNorm2 = 2 * max + Math.Log(sum);
        for (int x = 0; x < n; x++) logPsi2[x] = 2 * logPsi2[x] - logNorm2;
        return (r, best * Math.Exp(-0.5 * logNorm2));
    }
}
