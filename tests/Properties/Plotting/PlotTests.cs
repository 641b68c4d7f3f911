using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Ness.Cli.Plotting;
using Ness.Cli.Reproduce;

namespace Ness.Tests.Plotting;

/// <summary>`ness plot` (issues 12 and 23): the figure models carry exactly the data of the file (profile, bond
/// currents, step sizes), histogram bars are as wide as their bins, and the axis limits of the built plot cover
/// every point, error bar and bar without dwarfing them. The command writes into --out DIR and reports an
/// unwritable DIR as exit 4.</summary>
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

    string Ensemble(string name, params string[] args)
    {
        var path = Path.Combine(dir, name);
        var (code, _, err) = CliRun.Run(["ensemble", .. args, "--out", path, "--threads", "1"]);
        Assert.True(code == 0, err);
        return path;
    }

    static IReadOnlyList<ResultFigures.Named> Figures(string path) =>
        ResultFigures.Of(path, File.ReadAllText(path)).Match(f => f, e => throw new Xunit.Sdk.XunitException(e.Message));

    static Figure Kind(IReadOnlyList<ResultFigures.Named> f, string kind) => f.Single(n => n.Kind == kind).Figure;

    static double[] Nums(JsonNode? a) => [.. a!.AsArray().Select(v => v is null ? double.NaN : (double)v)];

    /// <summary>The built plot's limits contain every point (± its error bar, bars with their width) and the data
    /// fill at least half of each axis.</summary>
    static void AssertLimitsCover(Figure f)
    {
        var lim = Plots.Build(f).Axes.GetLimits();
        double xlo = double.PositiveInfinity, xhi = double.NegativeInfinity, ylo = double.PositiveInfinity, yhi = double.NegativeInfinity;
        foreach (var s in f.Series)
            for (int k = 0; k < s.X.Length; k++)
            {
                double y = f.LogY ? Math.Log10(Math.Abs(s.Y[k])) : s.Y[k];
                double e = s.Err is null || f.LogY ? 0 : s.Err[k];
                double half = s.Bars ? s.BarWidth / 2 : 0;
                (xlo, xhi) = (Math.Min(xlo, s.X[k] - half), Math.Max(xhi, s.X[k] + half));
                (ylo, yhi) = (Math.Min(ylo, s.Bars ? 0 : y - e), Math.Max(yhi, y + e));
            }
        Assert.True(lim.Left <= xlo && xhi <= lim.Right, $"x data [{xlo}, {xhi}] outside the axis [{lim.Left}, {lim.Right}]");
        Assert.True(lim.Bottom <= ylo && yhi <= lim.Top, $"y data [{ylo}, {yhi}] outside the axis [{lim.Bottom}, {lim.Top}]");
        if (xhi > xlo) Assert.True(xhi - xlo >= 0.5 * (lim.Right - lim.Left), $"x data [{xlo}, {xhi}] fill less than half of [{lim.Left}, {lim.Right}]");
        if (yhi > ylo && !f.LogY) Assert.True(yhi - ylo >= 0.5 * (lim.Top - lim.Bottom), $"y data [{ylo}, {yhi}] fill less than half of [{lim.Bottom}, {lim.Top}]");
    }

    [Fact]
    public void Fermion_step_histogram_has_bars_as_wide_as_the_bins_on_an_axis_covering_the_data()
    {
        // the case of issue 23: max jumps 0.04..0.08 were drawn as 0.8-wide bars on an axis from -0.35 to 0.5
        var e = Ensemble("h10.jsonl", "fermion", "--length", "5", "--disorder", "10", "--realizations", "30", "--seed", "1");
        var lines = File.ReadAllLines(e).Select(l => JsonNode.Parse(l)!).ToList();
        var jumps = lines.Select(l => (double?)l["step"]?["max_jump"]).OfType<double>().ToArray();
        var steps = Kind(Figures(e), "steps");
        var bars = Assert.Single(steps.Series);
        Assert.True(bars.Bars);
        Assert.Equal(jumps.Length, (int)bars.Y.Sum());
        // bars as wide as the bins, touching: centres one bin width apart
        for (int k = 1; k < bars.X.Length; k++) Assert.Equal(bars.BarWidth, bars.X[k] - bars.X[k - 1], 12);
        // every value counted in the bar that spans it
        var counted = new double[bars.X.Length];
        foreach (var j in jumps)
        {
            int k = Array.FindIndex(bars.X, c => j >= c - bars.BarWidth / 2 - 1e-15 && j <= c + bars.BarWidth / 2 + 1e-15);
            Assert.True(k >= 0, $"max jump {j} is in no bar");
            counted[k]++;
        }
        Assert.Equal(bars.Y.Sum(), counted.Sum());
        Assert.Equal(jumps.Min(), bars.X[0] - bars.BarWidth / 2, 12);
        Assert.Equal(jumps.Max(), bars.X[^1] + bars.BarWidth / 2, 12);
        AssertLimitsCover(steps);
        var lim = Plots.Build(steps).Axes.GetLimits();
        Assert.Equal(0, lim.Bottom);
    }

    [Fact]
    public void Harmonic_step_histogram_has_one_unit_bar_per_width()
    {
        var e = Ensemble("h.jsonl", "harmonic", "--length", "24", "--weak-coupling", "--realizations", "12", "--seed", "3");
        var widths = File.ReadAllLines(e).Select(l => (double?)JsonNode.Parse(l)!["step"]?["width"]).OfType<double>().ToArray();
        var steps = Kind(Figures(e), "steps");
        var bars = Assert.Single(steps.Series);
        Assert.Equal(1, bars.BarWidth);
        foreach (var (x, c) in bars.X.Zip(bars.Y)) Assert.Equal(widths.Count(w => w == x), (int)c);
        AssertLimitsCover(steps);
    }

    [Fact]
    public void Single_fermion_run_plots_its_profile_and_bond_currents()
    {
        var json = Save("f.json", "fermion", "-L", "5", "--disorder", "4", "--seed", "2");
        var o = JsonNode.Parse(File.ReadAllText(json))!;
        var f = Figures(json);
        Assert.Equal(["currents", "profile"], f.Select(n => n.Kind).Order());
        var profile = Assert.Single(Kind(f, "profile").Series);
        Assert.Equal([1, 2, 3, 4, 5], profile.X);
        Assert.Equal(Nums(o["profile"]), profile.Y);
        Assert.Null(profile.Err);
        var currents = Kind(f, "currents");
        Assert.True(currents.LogY);
        Assert.Equal(Nums(o["current"]!["bonds"]).Select(Math.Abs), Assert.Single(currents.Series).Y);
        Assert.Contains("seed 2", currents.Caption);
        AssertLimitsCover(Kind(f, "profile"));
        AssertLimitsCover(currents);
    }

    [Fact]
    public void Ensemble_and_its_aggregate_plot_the_aggregate_mean_and_standard_error()
    {
        var e = Ensemble("e.jsonl", "fermion", "-L", "4", "--disorder", "5", "--realizations", "6", "--seed", "1");
        var agg = Save("a.json", "aggregate", e);
        var a = JsonNode.Parse(File.ReadAllText(agg))!;
        foreach (var source in new[] { e, agg })
        {
            var profile = Kind(Figures(source), "profile");
            var s = Assert.Single(profile.Series);
            Assert.Equal(Nums(a["profile"]!["mean"]), s.Y);
            Assert.Equal(Nums(a["profile"]!["stderr"]), s.Err!);
            Assert.Contains("error bars: ± one standard error of the mean over 6 realizations", profile.Caption);
            AssertLimitsCover(profile);
        }
        AssertLimitsCover(Kind(Figures(e), "currents"));
    }

    [Fact]
    public void Several_files_overlay_their_profiles_labelled_by_the_parameter_that_differs()
    {
        var files = new[] { 1, 4, 20 }.Select(w => Ensemble($"w{w}.jsonl", "fermion", "-L", "4", "--disorder", $"{w}", "--realizations", "5", "--seed", "1")).ToList();
        files[1] = Save("w4.json", "aggregate", files[1]);   // an aggregate among ensembles
        var f = ResultFigures.Overlay([.. files.Select(p => (p, File.ReadAllText(p)))]).Match(x => x, e => throw new Xunit.Sdk.XunitException(e.Message));
        var profile = Kind(f, "profile");
        Assert.Equal(["disorder = 1", "disorder = 4", "disorder = 20"], profile.Series.Select(s => s.Legend));
        var agg4 = JsonNode.Parse(File.ReadAllText(files[1]))!;
        Assert.Equal(Nums(agg4["profile"]!["mean"]), profile.Series[1].Y);
        AssertLimitsCover(profile);
        var steps = Kind(f, "steps");
        Assert.Equal([1, 4, 20], Assert.Single(steps.Series).X);
        Assert.Equal((double)agg4["step"]!["max_jump"]!["mean"]!, steps.Series[0].Y[1]);
        AssertLimitsCover(steps);
        Assert.Equal("disorder", Kind(f, "log_current").XLabel);

        // the command: into --out DIR, one file per kind and format
        var (code, stdout, err) = CliRun.Run(["plot", .. files, "--out", Path.Combine(dir, "figs")]);
        Assert.True(code == 0, err);
        var written = JsonNode.Parse(stdout)!["files"]!.AsArray().Select(x => (string)x!).ToList();
        Assert.Equal(6, written.Count);
        Assert.All(written, w => Assert.Equal(Path.Combine(dir, "figs"), Path.GetDirectoryName(w)));
        Assert.All(written, w => Assert.True(File.Exists(w), w));
    }

    [Fact]
    public void Out_is_a_directory_and_an_unwritable_one_exits_4()
    {
        var json = Save("h.json", "harmonic", "-L", "20", "--seed", "1", "--weak-coupling");
        var (code, stdout, err) = CliRun.Run("plot", json, "--out", Path.Combine(dir, "x"));
        Assert.True(code == 0, err);
        Assert.Equal(["h.profile.png", "h.profile.svg"], Directory.GetFiles(Path.Combine(dir, "x")).Select(Path.GetFileName).Order());
        Assert.Contains(Path.Combine(dir, "x", "h.profile.png"), stdout);

        var (code4, stdout4, err4) = CliRun.Run("plot", json, "--out", Path.Combine(dir, "no", "such"));
        Assert.Equal(4, code4);
        Assert.Equal("", stdout4);
        Assert.Contains("--out", err4);
        File.WriteAllText(Path.Combine(dir, "file"), "");
        Assert.Equal(4, CliRun.Run("plot", json, "--out", Path.Combine(dir, "file")).Code);   // a file, not a directory
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

    /// <summary>Step-size samples: n values on a grid of 10^-4 in [lo, lo + spread].</summary>
    public static Arbitrary<double[]> Samples() =>
        (from n in Gen.Choose(1, 200)
         from lo in Gen.Choose(0, 1000)
         from spread in Gen.Choose(0, 1000)
         from k in Gen.ArrayOf(Gen.Choose(0, 1000), n)
         select k.Select(i => (lo + spread * i / 1000.0) * 1e-4).ToArray()).ToArbitrary();

    [Property(MaxTest = 200, Arbitrary = [typeof(PlotTests)])]
    public void Histogram_counts_every_value_once_in_the_bin_that_spans_it(double[] v)
    {
        var h = Histogram.Of(v, integer: false);
        Assert.True(h.Width > 0);
        Assert.Equal(v.Length, (int)h.Counts.Sum());
        for (int k = 0; k < h.Centres.Length; k++)
        {
            double lo = h.Centres[k] - h.Width / 2, hi = h.Centres[k] + h.Width / 2;
            bool last = k == h.Centres.Length - 1;
            int inside = v.Count(x => x >= lo - 1e-12 * h.Width && (last ? x <= hi + 1e-12 * h.Width : x < hi - 1e-12 * h.Width));
            // values within rounding of an inner edge may fall either side
            int edge = v.Count(x => Math.Abs(x - hi) <= 1e-9 * h.Width || Math.Abs(x - lo) <= 1e-9 * h.Width);
            Assert.InRange(h.Counts[k], inside - edge, inside + edge);
        }
    }
}
