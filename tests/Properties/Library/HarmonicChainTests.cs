using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using MathNet.Numerics.LinearAlgebra;
using Ness.Pipeline;
using Ness.Pipeline.Harmonic;
using Ness.Tests.Harmonic;

namespace Ness.Tests.Library;

/// <summary>The library entry point <see cref="HarmonicChain"/> and the NESS covariance.</summary>
[Properties(Arbitrary = [typeof(HarmonicArbitraries)])]
public class HarmonicChainTests
{
    static HarmonicSteadyState Steady(HarmonicParameters p, bool covariance) =>
        HarmonicChain.SteadyState(p, covariance).Match(s => s, e => throw new Xunit.Sdk.XunitException(e.Message));

    /// <summary>H = V − g Laplacian with free ends, built here independently of the pipeline.</summary>
    static Matrix<double> H(double[] v, double g)
    {
        int n = v.Length;
        var h = Matrix<double>.Build.Dense(n, n);
        for (int x = 0; x < n; x++)
        {
            h[x, x] = v[x] + g * ((x > 0 ? 1 : 0) + (x < n - 1 ? 1 : 0));
            if (x + 1 < n) h[x, x + 1] = h[x + 1, x] = -g;
        }
        return h;
    }

    /// <summary>The covariance C of X = (q, p) solves the Lyapunov equation of eq. (2.5): A C + C A^T + S S^T = 0 with
    /// A = [[0, 1], [−H, −lambda B]], B = projector on sites 1 and L, S S^T = 2 lambda diag(0, T1 e_1 + TL e_L) (built
    /// here from the model, not from the solver); it is symmetric, and its p-p diagonal is the temperature profile.</summary>
    [Property(MaxTest = 30)]
    public Property CovarianceSolvesTheLyapunovEquation(CoupledChain cc)
    {
        var c = cc.Chain;
        var p = c.Finite(cc.Lambda);
        var s = Steady(p, covariance: true);
        var C = s.Covariance.IfNone(() => throw new Xunit.Sdk.XunitException("no covariance"));
        int n = c.Pinning.Length;
        var A = Matrix<double>.Build.Dense(2 * n, 2 * n);
        var SS = Matrix<double>.Build.Dense(2 * n, 2 * n);
        A.SetSubMatrix(0, n, Matrix<double>.Build.DenseIdentity(n));
        A.SetSubMatrix(n, 0, -H(c.Pinning, c.G));
        A[n, n] -= cc.Lambda; A[2 * n - 1, 2 * n - 1] -= cc.Lambda;
        SS[n, n] += 2 * cc.Lambda * c.T1; SS[2 * n - 1, 2 * n - 1] += 2 * cc.Lambda * c.TL;
        double scale = Math.Max(1, Math.Max(c.T1, c.TL)) * A.FrobeniusNorm();
        double res = (A * C + C * A.Transpose() + SS).FrobeniusNorm() / scale;
        double sym = (C - C.Transpose()).FrobeniusNorm() / Math.Max(1e-300, C.FrobeniusNorm());
        double diag = Enumerable.Range(0, n).Max(x => Math.Abs(C[n + x, n + x] - s.Temperatures[x]));
        return (res < 1e-9 && sym < 1e-9 && diag < 1e-12).Label($"Lyapunov residual {res:E2}, asymmetry {sym:E2}, diag {diag:E2}");
    }

    /// <summary>Both baths at temperature T: the Gibbs state, C_qq = T H^-1, C_qp = 0, C_pp = T (equipartition).</summary>
    [Property(MaxTest = 30)]
    public Property EquilibriumCovarianceIsGibbs(CoupledChain cc)
    {
        var c = cc.Chain;
        double T = Math.Max(c.T1, 0.5);
        var C = Steady(c.Finite(cc.Lambda, T, T), covariance: true).Covariance.IfNone(() => throw new Xunit.Sdk.XunitException("none"));
        int n = c.Pinning.Length;
        var want = Matrix<double>.Build.Dense(2 * n, 2 * n);
        want.SetSubMatrix(0, 0, T * H(c.Pinning, c.G).Inverse());
        want.SetSubMatrix(n, n, T * Matrix<double>.Build.DenseIdentity(n));
        double err = (C - want).Enumerate().Max(Math.Abs) / T;
        return (err < 1e-9).Label($"max |C - Gibbs| / T = {err:E2}");
    }

    [Fact]
    public void Covariance_at_weak_coupling_is_refused_as_bad_input()
    {
        var p = HarmonicChain.Disordered(length: 6, seed: 2, bath: BathCoupling.Weak).Match(x => x, e => throw new Xunit.Sdk.XunitException(e.Message));
        Assert.Equal(Disorder.Uniform(2, 0, 6, 1, 2), p.Pinning.ToArray());
        var r = HarmonicChain.SteadyState(p, covariance: true);
        Assert.True(r.IsFail);
        Assert.IsType<BadInput>((LanguageExt.Common.Error)r);
    }
}
