using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using MathNet.Numerics.LinearAlgebra;
using Ness.Operators.Harmonic;
using Ness.Pipeline;
using Ness.Pipeline.Harmonic;

namespace Ness.Tests.Harmonic;

/// <summary>Physical properties of the NESS temperature profile, both methods, on short random chains, each
/// against something computed independently of the method under test.</summary>
[Properties(Arbitrary = [typeof(HarmonicArbitraries)])]
public class HarmonicPropertyTests
{
    static double MaxDiff(double[] a, double[] b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Max();

    /// <summary>eq. (2.9) evaluated from a dense eigendecomposition of H (MathNet, QR algorithm), directly as
    /// printed: T(x) = sum_k psi_k(x)^2 (T1 psi_k(1)^2 + TL psi_k(L)^2) / (psi_k(1)^2 + psi_k(L)^2).
    /// Independent of the Sturm bisection and twisted factorizations of <see cref="WeakCoupling"/>.</summary>
    static double[] DenseWeakCoupling(Chain c)
    {
        var h = ChainHamiltonian.Of([.. c.Pinning], c.G);
        var psi = h.Dense().Evd(Symmetricity.Symmetric).EigenVectors;
        int n = h.Length;
        var t = new double[n];
        for (int k = 0; k < n; k++)
        {
            double a = psi[0, k] * psi[0, k], b = psi[n - 1, k] * psi[n - 1, k];
            double mode = (c.T1 * a + c.TL * b) / (a + b);
            for (int x = 0; x < n; x++) t[x] += psi[x, k] * psi[x, k] * mode;
        }
        return t;
    }

    /// <summary>The Lyapunov equation A C + C A^T + S S^T = 0 of eq. (2.5) solved as one dense linear system
    /// (I ⊗ A + A ⊗ I) vec C = −vec(S S^T) (LU, 4L^2 unknowns), T(x) = C_pp[x, x]. Independent of the spectral
    /// solution eq. (2.6) of <see cref="ExactCovariance"/>.</summary>
    static double[] KroneckerLyapunov(Chain c, double lambda)
    {
        var a = DriftMatrix.Of(ChainHamiltonian.Of([.. c.Pinning], c.G), lambda);
        int n = c.Pinning.Length, d = 2 * n;
        var one = Matrix<double>.Build.DenseIdentity(d);
        var k = one.KroneckerProduct(a) + a.KroneckerProduct(one);
        var q = Matrix<double>.Build.Dense(d, d);
        q[n, n] = 2 * lambda * c.T1;
        q[d - 1, d - 1] = 2 * lambda * c.TL;
        var C = Matrix<double>.Build.Dense(d, d, k.Solve(-MathNet.Numerics.LinearAlgebra.Vector<double>.Build.DenseOfArray(q.ToColumnMajorArray())).ToArray());
        return [.. Enumerable.Range(0, n).Select(x => C[n + x, n + x])];
    }

    [Property(MaxTest = 60)]
    public Property Weak_coupling_equals_a_dense_eigendecomposition_put_into_eq_2_9(Chain c)
    {
        var t = HarmonicGen.Profile(c.Weak());
        var dense = DenseWeakCoupling(c);
        double err = MaxDiff(t, dense);
        return (err <= 1e-11 * Math.Max(1, Math.Max(c.T1, c.TL))).Label($"max |T - T_dense| = {err:E2}");
    }

    [Property(MaxTest = 30)]
    public Property Finite_lambda_equals_a_Kronecker_solve_of_the_Lyapunov_equation(CoupledChain cc)
    {
        var (c, lam) = (cc.Chain, cc.Lambda);
        var t = HarmonicGen.Profile(c.Finite(lam));
        var kron = KroneckerLyapunov(c, lam);
        double err = MaxDiff(t, kron), hi = Math.Max(c.T1, c.TL);
        double lo = Math.Min(c.T1, c.TL), tol = 1e-10 * Math.Max(1, hi);
        return (err <= 1e-9 * Math.Max(1, hi)).Label($"max |T - T_kron| = {err:E2}")
            .And(t.All(x => x >= lo - tol && x <= hi + tol).Label("T(x) between T1 and TL"));
    }

    /// <summary>Each bath alone (at unit temperature, the other at zero) produces a covariance matrix: real,
    /// symmetric and positive semidefinite.</summary>
    [Property(MaxTest = 30)]
    public Property Each_baths_covariance_is_positive_semidefinite(CoupledChain cc)
    {
        var s = ExactCovariance.Solve(cc.Chain.Finite(cc.Lambda)).Match(x => x, e => throw new Xunit.Sdk.XunitException(e.Message));
        var result = Prop.Label(true, "ok");
        foreach (var (name, C) in new[] { ("left", s.Left), ("right", s.Right) })
        {
            double scale = C.Enumerate().Max(Complex.Abs);
            var re = C.Map(z => z.Real);
            double imag = C.Enumerate().Max(z => Math.Abs(z.Imaginary)) / scale;
            double asym = (re - re.Transpose()).Enumerate().Max(Math.Abs) / scale;
            double minEig = (0.5 * (re + re.Transpose())).Evd(Symmetricity.Symmetric).EigenValues.Min(z => z.Real) / scale;
            result = result.And((imag < 1e-12 && asym < 1e-12 && minEig > -1e-12)
                .Label($"{name} bath: |Im C| = {imag:E2}, |C - C^T| = {asym:E2}, min eigenvalue / max |C| = {minEig:E2}"));
        }
        return result;
    }

    /// <summary>Equilibrium (T1 = TL) at finite lambda: C_pp = T exactly (equipartition).</summary>
    [Property(MaxTest = 30)]
    public Property Equilibrium_is_flat_at_finite_lambda(CoupledChain cc) =>
        HarmonicGen.Profile(cc.Chain.Finite(cc.Lambda, cc.Chain.T1, cc.Chain.T1))
            .All(t => Math.Abs(t - cc.Chain.T1) <= 1e-10 * Math.Max(1, cc.Chain.T1)).ToProperty();

    [Property(MaxTest = 60)]
    public Property Mirror_symmetry_at_weak_coupling(Chain c)
    {
        var t = HarmonicGen.Profile(c.Weak());
        var mirror = new Chain([.. c.Pinning.Reverse()], c.G, c.TL, c.T1);
        var m = HarmonicGen.Profile(mirror.Weak());
        return (MaxDiff(t, [.. m.Reverse()]) <= 1e-12 * Math.Max(1, Math.Max(c.T1, c.TL))).ToProperty();
    }

    [Property(MaxTest = 30)]
    public Property Mirror_symmetry_at_finite_lambda(CoupledChain cc)
    {
        var (c, lam) = (cc.Chain, cc.Lambda);
        var t = HarmonicGen.Profile(c.Finite(lam));
        var mirror = new Chain([.. c.Pinning.Reverse()], c.G, c.TL, c.T1);
        var m = HarmonicGen.Profile(mirror.Finite(lam));
        return (MaxDiff(t, [.. m.Reverse()]) <= 1e-10 * Math.Max(1, Math.Max(c.T1, c.TL))).ToProperty();
    }

    /// <summary>The current (computed from the end amplitudes of all modes, Landauer form) is what bath 1 injects,
    /// lambda (T1 − T(1)), and what bath L extracts, lambda (T(L) − TL): energy conservation.</summary>
    [Property(MaxTest = 30)]
    public Property Energy_current_is_what_the_baths_inject_and_extract(CoupledChain cc) =>
        HarmonicChain.SteadyState(cc.Chain.Finite(cc.Lambda)).Match(
            r =>
            {
                var t = r.Temperatures;
                double tol = 1e-10 * cc.Lambda * Math.Max(1, Math.Max(cc.Chain.T1, cc.Chain.TL));
                double j = r.Current.Value;
                return (r.Current is EnergyCurrent.Finite
                        && Math.Abs(cc.Lambda * (cc.Chain.T1 - t[0]) - j) <= tol
                        && Math.Abs(cc.Lambda * (t[^1] - cc.Chain.TL) - j) <= tol).ToProperty();
            },
            e => throw new Xunit.Sdk.XunitException(e.Message));

    /// <summary>Finite lambda -> 0 approaches eq. (2.9): the correction is O(lambda / level spacing).</summary>
    [Property(MaxTest = 20)]
    public Property Small_lambda_approaches_weak_coupling() =>
        Prop.ForAll(HarmonicGen.Arbitrary(5, 50), c =>
        {
            var weak = HarmonicGen.Profile(c.Weak(1, 2));
            var near = HarmonicGen.Profile(c.Finite(1e-3, 1, 2));
            var nearer = HarmonicGen.Profile(c.Finite(1e-4, 1, 2));
            double e1 = MaxDiff(near, weak), e2 = MaxDiff(nearer, weak);
            return (e2 <= 1e-2 && e2 <= 0.2 * e1 + 1e-8).Label($"|T(1e-3) - T(2.9)| = {e1:G3}, |T(1e-4) - T(2.9)| = {e2:G3}");
        });
}
