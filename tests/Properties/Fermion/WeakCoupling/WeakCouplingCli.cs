using System.Globalization;
using System.Text.Json.Nodes;
using Ness.Pipeline.Fermion.WeakCoupling;

namespace Ness.Tests.Fermion.WeakCoupling;

/// <summary>`ness fermion --weak-coupling` end to end: the public reference, the solver choice, refusals.</summary>
[Collection("Console")]
public class WeakCouplingCli
{
    static string List(JsonNode a) => string.Join(",", a.AsArray().Select(x => ((double)x!).ToString("R", CultureInfo.InvariantCulture)));

    /// <summary>Reference/pauli_public.json through the command line: |n_x − reference| &lt;= 1e-9, pauli at V != 0 and
    /// onebody at V = 0 (auto), the current within the reference's tolerance.</summary>
    [Fact]
    public void PublicReferenceThroughTheCli()
    {
        var cases = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reference", "pauli_public.json")))!.AsArray();
        foreach (var c in cases)
        {
            var (code, stdout, stderr) = CliRun.Run("fermion", "--weak-coupling", "--length", ((int)c!["length"]!).ToString(CultureInfo.InvariantCulture),
                "--hopping", ((double)c["hopping"]!).ToString("R", CultureInfo.InvariantCulture),
                "--interaction", ((double)c["interaction"]!).ToString("R", CultureInfo.InvariantCulture),
                "--rates", List(c["rates"]!), "--fields", List(c["fields"]!));
            Assert.True(code == 0, stderr);
            var o = JsonNode.Parse(stdout)!;
            Assert.True((bool)o["weak_coupling"]!);
            Assert.Equal((double)c["interaction"]! == 0 ? "pauli-onebody" : "pauli", (string)o["diagnostics"]!["solver"]!);
            var n = o["profile"]!.AsArray().Select(x => (double)x!).ToArray();
            var r = c["profile"]!.AsArray().Select(x => (double)x!).ToArray();
            double dn = n.Zip(r).Max(t => Math.Abs(t.Item1 - t.Item2));
            Assert.True(dn <= 1e-9, $"max |n_x - reference| = {dn:E2}");
            var g = c["rates"]!.AsArray().Select(x => (double)x!).ToArray();
            double j = (double)o["current"]!["per_coupling"]!, jr = (double)c["current_per_coupling"]!;
            Assert.True(Math.Abs(j - jr) <= (g[0] + g[1]) * 1e-9 + (double)c["current_spread"]!, $"current {j:R} vs {jr:R}");
            Assert.Equal(Math.Log(Math.Abs(j)), (double)o["current"]!["ln_abs"]!, 12);
        }
    }

    /// <summary>The finite-rate solvers do not compute the limit: exit 2 naming --solver, nothing on stdout.</summary>
    [Theory]
    [InlineData("krylov")]
    [InlineData("direct")]
    [InlineData("gaussian")]
    public void FiniteRateSolverWithWeakCouplingIsBadInput(string solver)
    {
        var (code, stdout, stderr) = CliRun.Run("fermion", "--weak-coupling", "--solver", solver, "-L", "4", "--disorder", "1", "--seed", "1");
        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Contains("--solver", stderr);
    }

    /// <summary>onebody needs V = 0; pauli stops at L = 16.</summary>
    [Fact]
    public void RangesAreBadInput()
    {
        var (code, stdout, stderr) = CliRun.Run("fermion", "--solver", "onebody", "-L", "4", "--disorder", "1", "--seed", "1");
        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Contains("--interaction 0", stderr);
        (code, stdout, stderr) = CliRun.Run("fermion", "--weak-coupling", "-L", "17", "--disorder", "1", "--seed", "1");
        Assert.Equal(2, code);
        Assert.Contains("--length", stderr);
    }

    /// <summary>Beyond the memory cap the Pauli solver refuses (exit 3) before allocating, with its estimate and the
    /// largest L that fits.</summary>
    [Fact]
    public void MemoryRefusalNamesTheEstimate()
    {
        using var scratch = NessProcess.TempDir();
        var r = NessProcess.RunIn(scratch, new Dictionary<string, string> { ["NESS_KRYLOV_MEMORY_GB"] = "0.2" },
            "fermion", "-L", "12", "--weak-coupling", "--disorder", "1", "--seed", "1", "--threads", "1");
        Assert.True(r.Code == 3, $"exit {r.Code}: {r.Stderr}");
        Assert.Empty(r.Stdout);
        Assert.Contains("would need about", r.Stderr);
        int fit = PauliMasterEquation.LargestLength(0.2e9, spill: true);
        Assert.InRange(fit, 1, 11);
        Assert.Contains($"the largest L that fits is {fit}", r.Stderr);
    }

    /// <summary>The free chain at L = 2,000, h = 10: the current is far below the smallest double, ln|J/eps| is finite
    /// and equals the sum of the one-body terms; the profile steps from the left bath value to the right one.</summary>
    [Fact]
    public void LongFreeChainKeepsTheCurrentInLogarithms()
    {
        var (code, stdout, stderr) = CliRun.Run("fermion", "--weak-coupling", "--interaction", "0", "-L", "2000", "--disorder", "10", "--seed", "3");
        Assert.True(code == 0, stderr);
        var o = JsonNode.Parse(stdout)!;
        double ln = (double)o["current"]!["ln_abs"]!;
        Assert.True(ln < -1000, $"ln|J/eps| = {ln}");
        Assert.Equal(0.0, (double)o["current"]!["per_coupling"]!);
        var n = o["profile"]!.AsArray().Select(x => (double)x!).ToArray();
        Assert.Equal(0.75, n[0], 6);
        Assert.Equal(2.0 / 3, n[^1], 6);
    }
}
