using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using MathNet.Numerics.LinearAlgebra;
using Ness.Pipeline;
using Ness.Pipeline.Fermion;
using Ness.Tests.Fermion;

namespace Ness.Tests.Library;

/// <summary>The library entry point <see cref="FermionChain"/> and the one-body correlation matrix.</summary>
[Properties(Arbitrary = [typeof(FermionArbitraries)])]
public class FermionChainTests
{
    static FermionSteadyState Steady(FermionParameters p, FermionExtras x) => Chains.Ok(FermionChain.SteadyState(p, extras: x));

    /// <summary>G_xy = &lt;a+_x a_y&gt;: diagonal = density profile, −2 J Im G_{x,x+1} = bond current (computed by
    /// another routine), Hermitian, eigenvalues in [0, 1] (Pauli); the density matrix blocks have trace 1 in total.</summary>
    [Property(MaxTest = 15)]
    public Property CorrelationsAgreeWithProfileAndCurrents(FermionParameters p)
    {
        var s = Steady(p, FermionExtras.Correlations | FermionExtras.DensityMatrix);
        var G = s.Correlations.IfNone(() => throw new Xunit.Sdk.XunitException("no correlations"));
        var rho = s.DensityMatrix.IfNone(() => throw new Xunit.Sdk.XunitException("no density matrix"));
        int L = p.Length;
        double diag = Enumerable.Range(0, L).Max(x => Math.Abs(G[x, x].Real - s.Profile[x]) + Math.Abs(G[x, x].Imaginary));
        double bonds = Enumerable.Range(0, L - 1).Select(x => Math.Abs(-2 * p.Hopping * G[x, x + 1].Imaginary - s.Currents.Bonds[x]))
            .DefaultIfEmpty(0).Max();
        double herm = (G - G.ConjugateTranspose()).FrobeniusNorm();
        var ev = G.Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Hermitian).EigenValues.Select(e => e.Real).ToArray();
        Complex tr = rho.Aggregate(Complex.Zero, (t, b) => t + b.Trace());
        return (diag < 1e-13 && bonds < 1e-13 && herm < 1e-13 && ev.Min() > -1e-10 && ev.Max() < 1 + 1e-10
                && (tr - 1).Magnitude < 1e-12)
            .Label($"diag {diag:E2}, bonds {bonds:E2}, hermiticity {herm:E2}, eigenvalues [{ev.Min():R}, {ev.Max():R}], trace {tr}");
    }

    /// <summary>Free fermions (V = 0): the correlation matrix taken from the many-body rho solves the one-body equation
    /// X G + G X^+ = −Gamma_plus, X = i h − Gamma/2, h = J (hopping) + diag(2 h_x), Gamma = diag(g1p + g1m, 0.., gLp + gLm),
    /// Gamma_plus = diag(g1p, 0.., gLp) — an independent description of the same NESS.</summary>
    [Property(MaxTest = 15)]
    public Property FreeFermionsSolveTheOneBodyEquation(FermionParameters chain)
    {
        var p = Chains.Make(Math.Max(chain.Length, 2), chain.Hopping, 0, chain.Rates.ToArray(),
            chain.Length >= 2 ? chain.Fields.ToArray() : [chain.Fields[0], -chain.Fields[0]]);
        var G = Steady(p, FermionExtras.Correlations).Correlations.IfNone(() => throw new Xunit.Sdk.XunitException("none"));
        int L = p.Length;
        var h = Matrix<Complex>.Build.Dense(L, L);
        var gamma = Matrix<Complex>.Build.Dense(L, L);
        var gplus = Matrix<Complex>.Build.Dense(L, L);
        for (int x = 0; x < L; x++) h[x, x] = 2 * p.Fields[x];
        for (int x = 0; x + 1 < L; x++) h[x, x + 1] = h[x + 1, x] = p.Hopping;
        var r = p.Rates;
        gamma[0, 0] += r.G1p + r.G1m; gamma[L - 1, L - 1] += r.GLp + r.GLm;
        gplus[0, 0] += r.G1p; gplus[L - 1, L - 1] += r.GLp;
        var X = Complex.ImaginaryOne * h - 0.5 * gamma;
        double res = (X * G + G * X.ConjugateTranspose() + gplus).FrobeniusNorm();
        double scale = X.FrobeniusNorm() * G.FrobeniusNorm() + gplus.FrobeniusNorm();
        return (res / scale < 1e-11).Label($"relative residual {res / scale:E2}");
    }

    [Fact]
    public void Disordered_realization_0_is_the_single_run_of_the_command()
    {
        var p = Chains.Ok(FermionChain.Disordered(length: 5, disorder: 10, seed: 1));
        Assert.Equal(Disorder.Uniform(1, 0, 5, -10, 10), p.Fields.ToArray());
        Assert.Equal(Rates.Default, p.Rates);
        var r3 = Chains.Ok(FermionChain.Disordered(length: 5, disorder: 10, seed: 1, realization: 3));
        Assert.Equal(Disorder.Uniform(1, 3, 5, -10, 10), r3.Fields.ToArray());
    }

    [Fact]
    public void Bad_parameters_are_errors_naming_the_parameter()
    {
        var e = FermionChain.Disordered(length: 5, disorder: -1, seed: 1);
        Assert.True(e.IsFail);
        Assert.Contains("--disorder", ((LanguageExt.Common.Error)e).Message);
        var f = FermionChain.Create([1.0, 2.0], rates: new Rates(0, 0, 0, 0));
        Assert.True(f.IsFail);
        Assert.Contains("--rates", ((LanguageExt.Common.Error)f).Message);
    }
}
