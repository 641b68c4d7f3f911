using System.Text.Json.Nodes;
using Ness.Tests.Fermion;

namespace Ness.Tests.Mps;

/// <summary>`ness fermion --solver mps` as docs/interface.md describes it.</summary>
[Collection("Console")]
public class MpsCli
{
    [Fact]
    public void JsonCarriesOneCertificatePerBondDimension()
    {
        var (code, stdout, stderr) = CliRun.Run("fermion", "-L", "3", "--fields", "1,-2,0.5", "--solver", "mps");
        Assert.True(code == 0, stderr);
        var o = JsonNode.Parse(stdout)!;
        var d = o["diagnostics"]!;
        Assert.Equal("mps", (string)d["solver"]!);
        Assert.Null(d["min_eigenvalue"]);
        var stages = d["stages"]!.AsArray();
        Assert.NotEmpty(stages);
        foreach (var k in new[] { "chi", "relative_residual", "truncation_error", "current_spread", "sweeps" })
            Assert.NotNull(stages[^1]![k]);
        Assert.Equal(2, o["current"]!["bonds"]!.AsArray().Count);
    }

    [Fact]
    public void MpsFlagsNeedTheMpsSolverAndARange()
    {
        var r = CliRun.Run("fermion", "-L", "3", "--fields", "1,2,3", "--solver", "krylov", "--bond-dimension", "8");
        Assert.Equal(2, r.Code);
        Assert.Contains("--bond-dimension", r.Err);
        Assert.Equal("", r.Out);
        r = CliRun.Run("fermion", "-L", "3", "--fields", "1,2,3", "--solver", "mps", "--profile-tolerance", "0.5");
        Assert.Equal(2, r.Code);
        Assert.Contains("--profile-tolerance", r.Err);
        r = CliRun.Run("fermion", "-L", "17", "--fields", string.Join(",", Enumerable.Repeat("1", 17)), "--solver", "direct");
        Assert.Equal(2, r.Code);
        Assert.Contains("--solver mps", r.Err);
    }
}
