using System.Text.Json.Nodes;
using LanguageExt;
using Ness.Cli.Commands;
using Ness.Cli.Reproduce;
using Ness.Pipeline.Ensemble;

namespace Ness.Tests.Reproduce;

/// <summary>What `ness reproduce` plots, checked on the figure models (issue 23): the plotted points are the
/// numbers of the data files, and the axis limits of the built plots cover every point and error bar.</summary>
[Collection("Console")]
public sealed class ReproducePlotTests : IDisposable
{
    readonly string dir = Path.Combine(Path.GetTempPath(), "ness-reproduce-plot-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }

    static double D(JsonNode? n) => EnsembleLine.Number(n)!.Value;

    Dictionary<string, Figure> Run(string figure)
    {
        var s = new ReproduceSettings(dir, Prelude.Some(2L), Prelude.Some(4), 1, 2);
        Directory.CreateDirectory(s.DataDir);
        var drawn = new Dictionary<string, Figure>();
        int code = ReproduceCommand.Execute(figure, s, TextWriter.Null, TextWriter.Null, (name, f) => drawn[name] = f);
        Assert.Equal(0, code);
        return drawn;
    }

    static void AssertLimitsCover(Figure f)
    {
        var lim = Plots.Build(f).Axes.GetLimits();
        foreach (var s in f.Series)
            for (int k = 0; k < s.X.Length; k++)
            {
                double y = f.LogY ? Math.Log10(Math.Abs(s.Y[k])) : s.Y[k], e = s.Err is null || f.LogY ? 0 : s.Err[k];
                if (!double.IsFinite(y)) continue;
                Assert.InRange(s.X[k], lim.Left, lim.Right);
                Assert.InRange(y - e, lim.Bottom, lim.Top);
                Assert.InRange(y + e, lim.Bottom, lim.Top);
            }
    }

    [Fact]
    public void Figure3_plots_the_mean_widths_and_midpoint_spreads_of_fig3_json()
    {
        var fig = Run("3")["fig3"];
        var data = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "fig3.json")))!;
        var ens = data["ensembles"]!.AsArray().Where(e => e!["aggregate"] is JsonObject).ToList();
        var w = fig.Series.Single(s => s.Legend == "mean step width w");
        Assert.Equal(ens.Select(e => D(e!["parameters"]!["length"])), w.X);
        Assert.Equal(ens.Select(e => D(e!["aggregate"]!["step"]!["width"]!["mean"])), w.Y);
        Assert.Equal(ens.Select(e => D(e!["aggregate"]!["step"]!["width"]!["stderr"])), w.Err!);
        var m = fig.Series.Single(s => s.Legend == "spread of midpoint m");
        Assert.Equal(ens.Select(e => D(e!["aggregate"]!["step"]!["midpoint"]!["spread"])), m.Y);
        AssertLimitsCover(fig);
    }

    [Fact]
    public void Figure6_plots_the_mean_profiles_of_fig6_json()
    {
        var fig = Run("6")["fig6"];
        var data = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "fig6.json")))!;
        foreach (var e in data["ensembles"]!.AsArray())
        {
            var h = D(e!["parameters"]!["disorder"]);
            var s = fig.Series.Single(x => x.Legend == $"h = {h.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}");
            Assert.Equal(e["aggregate"]!["profile"]!["mean"]!.AsArray().Select(D), s.Y);
            Assert.Equal([1, 2, 3, 4], s.X);
        }
        AssertLimitsCover(fig);
    }
}
