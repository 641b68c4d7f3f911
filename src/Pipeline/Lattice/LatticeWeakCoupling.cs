using System.Collections.Immutable;
using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Ness.Numerics.Dense;

namespace Ness.Pipeline.Lattice;

/// <summary>
/// The weak-coupling limit lambda → 0 on a box, eq. (2.10):
/// T(x) = sum_k |psi_k(x)|^2 f_k, f_k = (sum_{y in dLambda} T_y |psi_k(y)|^2) / (sum_{y in dLambda} |psi_k(y)|^2),
/// from a dense eigendecomposition of H (LAPACK dsyevd; MathNet without OpenBLAS). In d ≥ 2 there is no twisted
/// factorization: a dense eigensolver returns each eigenvector with an absolute error of about
/// theta_k = eps ||H|| / gap_k (the LAPACK error bound; gap_k = distance to the nearest other eigenvalue), so boundary
/// weights b_k = sum_y |psi_k(y)|^2 below theta_k^2 are noise. The forward error of T(x) is estimated from that
/// (<see cref="Solve"/>) and the profile refused (exit 3) above <see cref="Tolerance"/> x max T_y.
/// </summary>
public static class LatticeWeakCoupling
{
    public const string Method = "weak-coupling: dense eigendecomposition of H (dsyevd), eq. (2.10)";

    /// <summary>Largest tolerated error estimate of T, relative to max_y T_y.</summary>
    public const double Tolerance = 1e-9;

    /// <summary>Largest tolerated max_x |sum_k |psi_k(x)|^2 − 1| (the equilibrium profile, all T_y = 1, recomputed
    /// with the same eigenvectors, is exactly this sum).</summary>
    public const double MaxEquilibriumError = 1e-10;

    /// <summary>Largest tolerated |sum over baths of the current into each bath| / (number of baths x max T_y).</summary>
    public const double MaxBalanceError = 1e-12;

    const double Eps = 2.220446049250313e-16;

    /// <summary>Peak bytes: H in place (n^2 doubles) plus the dsyevd workspace (2 n^2 doubles) and O(n) arrays.</summary>
    public static double MemoryEstimate(int n) => 8.0 * n * n + Lapack.SymmetricEigenWorkspace(n) + 64.0 * n + 50e6;

    /// <summary>
    /// eq. (2.10), its certificate and the energy current into each bath per unit lambda, J_y / lambda = T(y) − T_y
    /// (the leading order: J_y = lambda (&lt;p_y^2&gt; − T_y) with &lt;p_y^2&gt; → T(y)).
    /// T(x) = sum_k psi_k(x)^2 f_k / sum_k psi_k(x)^2: the denominator is 1 exactly; dividing by its computed value keeps
    /// T in [min T_y, max T_y] and exactly flat when all T_y are equal; its deviation from 1 is the equilibrium check.
    /// Error estimate per site (first order in theta_k):
    /// e(x) = sum_k psi_k(x)^2 df_k + dT sum_k |psi_k(x)| theta_k + dT |sum_k psi_k(x)^2 − 1|, where
    /// df_k = dT (2 |u_k| theta_k + theta_k^2) / (|u_k| − theta_k)^2 (capped at dT; dT = max T_y − min T_y) bounds the
    /// change of f_k when the boundary restriction u_k of psi_k moves by theta_k, and the second term the mixing of
    /// nearly degenerate modes (a rotation by theta_k changes psi_k(x)^2 by up to 2 |psi_k(x)| theta_k, weighted by
    /// |f_k − c| &lt;= dT / 2).
    /// </summary>
    public static Fin<LatticeSolution> Solve(LatticeParameters p, int threads = 1)
    {
        int n = p.Sites;
        var a = p.Hamiltonian().Dense();
        var w = new double[n];
        bool openBlas = Lapack.Available;
        bool ok = openBlas ? Lapack.SymmetricEigen(n, a, w, threads) : ManagedEigen(n, a, w);
        if (!ok) return new NumericsRefused("weak coupling: the symmetric eigensolver (dsyevd) failed to converge");

        var baths = BathSet.Of(p);
        var m = Modes(n, a, w, baths);
        var t = new double[n];
        double equilibrium = 0, estimate = 0;
        for (int x = 0; x < n; x++)
        {
            t[x] = Math.Clamp(m.Num[x] / m.Den[x], baths.TMin, baths.TMax);
            double dev = Math.Abs(m.Den[x] - 1);
            equilibrium = Math.Max(equilibrium, dev);
            estimate = Math.Max(estimate, m.ErrWeights[x] + baths.DT * m.ErrMixing[x] + baths.DT * dev);
        }
        int nb = baths.Sites.Length;
        var currents = new double[nb];
        double sum = 0;
        for (int j = 0; j < nb; j++) { currents[j] = t[baths.Sites[j]] - baths.Temperatures[j]; sum += currents[j]; }
        double scale = baths.TMax > 0 ? baths.TMax : 1;
        double balance = Math.Abs(sum) / (nb * scale);
        return Certify(m, estimate, equilibrium, balance, scale, openBlas)
            .Verify("weak coupling: the profile cannot be certified: ")
            .Map(c => new LatticeSolution([.. t], [.. currents], c));
    }

    /// <summary>The bath sites and temperatures T_y, their range [TMin, TMax] and dT = TMax − TMin.</summary>
    sealed record BathSet(int[] Sites, double[] Temperatures, double TMin, double TMax)
    {
        public double DT => TMax - TMin;

        public static BathSet Of(LatticeParameters p)
        {
            int nb = p.Baths.Length;
            var sites = new int[nb];
            var temps = new double[nb];
            double tMin = double.PositiveInfinity, tMax = double.NegativeInfinity;
            for (int j = 0; j < nb; j++)
            {
                sites[j] = p.Baths[j].Site;
                temps[j] = p.Baths[j].Temperature;
                tMin = Math.Min(tMin, temps[j]);
                tMax = Math.Max(tMax, temps[j]);
            }
            return new BathSet(sites, temps, tMin, tMax);
        }
    }

    /// <summary>The sums over the modes k per site x: Num = sum_k psi_k(x)^2 f_k, Den = sum_k psi_k(x)^2, the error
    /// terms sum_k psi_k(x)^2 df_k and sum_k |psi_k(x)| theta_k; and the smallest gap, largest theta_k, smallest
    /// boundary weight b_k and ||H||.</summary>
    sealed record ModeSums(double[] Num, double[] Den, double[] ErrWeights, double[] ErrMixing, double MinGap, double MaxTheta,
                           double MinWeight, double NormH);

    /// <param name="a">the eigenvectors psi_k, column k at a[k n ..]</param>
    /// <param name="w">the eigenvalues, ascending</param>
    static ModeSums Modes(int n, double[] a, double[] w, BathSet baths)
    {
        var (sites, temps, tMin, tMax) = (baths.Sites, baths.Temperatures, baths.TMin, baths.TMax);
        int nb = sites.Length;
        double dT = baths.DT;
        double normH = Math.Max(Math.Abs(w[0]), Math.Abs(w[n - 1]));
        var num = new double[n];
        var den = new double[n];
        var errWeights = new double[n];
        var errMixing = new double[n];
        double minGap = double.PositiveInfinity, maxTheta = 0, minWeight = double.PositiveInfinity;
        for (int k = 0; k < n; k++)
        {
            double gap = Math.Min(k > 0 ? w[k] - w[k - 1] : double.PositiveInfinity, k + 1 < n ? w[k + 1] - w[k] : double.PositiveInfinity);
            minGap = Math.Min(minGap, gap);
            double theta = Math.Min(1.0, Eps * normH / gap);
            maxTheta = Math.Max(maxTheta, theta);
            var psi = a.AsSpan((int)((long)k * n), n);
            double b = 0, at = 0;
            for (int j = 0; j < nb; j++)
            {
                double u2 = psi[sites[j]] * psi[sites[j]];
                b += u2;
                at += temps[j] * u2;
            }
            minWeight = Math.Min(minWeight, b);
            double f = b > 0 ? Math.Clamp(at / b, tMin, tMax) : 0.5 * (tMin + tMax);
            double u = Math.Sqrt(b);
            double df = theta >= u ? dT : Math.Min(dT, dT * (2 * u * theta + theta * theta) / ((u - theta) * (u - theta)));
            for (int x = 0; x < n; x++)
            {
                double s = psi[x], s2 = s * s;
                den[x] += s2;
                num[x] += s2 * f;
                errWeights[x] += s2 * df;
                errMixing[x] += Math.Abs(s) * theta;
            }
        }
        return new ModeSums(num, den, errWeights, errMixing, minGap, maxTheta, minWeight, normH);
    }

    static Certificate Certify(ModeSums m, double estimate, double equilibrium, double balance, double scale, bool openBlas) => new(Method,
    [
        new Check("error_estimate", estimate, Tolerance * scale,
            $"the estimated error of T is {estimate:G3} > {Tolerance:G1} x max T_y: dense eigenvectors are accurate only " +
            $"to about eps ||H|| / gap per component (up to {m.MaxTheta:G2} here), so the boundary weights of modes localized " +
            $"away from the baths (down to {m.MinWeight:G2}) cannot be resolved; use a smaller box, weaker disorder or a " +
            "larger g, or in d = 1 --length L (twisted factorizations keep the tails exact)"),
        new Check("equilibrium_error", equilibrium, MaxEquilibriumError,
            $"the eigenvectors are not complete: max_x |sum_k psi_k(x)^2 - 1| = {equilibrium:G3} > {MaxEquilibriumError:G1}"),
        new Check("current_balance_error", balance, MaxBalanceError,
            $"the currents into the baths do not sum to zero: {balance:G3} > {MaxBalanceError:G1} (relative)"),
        new Number("max_eigenvector_error_bound", m.MaxTheta),
        new Number("min_eigenvalue_gap", m.MinGap),
        new Number("min_boundary_weight", m.MinWeight),
        new Number("norm_h", m.NormH),
        new Flag("blas_openblas", openBlas),
    ]);

    static bool ManagedEigen(int n, double[] a, double[] w)
    {
        var evd = Matrix<double>.Build.DenseOfColumnMajor(n, n, a).Evd(Symmetricity.Symmetric);
        var v = evd.EigenVectors;
        var ev = evd.EigenValues;
        var order = Enumerable.Range(0, n).OrderBy(k => ev[k].Real).ToArray();
        for (int k = 0; k < n; k++)
        {
            w[k] = ev[order[k]].Real;
            for (int i = 0; i < n; i++) a[(long)k * n + i] = v[i, order[k]];
        }
        return w.All(double.IsFinite);
    }
}
