using FsCheck;
using FsCheck.Fluent;
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

    public static double[] Profile(HarmonicParameters p) =>
        HarmonicNess.TemperatureProfile(p).Match(t => t.Temperatures.ToArray(), e => throw new Xunit.Sdk.XunitException(e.Message));
}
