using FsCheck;
using FsCheck.Fluent;
using LanguageExt;
using Ness.Pipeline.Fermion;
using Ness.Pipeline.Fermion.Krylov;

namespace Ness.Tests.Fermion;

/// <summary>Generators of physical fermion-chain parameters (not FsCheck's default doubles, which
/// include NaN and infinities).</summary>
public static class Chains
{
    /// <summary>Uniform on [a, b] with 1e-6 resolution.</summary>
    public static Gen<double> Uniform(double a, double b) =>
        Gen.Choose(0, 1_000_000).Select(k => a + (b - a) * k / 1e6);

    public static Gen<double[]> Rates =>
        Uniform(0.2, 3.0).ArrayOf(4);

    public static Gen<FermionParameters> Chain(int minL, int maxL, Gen<double[]>? rates = null) =>
        from L in Gen.Choose(minL, maxL)
        from J in Uniform(0.3, 2.0)
        from V in Uniform(0.0, 2.0)
        from h in Uniform(-5.0, 5.0).ArrayOf(L)
        from g in rates ?? Rates
        select Make(L, J, V, g, h);

    /// <summary>Rates with g1p/g1m = gLp/gLm (equal chemical potentials at both ends).</summary>
    public static Gen<double[]> EquilibriumRates =>
        from g1p in Uniform(0.2, 3.0)
        from g1m in Uniform(0.2, 3.0)
        from s in Uniform(0.3, 2.0)
        select new[] { g1p, g1m, s * g1p, s * g1m };

    public static FermionParameters Make(int L, double J, double V, double[] g, double[] h,
        FermionSolver solver = FermionSolver.Direct, KrylovOptions? options = null) =>
        Ok(FermionParameters.Create(L, J, V, g, h, solver, options));

    public static FermionResult Solve(FermionParameters p) => Ok(FermionNess.Run(p));

    /// <summary>The value of a pipeline stage, or an exception with its error message.</summary>
    public static T Ok<T>(Fin<T> f) => f.Match(x => x, e => throw new InvalidOperationException(e.Message));
}
