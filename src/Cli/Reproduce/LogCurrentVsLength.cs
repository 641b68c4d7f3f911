using Ness.Pipeline.Ensemble;

namespace Ness.Cli.Reproduce;

/// <summary>
/// Mean ln|J| against the chain length, one ensemble per length (Fig. 8 for the fermion chain, the conductance figure
/// for the harmonic chain): the csv rows (L, realizations, refused, mean, standard error, spread) and the points with
/// their standard errors. A length whose ensemble has no current is skipped.
/// </summary>
public sealed class LogCurrentVsLength
{
    public List<object?[]> Rows { get; } = [];
    public List<double> L { get; } = [];
    public List<double> Mean { get; } = [];
    public List<double> Stderr { get; } = [];

    /// <summary>The point of one length from its ensemble <paramref name="b"/> and the ensemble's ln|J| statistic.</summary>
    public void Add(int length, Batch b, Stat? st)
    {
        if (st is null) return;
        Rows.Add([length, b.Lines.Count, b.Refused.Count, st.Mean, st.Stderr, st.Spread]);
        L.Add(length);
        Mean.Add(st.Mean);
        Stderr.Add(st.Stderr ?? 0);
    }

    /// <summary>The points as a curve, with error bars unless every standard error is 0.</summary>
    public Series Points(string legend) =>
        new(legend, [.. L], [.. Mean], Stderr.All(e => e == 0) ? null : [.. Stderr], Line: false);
}
