using System.Text.Json.Nodes;

namespace Ness.Tests.Plotting;

/// <summary>`ness plot` on each kind of output (issue 12, item 3): the files exist, are PNG and SVG, and the figures
/// state the units, the parameters and what the error bars are.</summary>
[Collection("Console")]
public sealed class PlotTests : IDisposable
{
    readonly string dir = Path.Combine(Path.GetTempPath(), "ness-plot-" + Guid.NewGuid().ToString("N"));

    public PlotTests() => Directory.CreateDirectory(dir);

    public void Dispose()
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }

    string Save(string name, params string[] args)
    {
        var (code, stdout, err) = CliRun.Run(args);
        Assert.True(code == 0, err);
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, stdout);
        return path;
    }

    /// <summary>Runs ness plot; returns the files it reports, each checked to be a PNG or an SVG.</summary>
    static string[] Plot(params string[] args)
    {
        var (code, stdout, err) = CliRun.Run(["plot", .. args]);
        Assert.True(code == 0, err);
        var files = JsonNode.Parse(stdout)!["files"]!.AsArray().Select(f => (string)f!).ToArray();
        foreach (var f in files)
        {
            if (f.EndsWith(".png")) Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(f)[..4]);
            else Assert.Contains("<svg", File.ReadAllText(f));
        }
        return files;
    }

    static string Svg(string[] files, string kind) => File.ReadAllText(files.Single(f => f.EndsWith($".{kind}.svg")));

    [Fact]
    public void Single_fermion_run_gives_profile_and_log_scale_bond_currents()
    {
        var json = Save("f.json", "fermion", "-L", "5", "--disorder", "4", "--seed", "2");
        var files = Plot(json);
        Assert.Equal(["f.currents.png", "f.currents.svg", "f.profile.png", "f.profile.svg"], files.Select(Path.GetFileName).Order());
        var svg = Svg(files, "currents");
        Assert.Contains("log scale", svg);
        Assert.Contains("J = ħ = k_B = 1", svg);
        Assert.Contains("seed 2", svg);
        Assert.Contains("no error bars", Svg(files, "profile"));
    }

    [Fact]
    public void Single_harmonic_run_gives_the_temperature_profile()
    {
        var json = Save("h.json", "harmonic", "-L", "20", "--seed", "1", "--weak-coupling");
        var files = Plot(json, "--out", Path.Combine(dir, "x"));
        Assert.Equal(["x.profile.png", "x.profile.svg"], files.Select(Path.GetFileName).Order());
        var svg = Svg(files, "profile");
        Assert.Contains("unit masses, k_B = 1", svg);
        Assert.Contains("pinning uniform in [1, 2]", svg);
    }

    [Fact]
    public void Ensemble_gives_mean_profile_with_stated_error_bars_currents_and_step_distribution()
    {
        var e = Path.Combine(dir, "e.jsonl");
        var (code, _, err) = CliRun.Run("ensemble", "fermion", "-L", "4", "--disorder", "5", "--realizations", "6", "--seed", "1", "--out", e);
        Assert.True(code == 0, err);
        var files = Plot(e);
        Assert.Equal(6, files.Length);
        Assert.Contains("error bars: ± one standard error of the mean over 6 realizations", Svg(files, "profile"));
        Assert.Contains("log scale", Svg(files, "currents"));
        Assert.Contains("over 6 realizations", Svg(files, "steps"));

        var agg = Save("a.json", "aggregate", e);
        var af = Plot(agg);
        Assert.Contains("error bars: ± one standard error of the mean over 6 realizations", Svg(af, "profile"));
    }

    [Fact]
    public void Something_else_is_refused_with_exit_2()
    {
        var bad = Path.Combine(dir, "bad.json");
        File.WriteAllText(bad, "{\"hello\": 1}\n");
        var (code, stdout, err) = CliRun.Run("plot", bad);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains("FILE", err);
        var (code2, stdout2, _) = CliRun.Run("plot", Path.Combine(dir, "missing.json"));
        Assert.Equal(2, code2);
        Assert.Equal("", stdout2);
    }
}
