using System.Text.Json;
using Ness.Pipeline;
using Ness.Pipeline.Harmonic;

namespace Ness.Tests.Harmonic;

/// <summary>Every case of Reference/harmonic_public.json (weak coupling: 200-digit; finite lambda: 60-digit),
/// reproduced through the pipeline to |dT| &lt;= 1e-9, with the Figure 3 width and midpoint where given.</summary>
public class HarmonicReferenceTests
{
    public const double Tolerance = 1e-9;

    public static JsonElement[] Cases() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reference", "harmonic_public.json")))
            .RootElement.EnumerateArray().ToArray();

    public static TheoryData<int> CaseIndices()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < Cases().Length; i++) data.Add(i);
        return data;
    }

    public static HarmonicParameters Parameters(JsonElement c)
    {
        double? lambda = c.GetProperty("bath_coupling").ValueKind == JsonValueKind.Null ? null : c.GetProperty("bath_coupling").GetDouble();
        var t = c.GetProperty("temperatures").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        var v = c.GetProperty("pinning").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        return HarmonicParameters.Create(c.GetProperty("length").GetInt32(), c.GetProperty("coupling").GetDouble(),
                LanguageExt.Prelude.Optional(lambda), lambda is null, t, v, LanguageExt.Option<double[]>.None, LanguageExt.Option<long>.None)
            .Match(p => p, e => throw new Xunit.Sdk.XunitException(e.Message));
    }

    [Fact]
    public void The_reference_file_has_both_kinds()
    {
        var cases = Cases();
        Assert.Contains(cases, c => c.GetProperty("bath_coupling").ValueKind == JsonValueKind.Null);
        Assert.Contains(cases, c => c.GetProperty("bath_coupling").ValueKind == JsonValueKind.Number);
    }

    [Theory]
    [MemberData(nameof(CaseIndices))]
    public void Reference_case_is_reproduced(int index)
    {
        var c = Cases()[index];
        var result = HarmonicChain.SteadyState(Parameters(c)).Match(r => r, e => throw new Xunit.Sdk.XunitException(e.Message));
        var expected = c.GetProperty("profile").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        var actual = result.Temperatures;
        Assert.Equal(expected.Length, actual.Length);
        double maxDiff = expected.Zip(actual, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(maxDiff <= Tolerance, $"case {index}: max |dT| = {maxDiff:G3} > {Tolerance:G1}");
        if (c.TryGetProperty("width", out var w)) Assert.Equal(w.GetInt32(), result.Step.Width);
        if (c.TryGetProperty("midpoint", out var m)) Assert.Equal(m.GetDouble(), result.Step.Midpoint);
        if (result.Current is EnergyCurrent.Finite j)
        {
            double lam = Assert.IsType<BathCoupling.Finite>(result.Parameters.Bath).Lambda;
            double jBath = lam * (result.Parameters.TLeft - actual[0]);
            Assert.True(Math.Abs(j.Value - jBath) <= 1e-12, $"current {j.Value:R} vs lambda (T1 - T(1)) = {jBath:R}");
        }
    }
}
