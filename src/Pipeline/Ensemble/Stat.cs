using System.Text.Json;

namespace Ness.Pipeline.Ensemble;

/// <summary>Sample statistics of N numbers: mean, sample standard deviation ("spread", N-1 denominator)
/// and standard error of the mean (spread / sqrt N). Spread and stderr are null for N = 1.</summary>
public sealed record Stat(int Count, double Mean, double? Spread, double? Stderr)
{
    public static Stat? Of(IReadOnlyList<double> x)
    {
        int n = x.Count;
        if (n == 0) return null;
        double mean = 0;
        foreach (var v in x) mean += v;
        mean /= n;
        if (n == 1) return new Stat(1, mean, null, null);
        double ss = 0;
        foreach (var v in x) ss += (v - mean) * (v - mean);
        double sd = Math.Sqrt(ss / (n - 1));
        return new Stat(n, mean, sd, sd / Math.Sqrt(n));
    }
}
