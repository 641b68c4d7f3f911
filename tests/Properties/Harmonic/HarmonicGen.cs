using FsCheck;
using FsCheck.Fluent;
using Ness.Pipeline;
using Ness.Pipeline.Harmonic;

namespace Ness.Tests.Harmonic;

/// <summary>A short chain with physical parameters (pinning in [1, 2], coupling g in [0.2, 1], temperatures in [0, 3]).</summary>
public sealed record Chain(double[] Pinning, double G, double T1, double TL)
{
    public override string ToString() =>
        $"Chain(L={Pinning.Length}, g={G:R}, T1={T1:R}, TL={TL:R}, V=[{string.Join(",", Pinning.Select(v => v.ToString("R")))}])";

    public HarmonicParameters Weak(double? t1 = null, double? tL = null) =>
        Parameters(null, t1 ?? T1, tL ?? TL);

    public HarmonicParameters Finite(double lambda, double? t1 = null, double? tL = null) =>
        Parameters(lambda, t1 ?? T1, tL ?? TL);

    HarmonicParameters Parameters(double? lambda, double t1, double tL) =>
        (HarmonicParameters)HarmonicParameters.Create(Pinning.Length, G, LanguageExt.Prelude.Optional(lambda), lambda is null, [t1, tL], Pinning, LanguageExt.Option<double[]>.None, LanguageExt.Option<long>.None);
}

/// <summary>A chain and a bath coupling lambda in [0.1, 2].</summary>
public sealed record CoupledChain(Chain Chain, double Lambda);

/// <summary>Generators of harmonic chains, with shrinkers (shorter chains, rounder numbers) so that a failing
/// case is reported in its simplest form.</summary>
public static class HarmonicGen
{
    static Gen<double> Uniform(int lo, int hi, double scale) => Gen.Choose(lo, hi).Select(i => i * scale);

    /// <summary>Chains of 2..maxLength sites.</summary>
    public static Gen<Chain> Chains(int maxLength = 8, int minCouplingPercent = 20) =>
        from l in Gen.Choose(2, maxLength)
        from v in Gen.ArrayOf(Uniform(1000, 2000, 1e-3), l)
        from g in Uniform(minCouplingPercent, 100, 1e-2)
        from t1 in Uniform(0, 300, 1e-2)
        from tL in Uniform(0, 300, 1e-2)
        select new Chain(v, g, t1, tL);

    /// <summary>Bath couplings lambda in [0.1, 2].</summary>
    public static Gen<double> BathCouplings => Uniform(10, 200, 1e-2);

    /// <summary><see cref="Chains"/> as an Arbitrary that shrinks.</summary>
    public static Arbitrary<Chain> Arbitrary(int maxLength = 8, int minCouplingPercent = 20) =>
        Arb.From(Chains(maxLength, minCouplingPercent), Shrink);

    /// <summary>Chains of 6..30 sites with a bath coupling, as an Arbitrary that shrinks.</summary>
    public static Arbitrary<CoupledChain> Coupled(int maxLength = 6, int minCouplingPercent = 30) =>
        Arb.From(from c in Chains(maxLength, minCouplingPercent) from l in BathCouplings select new CoupledChain(c, l),
                 cc => Shrink(cc.Chain).Select(c => cc with { Chain = c })
                         .Concat(cc.Lambda != 1 ? [cc with { Lambda = 1 }] : []));

    /// <summary>One site fewer; pinning, coupling and temperatures rounded to one decimal; the values stay
    /// inside the generator's ranges.</summary>
    public static IEnumerable<Chain> Shrink(Chain c)
    {
        if (c.Pinning.Length > 2) yield return c with { Pinning = c.Pinning[..^1] };
        var round = c.Pinning.Select(v => Math.Round(v, 1)).ToArray();
        if (!round.SequenceEqual(c.Pinning)) yield return c with { Pinning = round };
        if (Math.Round(c.G, 1) != c.G && Math.Round(c.G, 1) >= 0.2) yield return c with { G = Math.Round(c.G, 1) };
        if ((c.T1, c.TL) != (1, 2)) yield return c with { T1 = 1, TL = 2 };
    }

    public static double[] Profile(HarmonicParameters p) =>
        HarmonicChain.SteadyState(p).Match(t => t.Temperatures.ToArray(), e => throw new Xunit.Sdk.XunitException(e.Message));
}

/// <summary>The Arbitrary registered for <see cref="Chain"/> parameters of properties: 2..8 sites.</summary>
public static class HarmonicArbitraries
{
    public static Arbitrary<Chain> Chain() => HarmonicGen.Arbitrary();
    public static Arbitrary<CoupledChain> CoupledChain() => HarmonicGen.Coupled();
}
