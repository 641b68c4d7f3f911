using System.Text.Json.Nodes;
using Ness.Cli.Reproduce;

namespace Ness.Tests.Reproduce;

/// <summary>`ness reproduce` neither clobbers nor restarts (issue 12, item 4), on the built ness as a child process:
/// a directory made with other settings is refused (exit 2) unless --force; a killed run resumes and computes only
/// the missing realizations; the ensembles under DIR/data are in the `ness ensemble` format.</summary>
public sealed class ReproduceResumeTests : IDisposable
{
    readonly string root = Path.Combine(Path.GetTempPath(), "ness-reproduce-resume-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(root, recursive: true); } catch (IOException) { }
    }

    static string[] Args(string dir, params string[] extra) =>
        ["reproduce", "--figure", "3", "--out", dir, "--realizations", "6", "--length", "4", "--threads", "1", .. extra];

    static JsonObject Summary(NessProcess.Result r)
    {
        Assert.True(r.Code == 0, r.Stderr);
        return JsonNode.Parse(r.Stdout)!.AsObject();
    }

    /// <summary>Complete ('\n'-terminated) lines in DIR/data.</summary>
    static int CompleteLines(string dir) =>
        Directory.EnumerateFiles(Path.Combine(dir, "data"), "*.jsonl").Sum(f => File.ReadAllBytes(f).Count(b => b == (byte)'\n'));

    [Fact]
    public void Other_settings_are_refused_unless_forced_and_the_same_settings_compute_nothing()
    {
        var dir = Path.Combine(root, "a");
        var first = Summary(NessProcess.Run(Args(dir)));
        Assert.Equal(30, (int)first["realizations_computed"]!);    // L = 2, 4, 8, 16, 32, 6 realizations each
        var fig = File.ReadAllText(Path.Combine(dir, "fig3.csv"));

        var again = Summary(NessProcess.Run(Args(dir)));
        Assert.Equal(0, (int)again["realizations_computed"]!);
        Assert.Equal(30, (int)again["realizations_resumed"]!);
        Assert.Equal(fig, File.ReadAllText(Path.Combine(dir, "fig3.csv")));

        var other = NessProcess.Run(Args(dir, "--seed", "2"));
        Assert.Equal(2, other.Code);
        Assert.Equal("", other.Stdout);
        Assert.Contains("--out", other.Stderr);
        Assert.Contains("seed", other.Stderr);
        Assert.Contains("--force", other.Stderr);
        Assert.Equal(fig, File.ReadAllText(Path.Combine(dir, "fig3.csv")));   // nothing clobbered

        var forced = Summary(NessProcess.Run(Args(dir, "--seed", "2", "--force")));
        Assert.Equal(30, (int)forced["realizations_computed"]!);
        Assert.Equal(2, (long)JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "reproduce.json")))!["seed"]!);
    }

    [Fact]
    public void A_killed_run_resumes_with_only_the_missing_realizations_and_the_same_figures()
    {
        var dir = Path.Combine(root, "killed");
        var p = NessProcess.Start(new Dictionary<string, string> { [NessProcess.DelayVariable] = "150" }, Args(dir));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && (!Directory.Exists(Path.Combine(dir, "data")) || CompleteLines(dir) < 5)) Thread.Sleep(50);
        p.Kill(entireProcessTree: true);
        p.WaitForExit();
        int kept = CompleteLines(dir);
        Assert.InRange(kept, 5, 29);
        Assert.False(File.Exists(Path.Combine(dir, "fig3.csv")));

        var resumed = Summary(NessProcess.Run(Args(dir)));
        Assert.Equal(kept, (int)resumed["realizations_resumed"]!);
        Assert.Equal(30 - kept, (int)resumed["realizations_computed"]!);

        var fresh = Path.Combine(root, "fresh");
        Summary(NessProcess.Run(Args(fresh)));
        Assert.Equal(File.ReadAllText(Path.Combine(fresh, "fig3.csv")), File.ReadAllText(Path.Combine(dir, "fig3.csv")));
    }

    [Fact]
    public void Sigint_stops_the_realizations_in_flight_exits_130_and_the_run_resumes()
    {
        var dir = Path.Combine(root, "sigint");
        var p = NessProcess.Start(new Dictionary<string, string> { [NessProcess.DelayVariable] = "150" }, Args(dir));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && (!Directory.Exists(Path.Combine(dir, "data")) || CompleteLines(dir) < 3)) Thread.Sleep(50);
        using (var kill = System.Diagnostics.Process.Start("kill", ["-INT", p.Id.ToString()])) kill.WaitForExit();
        var r = NessProcess.Wait(p);
        Assert.Equal(130, r.Code);
        Assert.Equal("", r.Stdout);
        Assert.Contains("resume", r.Stderr);
        int kept = CompleteLines(dir);
        // every line is whole: the realizations in flight stopped (or finished and were written), nothing torn
        Assert.All(Directory.EnumerateFiles(Path.Combine(dir, "data"), "*.jsonl"), f => Assert.True(File.ReadAllBytes(f) is var b && (b.Length == 0 || b[^1] == (byte)'\n')));
        var resumed = Summary(NessProcess.Run(Args(dir)));
        Assert.Equal(kept, (int)resumed["realizations_resumed"]!);
        Assert.Equal(30 - kept, (int)resumed["realizations_computed"]!);
    }

    [Fact]
    public void The_data_files_are_ensemble_files_that_aggregate_reads()
    {
        var dir = Path.Combine(root, "data");
        Summary(NessProcess.Run(Args(dir)));
        var file = Directory.EnumerateFiles(Path.Combine(dir, "data"), "harmonic-L16-*.jsonl").Single();
        var agg = Summary(NessProcess.Run("aggregate", file));
        Assert.Equal(6, (int)agg["count"]!);
        var fig = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "fig3.json")))!;
        var ens = fig["ensembles"]!.AsArray().Single(e => (int)e!["parameters"]!["length"]! == 16)!;
        Assert.Equal((double)ens["aggregate"]!["step"]!["width"]!["mean"]!, (double)agg["step"]!["width"]!["mean"]!);
    }

    [Fact]
    public void A_directory_with_figures_but_no_manifest_is_refused()
    {
        var dir = Path.Combine(root, "old");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "fig3.csv"), "old\n");
        var r = NessProcess.Run(Args(dir));
        Assert.Equal(2, r.Code);
        Assert.Contains("reproduce.json", r.Stderr);
        Assert.Equal("old\n", File.ReadAllText(Path.Combine(dir, "fig3.csv")));
    }
}
