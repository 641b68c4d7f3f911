namespace Ness.Cli.Reproduce;

/// <summary>One curve of a figure: points, optional error bars (one standard error), line/markers/dashes, or
/// bars (a histogram: bar k spans X[k] ± <paramref name="BarWidth"/>/2 and has height Y[k], so adjacent bins touch).</summary>
public sealed record Series(string Legend, double[] X, double[] Y, double[]? Err = null,
                            bool Line = true, bool Markers = true, bool Dashed = false, int? Color = null, bool Bars = false,
                            double BarWidth = 0);

/// <summary>A map of values on the sites of a rectangle, drawn as a heat map with a colour bar: <c>Values[y − 1, x − 1]</c>
/// is the value at site (x, y), x = 1..NX across, y = 1..NY up; cell (x, y) is the unit square centred at (x, y).
/// <paramref name="Label"/> names the colour bar.</summary>
public sealed record HeatMap(double[,] Values, string Label)
{
    public int NX => Values.GetLength(1);
    public int NY => Values.GetLength(0);
}

/// <summary>A figure before it is drawn: title, axis labels, the series (the data exactly as plotted), the
/// caption (units, parameters, what the error bars are) and optionally a heat map under the series.
/// <see cref="Plots.Build"/> turns it into a ScottPlot plot with its axis limits set, <see cref="Plots.Write"/>
/// renders that to PNG and SVG; tests check the first two.</summary>
public sealed record Figure(string Title, string XLabel, string YLabel, IReadOnlyList<Series> Series,
                            string? Caption = null, bool LogY = false, HeatMap? Map = null);
