using System.Text.Json.Nodes;
using Ness.Cli.Plotting;
using Ness.Cli.Reproduce;

namespace Ness.Tests.Plotting;

/// <summary>`ness plot` of boxes (issue 21): a d = 2 run draws its temperature map as a heat map whose cells hold the
/// profile reshaped NX x NY (read back through ScottPlot's own cell lookup, so the orientation is checked: y = 1 at the
/// bottom), on axes that span exactly the sites' cells, with a colour bar over the values; the slice means with their
/// standard errors for ensembles; d = 3 the map of the middle slice z; overlays of boxes are refused (exit 2).</summary>
[Collection("Console")]
public sealed class BoxPlotTests : IDisposable
{
    readonly string dir = Path.Combine(Path.GetTempPath(), "ness-boxplot-" + Guid.NewGuid().ToString("N"));

    public BoxPlotTests() => Directory.CreateDirectory(dir);

    public void Dispose()
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }

    static double[] Nums(JsonNode? a) => [.. a!.AsArray().Select(v => (double)v!)];

    string Save(string name, params string[] args)
    {
        var (code, stdout, err) = CliRun.Run(args);
        Assert.True(code == 0, err);
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, stdout);
        return path;
    }

    static IReadOnlyList<ResultFigures.Named> Figures(string path) =>
        ResultFigures.Of(path, File.ReadAllText(path)).Match(f => f, e => throw new Xunit.Sdk.XunitException(e.Message));

    /// <summary>The heat map of the built plot holds <paramref name="t"/> (slice z of a box NX x NY x ·) at the sites,
    /// the axes span the cells [0.5, NX + 0.5] x [0.5, NY + 0.5], and the colour range is the values' range.</summary>
    static void AssertMap(Figure f, double[] t, int nx, int ny, int z)
    {
        var m = Assert.IsType<HeatMap>(f.Map);
        Assert.Equal((nx, ny), (m.NX, m.NY));
        Assert.Empty(f.Series);
        var plt = Plots.Build(f);
        var hm = Assert.Single(plt.GetPlottables().OfType<ScottPlot.Plottables.Heatmap>());
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        for (int y = 1; y <= ny; y++)
            for (int x = 1; x <= nx; x++)
            {
                double v = t[(x - 1) + nx * ((y - 1) + ny * (z - 1))];
                Assert.Equal(v, m.Values[y - 1, x - 1]);
                // ScottPlot's own lookup of the cell under the point (x, y) of the axes
                Assert.Equal(v, hm.GetValue(new ScottPlot.Coordinates(x, y)));
                (lo, hi) = (Math.Min(lo, v), Math.Max(hi, v));
            }
        var lim = plt.Axes.GetLimits();
        Assert.Equal((0.5, nx + 0.5, 0.5, ny + 0.5), (lim.Left, lim.Right, lim.Bottom, lim.Top));
        Assert.Equal(lo, hm.DataRange.Min);
        Assert.Equal(hi, hm.DataRange.Max);
        Assert.Single(plt.Axes.GetPanels().OfType<ScottPlot.Panels.ColorBar>());
    }

    [Fact]
    public void A_2d_run_draws_its_temperature_map_as_a_heat_map_and_its_slice_means()
    {
        var file = Save("box.json", "harmonic", "--shape", "5x3", "--coupling", "0.3", "--seed", "2", "--bath-coupling", "1");
        var o = JsonNode.Parse(File.ReadAllText(file))!;
        var figures = Figures(file);
        Assert.Equal(new[] { "map", "profile_x" }, figures.Select(f => f.Kind).Order());
        AssertMap(figures.Single(f => f.Kind == "map").Figure, Nums(o["profile"]), 5, 3, 1);
        var px = Assert.Single(figures.Single(f => f.Kind == "profile_x").Figure.Series);
        Assert.Equal([1, 2, 3, 4, 5], px.X);
        Assert.Equal(Nums(o["profile_x"]), px.Y);
        Assert.Null(px.Err);
        // the command writes both figures
        var (code, stdout, err) = CliRun.Run("plot", file, "--out", dir);
        Assert.True(code == 0, err);
        var files = JsonNode.Parse(stdout)!["files"]!.AsArray().Select(f => Path.GetFileName((string)f!)).ToList();
        Assert.Equal(new[] { "box.map.png", "box.map.svg", "box.profile_x.png", "box.profile_x.svg" }, files.Order());
    }

    [Fact]
    public void An_ensemble_of_boxes_maps_the_mean_profile_of_its_aggregate()
    {
        var ens = Path.Combine(dir, "ens.jsonl");
        var (code, _, err) = CliRun.Run("ensemble", "harmonic", "--shape", "4x3", "--coupling", "0.5", "--weak-coupling",
            "--realizations", "4", "--seed", "1", "--out", ens, "--threads", "1");
        Assert.True(code == 0, err);
        var agg = Save("agg.json", "aggregate", ens);
        var a = JsonNode.Parse(File.ReadAllText(agg))!;
        foreach (var path in new[] { ens, agg })
        {
            var figures = Figures(path);
            AssertMap(figures.Single(f => f.Kind == "map").Figure, Nums(a["profile"]!["mean"]), 4, 3, 1);
            var px = Assert.Single(figures.Single(f => f.Kind == "profile_x").Figure.Series);
            Assert.Equal(Nums(a["profile_x"]!["mean"]), px.Y);
            Assert.Equal(Nums(a["profile_x"]!["stderr"]), px.Err!);
        }
    }

    [Fact]
    public void A_3d_run_maps_its_middle_slice_z()
    {
        var file = Save("cube.json", "harmonic", "--shape", "4x3x5", "--coupling", "0.5", "--seed", "3", "--weak-coupling");
        var o = JsonNode.Parse(File.ReadAllText(file))!;
        var figures = Figures(file);
        Assert.Equal(new[] { "map_z3", "profile_x" }, figures.Select(f => f.Kind).Order());
        AssertMap(figures.Single(f => f.Kind == "map_z3").Figure, Nums(o["profile"]), 4, 3, 3);
    }

    [Fact]
    public void Overlaying_boxes_is_refused_with_exit_2()
    {
        var a = Save("a.json", "harmonic", "--shape", "3x3", "--seed", "1", "--weak-coupling");
        var b = Save("b.json", "harmonic", "--shape", "3x3", "--seed", "2", "--weak-coupling");
        var (code, stdout, err) = CliRun.Run("plot", a, b, "--out", dir);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains("--shape", err);
        Assert.Empty(Directory.GetFiles(dir, "*.png"));
    }
}
