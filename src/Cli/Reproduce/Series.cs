namespace Ness.Cli.Reproduce;

/// <summary>One curve of a figure: points, optional error bars (one standard error), line/markers/dashes, or
/// bars (a histogram).</summary>
public sealed record Series(string Legend, double[] X, double[] Y, double[]? Err = null,
                            bool Line = true, bool Markers = true, bool Dashed = false, int? Color = null, bool Bars = false);
