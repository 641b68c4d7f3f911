using System.Text.Json;
using Ness.Pipeline;

namespace Ness.Tests.Harmonic;

/// <summary><c>ness harmonic</c> in-process: exit codes, flag names in messages, nothing on stdout on failure,
/// and the JSON/CSV contract of docs/interface.md. Console is redirected, so these run outside the parallel collections.</summary>
[Collection("Console")]
public class HarmonicCliTests
{
    static (int Code, string Out, string Err) Run(params string[] args) => CliRun.Run(["harmonic", .. args]);

    [Theory]
    [InlineData("--pinning", "--length", "3", "--pinning", "1,2", "--weak-coupling")]
    [InlineData("--pinning", "--length", "3", "--pinning", "1,0,1", "--weak-coupling")]
    [InlineData("--pinning", "--length", "3", "--pinning", "1,-1,1", "--weak-coupling")]
    [InlineData("--pinning", "--length", "3", "--pinning", "1,NaN,1", "--weak-coupling")]
    [InlineData("--pinning", "--length", "3", "--pinning", "1,Infinity,1", "--weak-coupling")]
    [InlineData("--coupling", "--length", "3", "--pinning", "1,1,1", "--coupling", "-0.1", "--weak-coupling")]
    [InlineData("--coupling", "--length", "3", "--pinning", "1,1,1", "--coupling", "NaN", "--weak-coupling")]
    [InlineData("--bath-coupling", "--length", "3", "--pinning", "1,1,1", "--bath-coupling", "0")]
    [InlineData("--bath-coupling", "--length", "3", "--pinning", "1,1,1", "--bath-coupling", "-1")]
    [InlineData("--bath-coupling", "--length", "3", "--pinning", "1,1,1", "--bath-coupling", "inf")]
    [InlineData("--bath-coupling", "--length", "3", "--pinning", "1,1,1")]
    [InlineData("--bath-coupling", "--length", "3", "--pinning", "1,1,1", "--bath-coupling", "1", "--weak-coupling")]
    [InlineData("--temperatures", "--length", "3", "--pinning", "1,1,1", "--weak-coupling", "--temperatures", "-1,2")]
    [InlineData("--temperatures", "--length", "3", "--pinning", "1,1,1", "--weak-coupling", "--temperatures", "1")]
    [InlineData("--temperatures", "--length", "3", "--pinning", "1,1,1", "--weak-coupling", "--temperatures", "1,NaN")]
    [InlineData("--length", "--length", "1", "--pinning", "1", "--weak-coupling")]
    [InlineData("--length", "--length", "x", "--pinning", "1", "--weak-coupling")]
    [InlineData("--length", "--length", "2000000000", "--seed", "1", "--weak-coupling")]
    [InlineData("--length", "--pinning", "1,1", "--weak-coupling")]
    [InlineData("--pinning", "--length", "3", "--pinning", "1,1,1", "--pinning-range", "1,2", "--seed", "1", "--weak-coupling")]
    [InlineData("--pinning", "--length", "3", "--weak-coupling")]
    [InlineData("--pinning-range", "--length", "3", "--pinning-range", "2,1", "--seed", "1", "--weak-coupling")]
    [InlineData("--pinning-range", "--length", "3", "--pinning-range", "0,1", "--seed", "1", "--weak-coupling")]
    [InlineData("--pinning-range", "--length", "3", "--pinning-range", "1", "--seed", "1", "--weak-coupling")]
    [InlineData("--seed", "--length", "3", "--pinning-range", "1,2", "--weak-coupling")]
    [InlineData("--seed", "--length", "3", "--pinning-range", "1,2", "--seed", "1.5", "--weak-coupling")]
    [InlineData("--format", "--length", "3", "--pinning", "1,1,1", "--weak-coupling", "--format", "xml")]
    public void Bad_input_exits_2_naming_the_flag(string flag, params string[] args)
    {
        var (code, stdout, stderr) = Run(args);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains(flag, stderr);
    }

    /// <summary>Figure 2's chain (L = 70, g = 0.1, lambda = 1), whose middle modes are damped at ~1e-41, at equal bath
    /// temperatures: the exact equilibrium T(x) = 1 on every site and no current.</summary>
    [Fact]
    public void Long_chain_at_equal_temperatures_is_flat_and_carries_no_current()
    {
        var (code, stdout, stderr) = Run("--length", "70", "--pinning-range", "1,2", "--seed", "1", "--coupling", "0.1",
            "--bath-coupling", "1", "--temperatures", "1.5,1.5");
        Assert.True(code == 0, stderr);
        var o = JsonDocument.Parse(stdout).RootElement;
        Assert.All(o.GetProperty("profile").EnumerateArray(), t => Assert.Equal(1.5, t.GetDouble()));
        Assert.Equal(0.0, o.GetProperty("current").GetProperty("left").GetDouble());
    }

    [Fact]
    public void Json_follows_the_contract_and_reproduces_the_reference()
    {
        var c = HarmonicReferenceTests.Cases()[0];
        var pinning = string.Join(",", c.GetProperty("pinning").EnumerateArray().Select(v => v.GetDouble().ToString("R")));
        var (code, stdout, _) = Run("--length", "24", "--pinning", pinning, "--weak-coupling", "--coupling", "0.1");
        Assert.Equal(0, code);
        var o = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(["model", "length", "coupling", "bath_coupling", "temperatures", "pinning", "profile", "step", "current", "diagnostics", "provenance"],
            o.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("harmonic", o.GetProperty("model").GetString());
        Assert.Equal(JsonValueKind.Null, o.GetProperty("bath_coupling").ValueKind);
        // weak coupling: the current's leading order J / lambda and its logarithm
        var j = o.GetProperty("current");
        Assert.Equal(["per_bath_coupling", "ln_abs"], j.EnumerateObject().Select(q => q.Name).ToArray());
        Assert.Equal(Math.Log(Math.Abs(j.GetProperty("per_bath_coupling").GetDouble())), j.GetProperty("ln_abs").GetDouble(), 12);
        Assert.Equal([1.0, 2.0], o.GetProperty("temperatures").EnumerateArray().Select(t => t.GetDouble()));
        Assert.Equal(3, o.GetProperty("step").GetProperty("width").GetInt32());
        Assert.Equal(13.0, o.GetProperty("step").GetProperty("midpoint").GetDouble());
        Assert.True(o.GetProperty("diagnostics").TryGetProperty("method", out _));
        Assert.True(o.GetProperty("diagnostics").TryGetProperty("seconds", out _));
        var expected = c.GetProperty("profile").EnumerateArray().Select(t => t.GetDouble());
        var actual = o.GetProperty("profile").EnumerateArray().Select(t => t.GetDouble());
        Assert.All(expected.Zip(actual), p => Assert.True(Math.Abs(p.Item1 - p.Item2) <= 1e-9));
    }

    [Fact]
    public void Json_numbers_round_trip_and_currents_are_reported_at_finite_lambda()
    {
        var (code, stdout, _) = Run("--length", "5", "--pinning", "0.953142,1.216149,1.477959,0.666076,0.758008",
            "--coupling", "0.5", "--bath-coupling", "1");
        Assert.Equal(0, code);
        var o = JsonDocument.Parse(stdout).RootElement;
        var p = HarmonicNess_Run(5, 0.5, 1.0, [0.953142, 1.216149, 1.477959, 0.666076, 0.758008]);
        Assert.Equal(p.Temperatures, o.GetProperty("profile").EnumerateArray().Select(t => t.GetDouble()));
        Assert.Equal(p.Current.Value, o.GetProperty("current").GetProperty("left").GetDouble());
        Assert.Equal(p.Current.Value, o.GetProperty("current").GetProperty("right").GetDouble());
        Assert.Equal(p.Current.LogAbs, o.GetProperty("current").GetProperty("ln_abs").GetDouble());
        Assert.Equal(1.0, o.GetProperty("bath_coupling").GetDouble());
    }

    static Ness.Pipeline.HarmonicSteadyState HarmonicNess_Run(int l, double g, double lambda, double[] v) =>
        Ness.Pipeline.Harmonic.HarmonicParameters.Create(l, g, lambda, false, [1, 2], v, LanguageExt.Option<double[]>.None, LanguageExt.Option<long>.None)
            .Bind(p => Ness.Pipeline.HarmonicChain.SteadyState(p))
            .Match(r => r, e => throw new Xunit.Sdk.XunitException(e.Message));

    [Fact]
    public void Seed_draws_the_documented_disorder_with_the_default_range()
    {
        var (code, stdout, _) = Run("--length", "6", "--seed", "42", "--weak-coupling");
        Assert.Equal(0, code);
        var v = JsonDocument.Parse(stdout).RootElement.GetProperty("pinning").EnumerateArray().Select(x => x.GetDouble());
        Assert.Equal(Disorder.Uniform(42, 0, 6, 1, 2), v);
        var (code2, stdout2, _) = Run("--length", "6", "--seed", "42", "--pinning-range", "1,2", "--weak-coupling");
        Assert.Equal(0, code2);
        Assert.Equal(stdout.Split("\"diagnostics\"")[0], stdout2.Split("\"diagnostics\"")[0]);
    }

    [Fact]
    public void Csv_has_one_row_per_site_and_table_is_printed()
    {
        var (code, stdout, _) = Run("--length", "4", "--pinning", "1,1.5,1.2,1.8", "--weak-coupling", "--format", "csv");
        Assert.Equal(0, code);
        var lines = stdout.TrimEnd('\n').Split('\n');
        Assert.EndsWith(",site,pinning,temperature", lines[0]);
        Assert.StartsWith("version,commit,", lines[0]);
        Assert.Equal(5, lines.Length);
        Assert.Contains(",weak-coupling,4,1.8,", lines[4]);
        var (code2, table, _) = Run("--length", "4", "--pinning", "1,1.5,1.2,1.8", "--bath-coupling", "0.5", "--format", "table");
        Assert.Equal(0, code2);
        Assert.Contains("energy current", table);
    }
}
