using System.Collections.Immutable;
using LanguageExt;
using Ness.Operators.Harmonic;
using Ness.Numerics.Dense;

namespace Ness.Pipeline.Lattice;

/// <summary>
/// The exact NESS covariance at finite bath coupling lambda on a box, eqs. (2.5)–(2.6): C solves the Lyapunov
/// equation A C + C A^T + S S^T = 0 for the 2n x 2n drift matrix A of eq. (2.5) and S S^T = sum_{y in dLambda}
/// 2 lambda T_y |p_y&gt;&lt;p_y|, and T(x) = C_{p_x p_x}. Solved by Bartels–Stewart: the real Schur form A = Z R Z^T
/// (LAPACK dgees), then R X + X R^T = −Z^T S S^T Z (dtrsyl3) and T(x) = (Z X Z^T)_{p_x p_x}. The structure used:
/// S S^T has rank |dLambda| (Z^T S S^T Z is one n x |dLambda| product), only the p-diagonal of C is formed
/// (one n x 2n x 2n product instead of two 2n x 2n x 2n), and the equilibrium part is exact: with T_ref =
/// (min T_y + max T_y)/2, T = T_ref + the response to T_y − T_ref (all T_y equal gives the flat profile exactly).
/// Cost ~ 25 (2n)^3 flops (dgees dominates), memory ~ 3.5 (2n)^2 doubles.
/// Certificate: the equilibrium solve (all T_y = 1, exact answer T = 1, C_pp = 1) repeated with the same Schur
/// form; the energy balance over all baths (sum_y J_y = 0); a conditioning bound eps ||A|| / min_k |Re E_k| (the
/// weakest damped mode's rate is known only to eps ||A||: in localized boxes it falls below rounding and no
/// double-precision solve can be certified, exit 3).
/// </summary>
public static class LatticeFiniteCoupling
{
    public const string Method = "finite-lambda: Bartels-Stewart (dgees + dtrsyl3) on the 2n x 2n drift matrix, eq. (2.5)-(2.6)";

    /// <summary>Largest tolerated error estimate of T relative to max T_y, and equilibrium deviation.</summary>
    public const double Tolerance = 1e-9, MaxEquilibriumError = 1e-9;

    const double Eps = 2.220446049250313e-16;

    /// <summary>Peak bytes: A/R, Z, X ((2n)^2 doubles each), the n x 2n product and O(n) arrays.</summary>
    public static double MemoryEstimate(int n) => 8.0 * (3.5 * 4.0 * n * n) + 8.0 * 100 * n + 50e6;

    public static Fin<LatticeSolution> Solve(LatticeParameters p, int threads = 1)
    {
        if (!Lapack.Available)
            return p.Sites <= LatticeSpectral.MaxSites
                ? LatticeSpectral.Solve(p)
                : new NumericsRefused($"finite lambda on a box of {p.Sites} sites needs OpenBLAS (Debian package " +
                                      $"libopenblas0-pthread) for its Schur solver; without it up to {LatticeSpectral.MaxSites} sites");
        double lambda = p.Lambda;
        var h = p.Hamiltonian();
        int n = p.Sites, dim = 2 * n, nb = p.Baths.Length;
        var sites = p.Baths.Select(b => b.Site).ToArray();
        var temps = p.Baths.Select(b => b.Temperature).ToArray();
        double tMin = temps.Min(), tMax = temps.Max(), tRef = 0.5 * (tMin + tMax);

        var r = BoxDriftMatrix.Dense(h, sites, lambda);
        double normA = 0;
        for (int j = 0; j < dim; j++)
        {
            double s = 0;
            for (int i = 0; i < dim; i++) s += Math.Abs(r[i + (long)dim * j]);
            normA = Math.Max(normA, s);
        }
        var z = new double[(long)dim * dim];
        var wr = new double[dim];
        var wi = new double[dim];
        if (!Lapack.RealSchur(dim, r, z, wr, wi, threads))
            return new NumericsRefused("finite lambda: the Schur decomposition (dgees) of the drift matrix failed to converge");
        double minDamping = double.PositiveInfinity;
        for (int k = 0; k < dim; k++) minDamping = Math.Min(minDamping, -wr[k]);
        if (!(minDamping > 0))
            return new NumericsRefused($"finite lambda: an eigenvalue of the drift matrix has Re E = {-minDamping:G3} >= 0 in double " +
                                       "precision (a mode is undamped to rounding: it does not touch the baths, or only through tails below eps)");

        var x = new double[(long)dim * dim];
        var y = new double[(long)n * dim];
        var response = Diagonal(n, dim, r, z, x, y, sites, temps.Select(t => t - tRef).ToArray(), lambda, threads);
        var unit = Diagonal(n, dim, r, z, x, y, sites, [.. Enumerable.Repeat(1.0, nb)], lambda, threads);
        if (response is null || unit is null)
            return new NumericsRefused("finite lambda: the triangular Lyapunov solve (dtrsyl3) failed");

        var t = new double[n];
        double equilibrium = 0;
        for (int i = 0; i < n; i++)
        {
            t[i] = tRef + response[i];
            equilibrium = Math.Max(equilibrium, Math.Abs(unit[i] - 1));
        }
        var currents = new double[nb];
        double sum = 0;
        for (int j = 0; j < nb; j++) { currents[j] = lambda * (t[sites[j]] - temps[j]); sum += currents[j]; }
        double scale = tMax > 0 ? tMax : 1;
        double balance = Math.Abs(sum) / (lambda * scale);
        double condition = Eps * normA / minDamping;
        double estimate = 0.5 * (tMax - tMin) * condition + scale * equilibrium + balance * scale;

        return Certified(Method, t, currents, estimate, equilibrium, balance, condition, minDamping, normA, scale, openBlas: true);
    }

    /// <summary>The certificate shared by the Schur and the spectral solve, verified.</summary>
    internal static Fin<LatticeSolution> Certified(string method, double[] t, double[] currents, double estimate, double equilibrium,
        double balance, double condition, double minDamping, double normA, double scale, bool openBlas)
    {
        var certificate = new Certificate(method,
        [
            new Check("error_estimate", estimate, Tolerance * scale,
                $"the estimated error of T is {estimate:G3} > {Tolerance:G1} x max T_y: the weakest damped mode of the drift " +
                $"matrix (damping {minDamping:G3}) is below what a double-precision Lyapunov solve resolves (eps ||A|| / min " +
                $"damping = {condition:G3}); use --weak-coupling, a smaller box, weaker disorder or a larger g, or in d = 1 --length L"),
            new Check("equilibrium_error", equilibrium, MaxEquilibriumError,
                $"the equilibrium solve (all T_y = 1 must give T = 1) is off by {equilibrium:G3} > {MaxEquilibriumError:G1} " +
                $"(the weakest damping is {minDamping:G3})"),
            new Check("current_balance_error", balance, Tolerance,
                $"the energy currents into the baths do not sum to zero: {balance:G3} > {Tolerance:G1} (relative to lambda max T_y)"),
            new Number("condition_bound", condition),
            new Number("min_damping", minDamping),
            new Number("norm_a", normA),
            new Flag("blas_openblas", openBlas),
        ]);
        return certificate.Verify("finite lambda: the profile cannot be certified: ")
            .Map(c => new LatticeSolution([.. t], [.. currents], c));
    }

    /// <summary>(Z X Z^T)_{p_x p_x} for the solution X of R X + X R^T = −Z^T S S^T Z with S S^T = sum_j 2 lambda tau_j
    /// |p_{y_j}&gt;&lt;p_{y_j}| (tau_j of either sign): the rank-|baths| right-hand side is G diag(sign) G^T with
    /// G = rows p_y of Z scaled by sqrt(2 lambda |tau_j|). Null when dtrsyl3 fails.</summary>
    static double[]? Diagonal(int n, int dim, double[] r, double[] z, double[] x, double[] y, int[] sites, double[] tau,
        double lambda, int threads)
    {
        int nb = sites.Length;
        var g = new double[(long)dim * nb];
        var gs = new double[(long)dim * nb];
        for (int j = 0; j < nb; j++)
        {
            double c = Math.Sqrt(2 * lambda * Math.Abs(tau[j])), sign = tau[j] < 0 ? -1 : 1;
            long row = n + sites[j];
            for (int k = 0; k < dim; k++)
            {
                double v = c * z[row + (long)dim * k];   // (Z^T)_{k, p_y} = Z_{p_y, k}
                g[k + (long)dim * j] = v;
                gs[k + (long)dim * j] = sign * v;
            }
        }
        // x = −G_s G^T
        Lapack.Gemm(false, true, dim, dim, nb, -1.0, gs, 0, dim, g, 0, dim, 0.0, x, 0, dim, threads);
        double scale = Lapack.LyapunovTriangular(dim, r, x, threads);
        if (!double.IsFinite(scale) || scale == 0) return null;
        // y = P X with P = rows n..2n−1 of Z (n x dim, leading dimension dim)
        Lapack.Gemm(false, false, n, dim, dim, 1.0 / scale, z, n, dim, x, 0, dim, 0.0, y, 0, n, threads);
        var d = new double[n];
        for (long l = 0; l < dim; l++)
        {
            long zo = n + dim * l, yo = n * l;
            for (int i = 0; i < n; i++) d[i] += y[yo + i] * z[zo + i];
        }
        return d;
    }
}
