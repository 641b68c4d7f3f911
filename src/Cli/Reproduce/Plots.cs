using ScottPlot;

namespace Ness.Cli.Reproduce;

/// <summary>
/// Writes a figure as PNG and SVG with ScottPlot 5 (headless), the same way for <c>reproduce</c> and <c>plot</c>:
/// the legend sits outside the data area (right of it), so it never covers data; when every x is an integer
/// (sites, bonds, chain lengths) the x ticks are integers; <paramref name="logY"/> plots log10 of the values
/// with decade ticks labelled 10^k; the caption (units, parameters, what the error bars are) is printed under
/// the title.
/// </summary>
public static class Plots
{
    public const int Width = 1000, Height = 600;

    public static IReadOnlyList<string> Save(string dir, string name, string title, string xLabel, string yLabel,
                                             IEnumerable<Series> series, string? caption = null, bool logY = false) =>
        SaveAs(Path.Combine(dir, name), title, xLabel, yLabel, series, caption, logY);

    /// <summary>Writes <paramref name="path"/>.png and .svg; returns both paths.</summary>
    public static IReadOnlyList<string> SaveAs(string path, string title, string xLabel, string yLabel,
                                               IEnumerable<Series> series, string? caption = null, bool logY = false)
    {
        var plt = new Plot();
        var list = series.ToList();
        double logLo = double.PositiveInfinity, logHi = double.NegativeInfinity;
        int i = 0;
        foreach (var s in list)
        {
            var color = plt.Add.Palette.GetColor(s.Color ?? i);
            i++;
            var y = logY ? s.Y.Select(v => Math.Log10(Math.Abs(v))).ToArray() : s.Y;
            if (s.Bars)
            {
                var bars = plt.Add.Bars(s.X, y);
                bars.Color = color;
                bars.LegendText = s.Legend;
                continue;
            }
            var sc = plt.Add.Scatter(s.X, y);
            sc.Color = color;
            sc.LegendText = s.Legend;
            sc.LineWidth = s.Line ? 1.5f : 0;
            sc.MarkerSize = s.Markers ? 5 : 0;
            if (s.Dashed) sc.LinePattern = LinePattern.Dashed;
            if (s.Err is double[] e && e.Length == s.X.Length)
            {
                // log scale: the error bar of log10 y is e / (y ln 10)
                var err = logY ? e.Select((v, k) => v / (Math.Abs(s.Y[k]) * Math.Log(10))).ToArray() : e;
                var eb = plt.Add.ErrorBar(s.X, y, err);
                eb.Color = color;
                if (logY)
                    for (int k = 0; k < y.Length; k++)
                        if (double.IsFinite(y[k] - err[k]) && double.IsFinite(y[k] + err[k]))
                            (logLo, logHi) = (Math.Min(logLo, y[k] - err[k]), Math.Max(logHi, y[k] + err[k]));
            }
            if (logY)
                foreach (var v in y.Where(double.IsFinite)) (logLo, logHi) = (Math.Min(logLo, v), Math.Max(logHi, v));
        }
        plt.Title(caption is null ? title : title + "\n" + Wrap(caption, 85));
        plt.Axes.Title.Label.FontSize = 13;   // with the wrap width below, fits over the data area beside a legend
        plt.XLabel(xLabel);
        plt.YLabel(logY ? yLabel + " (log scale)" : yLabel);
        if (list.Count > 0 && list.All(s => s.X.All(x => x == Math.Round(x))))
            plt.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        if (logY)
            plt.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
            {
                IntegerTicksOnly = true,
                MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
                LabelFormatter = k => $"1e{k:0}",
            };
        if (logY && logLo <= logHi)
        {
            // whole decades, at least one, so that the decade ticks are labelled even when all values agree
            double lo = Math.Floor(logLo), hi = Math.Ceiling(logHi);
            plt.Axes.SetLimitsY(lo - 0.03, Math.Max(hi, lo + 1) + 0.03);   // a small margin keeps the end ticks labelled
        }
        if (list.Any(s => s.Legend.Length > 0)) plt.ShowLegend(Edge.Right);
        else plt.HideLegend();
        var png = path + ".png";
        var svg = path + ".svg";
        plt.SavePng(png, Width, Height);
        plt.SaveSvg(svg, Width, Height);
        return [png, svg];
    }

    /// <summary>Breaks text into lines of at most <paramref name="width"/> characters at "; " or ", " (or spaces).</summary>
    public static string Wrap(string text, int width)
    {
        var lines = new List<string>();
        var line = "";
        foreach (var word in text.Split(' '))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width) { lines.Add(line); line = word; }
            else line = line.Length == 0 ? word : line + " " + word;
        }
        if (line.Length > 0) lines.Add(line);
        return string.Join("\n", lines);
    }
}
