using System.Collections.Immutable;

namespace Ness.Pipeline.Fermion;

/// <summary>The step-shape metrics of Table 1 (paper, section 3.2):
/// max_i |n_i − n_{i+1}|, |n_L − n_1|, and (sum_i |n_i − n_{i+1}| − max_i |n_i − n_{i+1}|)/(L − 2)
/// (null for L &lt; 3).</summary>
public sealed record StepMetrics(double MaxJump, double EndToEnd, double? ResidualRoughness)
{
    public static StepMetrics Of(ImmutableArray<double> n)
    {
        int L = n.Length;
        double max = 0, sum = 0;
        for (int i = 0; i + 1 < L; i++)
        {
            double d = Math.Abs(n[i] - n[i + 1]);
            sum += d;
            max = Math.Max(max, d);
        }
        return new StepMetrics(max, Math.Abs(n[L - 1] - n[0]), L >= 3 ? (sum - max) / (L - 2) : null);
    }
}
