using System.Numerics;
using LanguageExt;
using LanguageExt.Common;
using MathNet.Numerics.LinearAlgebra;
using Ness.Operators.Harmonic;

namespace Ness.Pipeline.Harmonic;

/// <summary>
/// The exact NESS covariance at finite bath coupling lambda, eq. (2.5)-(2.7): C solves the Lyapunov equation
/// A C + C A^T + S S^T = 0, and T(x) = C_pp[x,x]. Solved through the spectral decomposition of A, eq. (2.6):
/// with A W = W E and Y = W^-1, C = W X W^H, X_kl = -(Y S S^T Y^H)_kl / (E_k + conj(E_l)).
/// The profile is affine in (T1, TL), so the two baths are solved separately at unit temperature
/// (T = T1 a + TL b) and the sum a + b (both baths at T = 1) is checked against equilibrium, where the exact
/// covariance is known: C_qq = H^-1, C_qp = 0, C_pp = 1.
/// Dense O(L^3), double precision. It refuses (exit 3) whenever the result cannot be certified to ~1e-9:
/// in long, strongly localized chains the damping -Re E_k of middle modes falls below double precision
/// (it scales like lambda |psi_k(1)|^2), and any double-precision solver then returns garbage.
/// </summary>
public static class ExactCovariance
{
    public const string Method = "finite-lambda: eigendecomposition of A (eq. 2.6), dense double precision";

    /// <summary>Longest chain solved (the 2L x 2L dense eigenproblem grows like L^3 in time and L^2 in memory).</summary>
    public const int MaxLength = 500;

    /// <summary>Refuse before the O(L^3) work when eps / (estimated smallest damping) exceeds this: the error of
    /// any double-precision solve is then of that order, far above <see cref="Tolerance"/>.</summary>
    public const double HopelessError = 1e-6;

    /// <summary>Largest tolerated estimate of the absolute error of T, relative to max(T1, TL).</summary>
    public const double Tolerance = 1e-9;

    /// <summary>eq. (2.6)-(2.7): T(x) = &lt;p_x^2&gt;_ness at the finite bath coupling of <paramref name="p"/>.</summary>
    public static Fin<TemperatureProfile> Profile(HarmonicParameters p) => Solve(p).Map(s => s.Profile);

    /// <summary><see cref="Solve(HarmonicParameters, double)"/> at the bath coupling of <paramref name="p"/>, which
    /// must be finite (exit 2 at weak coupling: eq. 2.6 has no covariance in the limit lambda → 0).</summary>
    public static Fin<(TemperatureProfile Profile, Matrix<Complex> Left, Matrix<Complex> Right)> Solve(HarmonicParameters p) =>
        p.Bath is BathCoupling.Finite f
            ? Solve(p, f.Lambda)
            : new BadInput("covariance", "the covariance is computed at finite bath coupling only (eq. 2.6); give bathCoupling (lambda > 0)");

    /// <summary>The profile together with the two unit-bath covariances of eq. (2.6): <c>Left</c> solves
    /// A C + C A^T + 2 lambda e_p1 e_p1^T = 0 (bath at site 1 at T = 1, site L at T = 0), <c>Right</c> the same for
    /// site L; the NESS covariance is T1 Left + TL Right (2L x 2L, coordinates (q, p)).</summary>
    public static Fin<(TemperatureProfile Profile, Matrix<Complex> Left, Matrix<Complex> Right)> Solve(HarmonicParameters p, double lambda)
    {
        int n = p.Length, dim = 2 * n;
        if (n > MaxLength)
            return new NumericsRefused(
                $"finite lambda: L = {n} is too large for the dense solver (limit L = {MaxLength}); use --weak-coupling");
        var h = ChainHamiltonian.Of(p.Pinning, p.Coupling);
        double logDamping = ModeDamping.LogMinimum(h, lambda);
        if (Math.Log(Eps) - logDamping > Math.Log(HopelessError))
            return Refuse($"the damping of the most weakly damped mode is about 10^{logDamping / Math.Log(10):F0} " +
                          $"(estimated from |psi_k(1)|^2 + |psi_k(L)|^2), below double-precision resolution " +
                          $"(eps = {Eps:G2}): A C + C A^T + S S^T = 0 is then too ill-conditioned for any double-precision solver");
        var a = DriftMatrix.Of(h, lambda);
        double normA = a.InfinityNorm();

        var (e, w) = DriftSpectrum.Of(a);
        double maxRe = double.NegativeInfinity, minDamping = double.PositiveInfinity;
        for (int k = 0; k < dim; k++) { maxRe = Math.Max(maxRe, e[k].Real); minDamping = Math.Min(minDamping, -e[k].Real); }
        if (!(maxRe < 0))
            return Refuse($"an eigenvalue of A has Re E = {maxRe:G3} >= 0 in double precision (the damping of some mode " +
                          "is below machine precision)");

        var y = w.Inverse();
        var ac = a.ToComplex();
        double eigenResidual = (ac * w - w * Matrix<Complex>.Build.DiagonalOfDiagonalArray(e)).Enumerate().Max(Complex.Abs)
                               / (normA * w.Enumerate().Max(Complex.Abs));
        double inverseError = (y * w - Matrix<Complex>.Build.DenseIdentity(dim)).Enumerate().Max(Complex.Abs);

        // first-order bound on the relative error of the denominators E_k + conj(E_l): eps ||A|| kappa_k / |Re E_k|
        double conditionBound = 0;
        for (int k = 0; k < dim; k++)
        {
            double kappa = w.Column(k).L2Norm() * y.Row(k).L2Norm();
            conditionBound = Math.Max(conditionBound, Eps * normA * kappa / -e[k].Real);
        }

        var cLeft = UnitBathCovariance(ac, w, y, e, n, lambda);          // bath at site 1 at T = 1, site L at T = 0
        var cRight = UnitBathCovariance(ac, w, y, e, dim - 1, lambda);   // bath at site L at T = 1, site 1 at T = 0

        var equilibrium = ExactEquilibrium(h);
        double equilibriumError = (cLeft + cRight - equilibrium).Enumerate().Max(Complex.Abs);
        double residual = Math.Max(LyapunovResidual(ac, cLeft, n, lambda), LyapunovResidual(ac, cRight, dim - 1, lambda));
        double asymmetry = Math.Max(Asymmetry(cLeft), Asymmetry(cRight));

        var t = new double[n];
        for (int x = 0; x < n; x++)
            t[x] = p.TLeft * cLeft[n + x, n + x].Real + p.TRight * cRight[n + x, n + x].Real;
        double currentLeft = lambda * (p.TLeft - t[0]), currentRight = -lambda * (p.TRight - t[n - 1]);
        double currentMismatch = Math.Abs(currentLeft - currentRight);

        double tmax = Math.Max(p.TLeft, p.TRight);
        double errorEstimate = tmax * Math.Max(Math.Max(conditionBound, equilibriumError), Math.Max(asymmetry, inverseError))
                               + currentMismatch / lambda;
        string why = $"the result cannot be certified: estimated error {errorEstimate:G3} of T (tolerance {Tolerance:G1} x max(T1,TL)); " +
                     $"smallest damping min_k |Re E_k| = {minDamping:G3}, condition bound {conditionBound:G3}, " +
                     $"equilibrium check (T1 = TL) error {equilibriumError:G3}, current mismatch {currentMismatch:G3}, " +
                     $"Lyapunov residual {residual:G3}";
        var cert = new Certificate(Method,
        [
            new Check("lyapunov_residual", residual, MaxLyapunovResidual, why),
            new Number("symmetry_error", asymmetry),
            new Number("equilibrium_error", equilibriumError),
            new Number("current_mismatch", currentMismatch),
            new Number("min_damping", minDamping),
            new Number("condition_bound", conditionBound),
            new Number("eigen_residual", eigenResidual),
            new Number("inverse_error", inverseError),
            new Check("error_estimate", errorEstimate, Tolerance * Math.Max(tmax, double.Epsilon), why),
            new Number("log10_min_damping_estimate", logDamping / Math.Log(10)),
        ]);
        if (cert.FirstFailure.IsSome) return Refuse(why);
        return (new TemperatureProfile([.. t], cert), cLeft, cRight);
    }

    /// <summary>Largest residual of the Lyapunov equation (relative to its terms) accepted.</summary>
    public const double MaxLyapunovResidual = 1e-12;

    const double Eps = DriftSpectrum.Eps;

    static Error Refuse(string why) =>
        new NumericsRefused($"finite lambda: {why}. Double precision cannot vouch for this profile; " +
                            "use --weak-coupling (eq. 2.9, accurate in the tails at any length) or a shorter / less localized chain");

    /// <summary>eq. (2.6) for S S^T = 2 lambda |b&gt;&lt;b| (one bath at unit temperature on the p-coordinate b):
    /// C = W X W^H, X_kl = -2 lambda Y_kb conj(Y_lb) / (E_k + conj(E_l)); then one step of iterative refinement with
    /// the same eigenvectors (C += W Z W^H, Z_kl = -(Y R Y^H)_kl / (E_k + conj(E_l)), R = A C + C A^T + S S^T): the
    /// spectral solve alone loses ~eps kappa(W) (T off by 2e-12 at L = 6, lambda = 1, against a 40-digit solve;
    /// after the step 1e-15).</summary>
    static Matrix<Complex> UnitBathCovariance(Matrix<Complex> a, Matrix<Complex> w, Matrix<Complex> y, Complex[] e, int b, double lambda)
    {
        int dim = e.Length;
        var u = y.Column(b);
        var c = w * Matrix<Complex>.Build.Dense(dim, dim, (k, l) => -2 * lambda * u[k] * Complex.Conjugate(u[l]) / (e[k] + Complex.Conjugate(e[l])))
                * w.ConjugateTranspose();
        var r = a * c + c * a.Transpose();
        r[b, b] += 2 * lambda;
        var yr = y * r * y.ConjugateTranspose();
        var z = Matrix<Complex>.Build.Dense(dim, dim, (k, l) => -yr[k, l] / (e[k] + Complex.Conjugate(e[l])));
        return c + w * z * w.ConjugateTranspose();
    }

    /// <summary>The equilibrium covariance at T = 1 (both baths): C_qq = H^-1, C_qp = 0, C_pp = 1.</summary>
    static Matrix<Complex> ExactEquilibrium(ChainHamiltonian h)
    {
        int n = h.Length;
        var hinv = h.Dense().Inverse();
        var c = Matrix<Complex>.Build.Dense(2 * n, 2 * n);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++) c[i, j] = hinv[i, j];
            c[n + i, n + i] = 1;
        }
        return c;
    }

    /// <summary>||A C + C A^T + S S^T||_F / (2 ||A||_F ||C||_F + ||S S^T||_F) for the unit bath on coordinate b.</summary>
    static double LyapunovResidual(Matrix<Complex> a, Matrix<Complex> c, int b, double lambda)
    {
        var r = a * c + c * a.Transpose();
        r[b, b] += 2 * lambda;
        return r.FrobeniusNorm() / (2 * a.FrobeniusNorm() * c.FrobeniusNorm() + 2 * lambda);
    }

    /// <summary>max |C - C^T| and max |Im C|, relative to max |C|.</summary>
    static double Asymmetry(Matrix<Complex> c)
    {
        double scale = c.Enumerate().Max(Complex.Abs);
        double asym = (c - c.Transpose()).Enumerate().Max(Complex.Abs);
        double imag = c.Enumerate().Max(z => Math.Abs(z.Imaginary));
        return Math.Max(asym, imag) / scale;
    }
}
