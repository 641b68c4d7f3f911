using System.Text.Json.Nodes;

namespace Ness.Tests.Fermion;

/// <summary>`ness fermion` as docs/interface.md describes it: output shape, and bad input → exit 2 with the
/// flag named and nothing on stdout.</summary>
[Collection("Console")]
public class FermionCli
{
    [Fact]
    public void JsonHasTheContractFields()
    {
        var (code, stdout, stderr) = CliRun.Run("fermion", "--length", "4", "--disorder", "10", "--seed", "1");
        Assert.True(code == 0, stderr);
        var o = JsonNode.Parse(stdout)!;
        Assert.Equal("fermion", (string)o["model"]!);
        Assert.Equal(4, o["profile"]!.AsArray().Count);
        Assert.Equal(3, o["current"]!["bonds"]!.AsArray().Count);
        foreach (var k in new[] { "left", "right" }) Assert.NotNull(o["current"]![k]);
        foreach (var k in new[] { "max_jump", "end_to_end", "residual_roughness" }) Assert.NotNull(o["step"]![k]);
        foreach (var k in new[] { "solver", "dimension", "residual", "trace_error", "hermiticity_error", "min_eigenvalue", "seconds" })
            Assert.NotNull(o["diagnostics"]![k]);
        Assert.Equal(70, (int)o["diagnostics"]!["dimension"]!);
        var h = o["fields"]!.AsArray().Select(x => (double)x!).ToArray();
        Assert.Equal(Ness.Pipeline.Disorder.Uniform(1, 0, 4, -10, 10), h);
        Assert.All(h, x => Assert.InRange(x, -10, 10));
    }

    [Fact]
    public void SameSeedSameOutputAndCsvTableWork()
    {
        var a = CliRun.Run("fermion", "--length", "3", "--disorder", "2", "--seed", "7", "--format", "csv");
        var b = CliRun.Run("fermion", "--length", "3", "--disorder", "2", "--seed", "7", "--format", "csv");
        Assert.Equal(0, a.Code);
        // the same row but for the date of writing (column 3)
        var (ra, rb) = (a.Out.Split('\n')[1].Split(','), b.Out.Split('\n')[1].Split(','));
        Assert.Equal(ra[..2].Concat(ra[3..]), rb[..2].Concat(rb[3..]));
        Assert.Equal(5, a.Out.Split('\n').Length); // header, 3 sites, trailing newline
        var t = CliRun.Run("fermion", "--length", "3", "--fields", "1,2,3", "--format", "table");
        Assert.Equal(0, t.Code);
        Assert.Contains("current", t.Out);
    }

    [Theory]
    [InlineData("--length", "--length", "0", "--fields", "")]
    [InlineData("--length", "--length", "-3", "--disorder", "1", "--seed", "1")]
    [InlineData("--length", "--length", "abc", "--disorder", "1", "--seed", "1")]
    [InlineData("--length", "--length", "99", "--disorder", "1", "--seed", "1")]
    [InlineData("--length", "--length", "99999999999", "--disorder", "1", "--seed", "1")]
    [InlineData("--fields", "--length", "3", "--fields", "1,2")]
    [InlineData("--fields", "--length", "3", "--fields", "1,x,2")]
    [InlineData("--fields", "--length", "3", "--fields", "1,NaN,2")]
    [InlineData("--fields", "--length", "3", "--fields", "1,Infinity,2")]
    [InlineData("--fields", "--length", "3")]
    [InlineData("--fields", "--length", "3", "--fields", "1,2,3", "--disorder", "1", "--seed", "2")]
    [InlineData("--seed", "--length", "3", "--disorder", "1")]
    [InlineData("--seed", "--length", "3", "--disorder", "1", "--seed", "1.5")]
    [InlineData("--disorder", "--length", "3", "--disorder", "-1", "--seed", "1")]
    [InlineData("--rates", "--length", "3", "--fields", "1,2,3", "--rates", "1,2,3")]
    [InlineData("--rates", "--length", "3", "--fields", "1,2,3", "--rates", "1,-2,3,1")]
    [InlineData("--rates", "--length", "3", "--fields", "1,2,3", "--rates", "0,0,0,0")]
    [InlineData("--hopping", "--length", "3", "--fields", "1,2,3", "--hopping", "nan")]
    [InlineData("--hopping", "--length", "3", "--fields", "1,2,3", "--hopping", "1e300")]
    [InlineData("--fields", "--length", "7", "--fields", "1e300,2,3,4,5,6,7")]
    [InlineData("--disorder", "--length", "7", "--disorder", "1e300", "--seed", "1")]
    [InlineData("--rates", "--length", "3", "--fields", "1,2,3", "--rates", "1e7,1,1,1")]
    [InlineData("--interaction", "--length", "3", "--fields", "1,2,3", "--interaction", "x")]
    [InlineData("--solver", "--length", "3", "--fields", "1,2,3", "--solver", "magic")]
    [InlineData("--format", "--length", "3", "--fields", "1,2,3", "--format", "xml")]
    [InlineData("--bogus", "--length", "3", "--fields", "1,2,3", "--bogus")]
    [InlineData("--solver", "--length", "3", "--fields", "1,2,3", "--solver", "gaussian")]
    [InlineData("--solver", "--length", "3", "--fields", "1,2,3", "--interaction", "0.5", "--solver", "gaussian")]
    [InlineData("--length", "--length", "100001", "--interaction", "0", "--disorder", "1", "--seed", "1")]
    [InlineData("--length", "--length", "17", "--interaction", "0", "--solver", "krylov", "--disorder", "1", "--seed", "1")]
    public void BadInputExitsTwoNamingTheFlag(string flag, params string[] args)
    {
        var (code, stdout, stderr) = CliRun.Run(["fermion", .. args]);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains(flag, stderr);
    }

    /// <summary>At J = 0 the inner sites are decoupled from the baths: the steady state is not unique, and
    /// both solvers say so instead of printing one of many.</summary>
    [Theory]
    [InlineData("direct")]
    [InlineData("krylov")]
    [InlineData("gaussian")]
    public void NonUniqueSteadyStateExitsThree(string solver)
    {
        var (code, stdout, stderr) = CliRun.Run("fermion", "--length", "5", "--fields", "1,2,3,4,5", "--hopping", "0", "--solver", solver,
            "--interaction", solver == "gaussian" ? "0" : "1");
        Assert.Equal(3, code);
        Assert.Equal("", stdout);
        Assert.Contains("not unique", stderr);
    }

    /// <summary>The draw the fuzz found: L = 4, --disorder 5 --seed 1, where the Krylov solver's coarse rate matrix was
    /// not exactly singular and a profile was printed (exit 0); J = 0 is now refused before any solver runs.</summary>
    [Theory]
    [InlineData("krylov", "4")]
    [InlineData("krylov", "3")]
    [InlineData("direct", "4")]
    [InlineData("auto", "7")]
    public void DecoupledDrawsExitThree(string solver, string length)
    {
        var (code, stdout, stderr) = CliRun.Run("fermion", "--length", length, "--hopping", "0", "--disorder", "5", "--seed", "1", "--solver", solver);
        Assert.Equal(3, code);
        Assert.Equal("", stdout);
        Assert.Contains("not unique", stderr);
    }

    [Fact]
    public void TooLargeForTheDirectSolverExitsThree()
    {
        var (code, stdout, stderr) = CliRun.Run("fermion", "--length", "12", "--disorder", "1", "--seed", "1", "--solver", "direct");
        Assert.Equal(3, code);
        Assert.Equal("", stdout);
        Assert.Contains("GB", stderr);
    }
}
