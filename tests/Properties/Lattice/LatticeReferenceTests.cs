using System.Collections.Immutable;
using System.Text.Json;
using Ness.Operators.Harmonic;
using Ness.Pipeline.Lattice;

namespace Ness.Tests.Lattice;

/// <summary>Every case of Reference/lattice_public.json (scipy's Lyapunov solver checked against a Kronecker solve;
/// eq. 2.10 from numpy's eigh checked against lambda = 1e-6) through the lattice pipeline to |dT| &lt;= 1e-9.</summary>
public class LatticeReferenceTests
{
    public const double Tolerance = 1e-9;

    public static JsonElement[] Cases() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reference", "lattice_public.json")))
            .RootElement.EnumerateArray().ToArray();

    public static TheoryData<int> CaseIndices()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < Cases().Length; i++) data.Add(i);
        return data;
    }

    public static LatticeParameters Parameters(JsonElement c)
    {
        var s = c.GetProperty("shape").EnumerateArray().Select(x => x.GetInt32()).ToArray();
        var box = new Box(s[0], s.Length > 1 ? s[1] : 1, s.Length > 2 ? s[2] : 1);
        bool weak = c.GetProperty("bath_coupling").ValueKind == JsonValueKind.Null;
        var t = c.GetProperty("temperatures").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        var v = c.GetProperty("pinning").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        var baths = c.GetProperty("baths").EnumerateArray()
            .Select(b => new Bath(b[0].GetInt32(), b[1].GetDouble())).ToImmutableArray();
        bool faces = c.GetProperty("faces").GetBoolean();
        return LatticeParameters.Create(box, c.GetProperty("coupling").GetDouble(),
                weak ? LanguageExt.Option<double>.None : c.GetProperty("bath_coupling").GetDouble(), weak, t,
                faces ? LanguageExt.Option<ImmutableArray<Bath>>.None : baths, v, LanguageExt.Option<double[]>.None,
                LanguageExt.Option<long>.None)
            .Match(p => p, e => throw new Xunit.Sdk.XunitException(e.Message));
    }

    [Fact]
    public void The_reference_file_has_both_kinds_and_a_bath_set_that_is_not_the_faces()
    {
        var cases = Cases();
        Assert.Contains(cases, c => c.GetProperty("bath_coupling").ValueKind == JsonValueKind.Null);
        Assert.Contains(cases, c => c.GetProperty("bath_coupling").ValueKind == JsonValueKind.Number);
        Assert.Contains(cases, c => !c.GetProperty("faces").GetBoolean());
    }

    [Fact]
    public void Faces_give_the_bath_list_of_the_file()
    {
        foreach (var c in Cases().Where(c => c.GetProperty("faces").GetBoolean()))
        {
            var p = Parameters(c);
            var expected = c.GetProperty("baths").EnumerateArray().Select(b => (b[0].GetInt32(), b[1].GetDouble())).OrderBy(x => x.Item1);
            Assert.Equal(expected, p.Baths.Select(b => (b.Site, b.Temperature)).OrderBy(x => x.Site));
        }
    }

    [Theory]
    [MemberData(nameof(CaseIndices))]
    public void Reference_case_is_reproduced(int index)
    {
        var c = Cases()[index];
        var p = Parameters(c);
        var r = Ness.Pipeline.HarmonicBox.SteadyState(p).Match(r => r, e => throw new Xunit.Sdk.XunitException(e.Message));
        var expected = c.GetProperty("profile").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        Assert.Equal(expected.Length, r.Profile.Length);
        double maxDiff = expected.Zip(r.Profile, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(maxDiff <= Tolerance, $"case {index}: max |dT| = {maxDiff:G3} > {Tolerance:G1}");
        if (!p.WeakCoupling)
        {
            var spectral = LatticeSpectral.Solve(p).Match(s => s.Temperatures, e => throw new Xunit.Sdk.XunitException(e.Message));
            double d = expected.Zip(spectral, (a, b) => Math.Abs(a - b)).Max();
            Assert.True(d <= Tolerance, $"case {index}: spectral solve max |dT| = {d:G3}");
        }
    }
}
