namespace Ness.Cli.Reproduce;

/// <summary>One curve of a figure: points, optional error bars (one standard error), line/markers/dashes, or
/// bars (a histogram: bar k spans X[k] ± <paramref name="BarWidth"/>/2 and has height Y[k], so adjacent bins touch).</summary>
public sealed record Series(string Legend, double[] X, double[] Y, double[]? Err = null,
                            bool Line = true, bool Markers = true, bool Dashed = false, int? Color = null, bool Bars = false,
                            double BarWidth = 0);

/// <summary>A figure before it is drawn: title, axis labels, the series (the data exactly as plotted) and the
/// caption (units, parameters, what the error bars are). <see cref="Plots.Build"/> turns it into a ScottPlot plot
/// with its axis limits set, <see cref="Plots.Write"/> renders that to PNG and SVG; tests check the first two.</summary>
public sealed record Figure(string Title, string XLabel, string YLabel, IReadOnlyList<Series> Series,
                            string? Caption = null, bool LogY = false);
