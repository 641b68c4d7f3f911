using System.Collections.Immutable;
using System.Numerics;
using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Ness.Operators.Harmonic;
using Ness.Pipeline.Harmonic;

namespace Ness.Pipeline.Lattice;

/// <summary>
/// eq. (2.6) literally, for small boxes: the spectral decomposition A W = W E of the drift matrix (MathNet, managed),
/// Y = W^-1, C = W X W^H with X_kl = −(Y S S^T Y^H)_kl / (E_k + conj(E_l)), T(x) = Re C_{p_x p_x}. Independent of
/// the Schur solver (<see cref="LatticeFiniteCoupling"/>): the check of the tests, and the finite-lambda solver when
/// OpenBLAS is missing. O((2n)^3) in managed code: boxes of at most <see cref="MaxSites"/> sites. Certified like the
/// Schur solver (equilibrium solve with the same eigenvectors, energy balance, eps ||A|| kappa_k / |Re E_k|).
/// </summary>
public static class LatticeSpectral
{
    public const string Method = "finite-lambda: eigendecomposition of the drift matrix (eq. 2.6), managed";

    public const int MaxSites = 200;

    const double Eps = DriftSpectrum.Eps;

    public static Fin<LatticeSolution> Solve(LatticeParameters p)
    {
        double lambda = p.Lambda;
        int n = p.Sites, dim = 2 * n, nb = p.Baths.Length;
        if (n > MaxSites) return new NumericsRefused($"the managed spectral solve takes boxes of at most {MaxSites} sites");
        var sites = p.Baths.Select(b => b.Site).ToArray();
        var temps = p.Baths.Select(b => b.Temperature).ToArray();
        double tMin = temps.Min(), tMax = temps.Max(), tRef = 0.5 * (tMin + tMax);
        var a = Matrix<double>.Build.DenseOfColumnMajor(dim, dim, BoxDriftMatrix.Dense(p.Hamiltonian(), sites, lambda));
        double normA = a.L1Norm();
        var (e, w) = DriftSpectrum.Of(a);
        var yInv = w.Inverse();
        double minDamping = e.Min(v => -v.Real), condition = 0;
        for (int k = 0; k < dim; k++)
            condition = Math.Max(condition, Eps * normA * w.Column(k).L2Norm() * yInv.Row(k).L2Norm() / -e[k].Real);
        if (!(minDamping > 0)) return new NumericsRefused("finite lambda: an eigenvalue of A has Re E >= 0 in double precision");

        double[] Diagonal(double[] tau)
        {
            // R = Y S, S = sum_j sqrt(2 lambda |tau_j|) e_{p_y}: columns of Y at the bath coordinates
            var xm = Matrix<Complex>.Build.Dense(dim, dim);
            for (int j = 0; j < nb; j++)
            {
                double c = 2 * lambda * tau[j];
                var u = yInv.Column(n + sites[j]);
                for (int k = 0; k < dim; k++)
                    for (int l = 0; l < dim; l++)
                        xm[k, l] -= c * u[k] * Complex.Conjugate(u[l]) / (e[k] + Complex.Conjugate(e[l]));
            }
            var wp = w.SubMatrix(n, n, 0, dim);
            var prod = wp * xm;
            var d = new double[n];
            for (int i = 0; i < n; i++)
            {
                Complex s = 0;
                for (int l = 0; l < dim; l++) s += prod[i, l] * Complex.Conjugate(wp[i, l]);
                d[i] = s.Real;
            }
            return d;
        }

        var response = Diagonal([.. temps.Select(t => t - tRef)]);
        var unit = Diagonal([.. Enumerable.Repeat(1.0, nb)]);
        var t = new double[n];
        double equilibrium = 0;
        for (int i = 0; i < n; i++) { t[i] = tRef + response[i]; equilibrium = Math.Max(equilibrium, Math.Abs(unit[i] - 1)); }
        var currents = new double[nb];
        double sum = 0;
        for (int j = 0; j < nb; j++) { currents[j] = lambda * (t[sites[j]] - temps[j]); sum += currents[j]; }
        double scale = tMax > 0 ? tMax : 1;
        double balance = Math.Abs(sum) / (lambda * scale);
        double estimate = 0.5 * (tMax - tMin) * condition + scale * equilibrium + balance * scale;
        return LatticeFiniteCoupling.Certified(Method, t, currents, estimate, equilibrium, balance, condition, minDamping, normA,
            scale, openBlas: false);
    }
}
