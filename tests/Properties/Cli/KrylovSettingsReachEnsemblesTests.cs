using System.Text.Json.Nodes;

namespace Ness.Tests.Cli;

/// <summary>The Krylov solver's environment settings (docs/interface.md, "Environment") reach ensembles and
/// `reproduce`, as they reach `ness fermion`: a setting shows in each line's diagnostics, and a bad value exits 2
/// naming the variable, with nothing on stdout.</summary>
public class KrylovSettingsReachEnsemblesTests
{
    static JsonObject Diagnostics(string line) => (JsonObject)JsonNode.Parse(line)!["diagnostics"]!;

    [Fact]
    public void An_ensemble_solves_with_the_sweep_the_environment_names()
    {
        using var scratch = NessProcess.TempDir();
        string[] args = ["ensemble", "fermion", "-L", "7", "--disorder", "10", "--realizations", "1", "--seed", "1", "--solver", "krylov"];
        var jacobi = NessProcess.RunIn(scratch, new Dictionary<string, string> { ["NESS_KRYLOV_SWEEP"] = "jacobi" }, args);
        var plain = NessProcess.RunIn(scratch, new Dictionary<string, string>(), args);
        Assert.True(jacobi.Code == 0 && plain.Code == 0, $"exit {jacobi.Code}, {plain.Code}: {jacobi.Stderr} {plain.Stderr}");
        Assert.Equal(0, Diagnostics(jacobi.Stdout.Trim())["smoother_red_black"]!.GetValue<double>());
        Assert.Equal(1, Diagnostics(plain.Stdout.Trim())["smoother_red_black"]!.GetValue<double>());
    }

    /// <summary>`NESS_KRYLOV_TRANSFER` sets the precision of the coarse transfers (single by default); any other value
    /// than single or double exits 2 naming it.</summary>
    [Fact]
    public void The_transfer_precision_is_the_one_the_environment_names()
    {
        using var scratch = NessProcess.TempDir();
        string[] args = ["fermion", "-L", "7", "--disorder", "10", "--seed", "1", "--solver", "krylov"];
        var dbl = NessProcess.RunIn(scratch, new Dictionary<string, string> { ["NESS_KRYLOV_TRANSFER"] = "double" }, args);
        var plain = NessProcess.RunIn(scratch, new Dictionary<string, string>(), args);
        Assert.True(dbl.Code == 0 && plain.Code == 0, $"exit {dbl.Code}, {plain.Code}: {dbl.Stderr} {plain.Stderr}");
        Assert.Equal(0, Diagnostics(dbl.Stdout.Trim())["coarse_transfer_single_precision"]!.GetValue<double>());
        Assert.Equal(1, Diagnostics(plain.Stdout.Trim())["coarse_transfer_single_precision"]!.GetValue<double>());
        var bad = NessProcess.RunIn(scratch, new Dictionary<string, string> { ["NESS_KRYLOV_TRANSFER"] = "half" }, args);
        Assert.True(bad.Code == 2, $"exit {bad.Code}: {bad.Stderr}");
        Assert.Empty(bad.Stdout);
        Assert.Contains("NESS_KRYLOV_TRANSFER", bad.Stderr);
    }

    [Theory]
    [InlineData("ensemble")]
    [InlineData("reproduce")]
    public void A_bad_setting_exits_2_naming_the_variable(string command)
    {
        using var scratch = NessProcess.TempDir();
        string[] args = command == "ensemble"
            ? ["ensemble", "fermion", "-L", "7", "--disorder", "10", "--realizations", "1", "--seed", "1"]
            : ["reproduce", "--figure", "table1", "--length", "7", "--realizations", "1", "--out", Path.Combine(scratch, "out")];
        var r = NessProcess.RunIn(scratch, new Dictionary<string, string> { ["NESS_KRYLOV_RESTART"] = "0" }, args);
        Assert.True(r.Code == 2, $"exit {r.Code}: {r.Stderr}");
        Assert.Empty(r.Stdout);
        Assert.Contains("NESS_KRYLOV_RESTART", r.Stderr);
    }
}
