using FsCheck;
using FsCheck.Fluent;
using LanguageExt;
using Ness.Pipeline;
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

    /// <summary><see cref="Chain"/> as an Arbitrary that shrinks (one site fewer, rounder numbers).</summary>
    public static Arbitrary<FermionParameters> Arbitrary(int minL, int maxL, Gen<double[]>? rates = null) =>
        Arb.From(Chain(minL, maxL, rates), p => Shrink(p, minL));

    /// <summary>Simpler chains inside the generators' ranges: one site fewer (not below <paramref name="minL"/>),
    /// fields rounded to integers, V = 0, J = 1, all rates 1 (equal rates keep equilibrium chains in equilibrium).</summary>
    public static IEnumerable<FermionParameters> Shrink(FermionParameters p, int minL)
    {
        var g = p.Rates.ToArray();
        var h = p.Fields.ToArray();
        if (p.Length > minL) yield return Make(p.Length - 1, p.Hopping, p.Interaction, g, h[..^1]);
        var round = h.Select(v => Math.Round(v)).ToArray();
        if (!round.SequenceEqual(h)) yield return Make(p.Length, p.Hopping, p.Interaction, g, round);
        if (p.Interaction != 0) yield return Make(p.Length, p.Hopping, 0, g, h);
        if (p.Hopping != 1) yield return Make(p.Length, 1, p.Interaction, g, h);
        if (g.Any(x => x != 1)) yield return Make(p.Length, p.Hopping, p.Interaction, [1, 1, 1, 1], h);
    }

    /// <summary>A chain and a vector of the q = 0 sector (entries uniform in the unit square), drawn from generators.</summary>
    public static Arbitrary<(FermionParameters Chain, System.Numerics.Complex[] X)> ChainAndVector(int minL, int maxL) =>
        Arb.From(
            from p in Chain(minL, maxL)
            from x in (from re in Uniform(-0.5, 0.5) from im in Uniform(-0.5, 0.5) select new System.Numerics.Complex(re, im))
                      .ArrayOf(SectorDimension(p.Length))
            select (Chain: p, X: x),
            t => Shrink(t.Chain, minL).Select(q => (Chain: q, X: t.X[..SectorDimension(q.Length)])));

    /// <summary>C(2L, L), the dimension of the q = 0 sector.</summary>
    static int SectorDimension(int L)
    {
        long c = 1;
        for (int k = 1; k <= L; k++) c = c * (L + k) / k;
        return (int)c;
    }

    public static FermionParameters Make(int L, double J, double V, double[] g, double[] h) =>
        Ok(FermionParameters.Create(L, J, V, g, h));

    /// <summary>The front door's result by <paramref name="solver"/> (default: direct, the reference of the properties)
    /// with the Krylov settings <paramref name="options"/>.</summary>
    public static FermionSteadyState Solve(FermionParameters p, FermionSolver solver = FermionSolver.Direct, KrylovOptions? options = null) =>
        Ok(Steady(p, solver, options));

    public static Fin<FermionSteadyState> Steady(FermionParameters p, FermionSolver solver = FermionSolver.Direct, KrylovOptions? options = null) =>
        FermionChain.SteadyState(p, solver, Options(options));

    /// <summary>The density matrix by a Liouvillian solver (before its certificate).</summary>
    public static Fin<FermionState> State(FermionParameters p, FermionSolver solver = FermionSolver.Direct, KrylovOptions? options = null) =>
        SolverPlan.Fermion(p.Length, p.Interaction, solver, Options(options)).Bind(plan => SteadyState.Solve(p, plan));

    static SolverOptions Options(KrylovOptions? o) => SolverOptions.Default with { Krylov = o ?? KrylovOptions.Default };

    /// <summary>A certificate's number by name (NaN when it has none).</summary>
    public static double Stat(this Certificate c, string name) => c.Value(name).IfNone(double.NaN);

    /// <summary>A solver report's number by name (NaN when it has none).</summary>
    public static double Stat(this SolverReport r, string name) => new Certificate(r.Solver, r.Facts).Stat(name);

    /// <summary>The value of a pipeline stage, or an exception with its error message.</summary>
    public static T Ok<T>(Fin<T> f) => f.Match(x => x, e => throw new InvalidOperationException(e.Message));
}

/// <summary>The Arbitrary registered for <see cref="FermionParameters"/> parameters of properties: 1..5 sites.</summary>
public static class FermionArbitraries
{
    public static Arbitrary<FermionParameters> Chain() => Chains.Arbitrary(1, 5);
}
