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
                                               IEnumerable<Series> series, string? caption = null, bool logY = false) =>
        Write(Build(new Figure(title, xLabel, yLabel, [.. series], caption, logY)), path);

    /// <summary>Writes <paramref name="path"/>.png and .svg of a figure; returns both paths.</summary>
    public static IReadOnlyList<string> SaveAs(string path, Figure f) => Write(Build(f), path);

    /// <summary>
    /// The ScottPlot plot of a figure, axis limits set (auto-scaled to cover every point, error bar and bar; on a
    /// log axis whole decades). Nothing is rendered. Dashed lines are added after every other series: ScottPlot
    /// leaves a dashed line's path effect on the paint of the markers drawn after it, which Skia's SVG writer
    /// cannot express ("Unsupported path effect in addPaint." on stderr, markers lost in the SVG).
    /// </summary>
    public static Plot Build(Figure f)
    {
        var plt = new Plot();
        if (f.Map is HeatMap map) AddMap(plt, map);
        var (dashed, logLo, logHi) = AddSeries(plt, f);
        AddDashed(plt, dashed);
        Label(plt, f);
        Limits(plt, f, logLo, logHi);
        if (f.Series.Any(s => s.Legend.Length > 0)) plt.ShowLegend(Edge.Right);
        else plt.HideLegend();
        return plt;
    }

    /// <summary>Every series but the dashed lines (returned, to be drawn last), with its error bars; on a log axis the
    /// range of log10 y the points and bars cover.</summary>
    static (List<(Series S, double[] Y, Color C)> Dashed, double LogLo, double LogHi) AddSeries(Plot plt, Figure f)
    {
        var list = f.Series;
        bool logY = f.LogY;
        double logLo = double.PositiveInfinity, logHi = double.NegativeInfinity;
        var dashed = new List<(Series S, double[] Y, Color C)>();
        for (int i = 0; i < list.Count; i++)
        {
            var s = list[i];
            var color = plt.Add.Palette.GetColor(s.Color ?? i);
            var y = logY ? s.Y.Select(v => Math.Log10(Math.Abs(v))).ToArray() : s.Y;
            if (s.Bars)
            {
                if (!(s.BarWidth > 0)) throw new ArgumentException($"bars of '{s.Legend}' need a positive BarWidth (the bin width)");
                var bars = plt.Add.Bars(s.X.Select((x, k) => new Bar
                {
                    Position = x, Value = y[k], ValueBase = 0, Size = s.BarWidth,
                    FillColor = color, LineColor = Colors.Black, LineWidth = 0.5f,
                }).ToArray());
                bars.LegendText = s.Legend;
                continue;
            }
            if (s.Dashed) dashed.Add((s, y, color));
            if (!s.Dashed || s.Markers)
            {
                var sc = plt.Add.Scatter(s.X, y);
                sc.Color = color;
                sc.LegendText = s.Dashed ? "" : s.Legend;
                sc.LineWidth = s.Line && !s.Dashed ? 1.5f : 0;
                sc.MarkerSize = s.Markers ? 5 : 0;
            }
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
        return (dashed, logLo, logHi);
    }

    static void AddDashed(Plot plt, List<(Series S, double[] Y, Color C)> dashed)
    {
        foreach (var (s, y, color) in dashed)
        {
            var sc = plt.Add.Scatter(s.X, y);
            sc.Color = color;
            sc.LegendText = s.Legend;
            sc.LineWidth = 1.5f;
            sc.MarkerSize = 0;
            sc.LinePattern = LinePattern.Dashed;
        }
    }

    /// <summary>Title (with the wrapped caption), axis labels, integer ticks where every x is an integer, decade ticks on
    /// a log axis.</summary>
    static void Label(Plot plt, Figure f)
    {
        var list = f.Series;
        plt.Title(f.Caption is null ? f.Title : f.Title + "\n" + Wrap(f.Caption, 85));
        plt.Axes.Title.Label.FontSize = 13;   // with the wrap width below, fits over the data area beside a legend
        plt.XLabel(f.XLabel);
        plt.YLabel(f.LogY ? f.YLabel + " (log scale)" : f.YLabel);
        if (list.Count > 0 && list.All(s => !s.Bars || s.BarWidth == Math.Round(s.BarWidth)) && list.All(s => s.X.All(x => x == Math.Round(x))))
            plt.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        if (f.LogY)
            plt.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
            {
                IntegerTicksOnly = true,
                MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
                LabelFormatter = k => $"1e{k:0}",
            };
    }

    /// <summary>Axis limits: auto-scaled; bars of counts stand on the axis; a log axis spans whole decades; a heat map's
    /// cells fill the data area.</summary>
    static void Limits(Plot plt, Figure f, double logLo, double logHi)
    {
        var list = f.Series;
        bool logY = f.LogY;
        plt.Axes.AutoScale();
        if (!logY && list.Any(s => s.Bars) && list.All(s => s.Y.All(v => v >= 0)))
        {
            plt.Axes.SetLimitsY(0, plt.Axes.GetLimits().Top);   // counts: the bars stand on the axis
            if (list.All(s => s.Y.All(v => v == Math.Round(v))))
                plt.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        }
        if (logY && logLo <= logHi)
        {
            // whole decades, at least one, so that the decade ticks are labelled even when all values agree
            double lo = Math.Floor(logLo), hi = Math.Ceiling(logHi);
            plt.Axes.SetLimitsY(lo - 0.03, Math.Max(hi, lo + 1) + 0.03);   // a small margin keeps the end ticks labelled
        }
        if (f.Map is HeatMap m)
        {
            // the sites' unit cells exactly fill the data area; one tick per site coordinate
            plt.Axes.SetLimits(0.5, m.NX + 0.5, 0.5, m.NY + 0.5);
            plt.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
            plt.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        }
    }

    /// <summary>The heat map of <paramref name="m"/>: row y − 1 of the values at height y (y = 1 at the bottom), cells
    /// the unit squares around the sites, drawn as rectangles (crisp in the SVG too), a colour bar on the right
    /// spanning the values (a constant map gets a bar of ± 1e-12 around its value). ScottPlot draws row 0 of its
    /// array at the top; the rows are handed over top (y = NY) first rather than through its FlipVertically, which
    /// its cell lookup (GetValue) does not follow.</summary>
    static void AddMap(Plot plt, HeatMap m)
    {
        var top = new double[m.NY, m.NX];
        for (int r = 0; r < m.NY; r++)
            for (int x = 0; x < m.NX; x++)
                top[r, x] = m.Values[m.NY - 1 - r, x];
        var hm = plt.Add.Heatmap(top);
        hm.Rectangle = new CoordinateRect(0.5, m.NX + 0.5, 0.5, m.NY + 0.5);
        hm.Colormap = new ScottPlot.Colormaps.Viridis();
        hm.RenderStrategy = new ScottPlot.Plottables.Heatmap.RenderStrategies.Rectangles();
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        foreach (var v in m.Values) if (double.IsFinite(v)) (lo, hi) = (Math.Min(lo, v), Math.Max(hi, v));
        if (lo == hi) hm.ManualRange = new ScottPlot.Range(lo - 1e-12, hi + 1e-12);
        var bar = plt.Add.ColorBar(hm);
        bar.Label = m.Label;
    }

    /// <summary>Renders a plot to <paramref name="path"/>.png and .svg (<see cref="Width"/> × <see cref="Height"/>
    /// pixels); returns both paths. Throws IOException/UnauthorizedAccessException when they cannot be written.</summary>
    public static IReadOnlyList<string> Write(Plot plt, string path)
    {
        var png = path + ".png";
        var svg = path + ".svg";
        // ScottPlot reports an unwritable file as its own exception type; check that the folder takes files first
        var dir = Path.GetDirectoryName(Path.GetFullPath(png))!;
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"no directory '{dir}'");
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
