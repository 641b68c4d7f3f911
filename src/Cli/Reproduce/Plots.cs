using ScottPlot;

namespace Ness.Cli.Reproduce;

/// <summary>Writes a figure as PNG and SVG with ScottPlot 5 (headless).</summary>
public static class Plots
{
    public const int Width = 800, Height = 560;

    public static IReadOnlyList<string> Save(string dir, string name, string title, string xLabel, string yLabel,
                                             IEnumerable<Series> series)
    {
        var plt = new Plot();
        int i = 0;
        foreach (var s in series)
        {
            var color = plt.Add.Palette.GetColor(s.Color ?? i);
            i++;
            var sc = plt.Add.Scatter(s.X, s.Y);
            sc.Color = color;
            sc.LegendText = s.Legend;
            sc.LineWidth = s.Line ? 1.5f : 0;
            sc.MarkerSize = s.Markers ? 5 : 0;
            if (s.Dashed) sc.LinePattern = LinePattern.Dashed;
            if (s.Err is double[] e && e.Length == s.X.Length)
            {
                var eb = plt.Add.ErrorBar(s.X, s.Y, e);
                eb.Color = color;
            }
        }
        plt.Title(title);
        plt.XLabel(xLabel);
        plt.YLabel(yLabel);
        plt.ShowLegend();
        var png = Path.Combine(dir, name + ".png");
        var svg = Path.Combine(dir, name + ".svg");
        plt.SavePng(png, Width, Height);
        plt.SaveSvg(svg, Width, Height);
        return [png, svg];
    }
}
