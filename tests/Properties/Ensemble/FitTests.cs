using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Ness.Pipeline.Ensemble;

namespace Ness.Tests.Ensemble;

/// <summary>The weighted straight-line fit behind the conductance figure's decay rate.</summary>
public class FitTests
{
    /// <summary>Points exactly on a line, any positive weights: the line comes back with χ² = 0.</summary>
    [Property(MaxTest = 200)]
    public bool Exact_line_is_recovered_with_zero_chi2(int a0, int b0, PositiveInt n, int seed)
    {
        int m = n.Get % 6 + 2;
        var rnd = new Random(seed);
        var x = Enumerable.Range(0, m).Select(i => 50.0 * (i + 1)).ToArray();
        var y = x.Select(v => a0 + 0.01 * b0 * v).ToArray();
        var s = x.Select(_ => 0.1 + rnd.NextDouble()).ToArray();
        var f = Fit.WeightedLinear(x, y, s)!.Value;
        double tol = 1e-9 * (1 + Math.Abs(a0) + Math.Abs(b0));
        return Math.Abs(f.A - a0) < tol * 100 && Math.Abs(f.B - 0.01 * b0) < tol && f.Chi2 < 1e-12 * (1 + a0 * (double)a0 + b0 * (double)b0);
    }

    /// <summary>Equal errors σ: the ordinary least-squares line, slope error σ / sqrt(Σ (x − x̄)²).</summary>
    [Property(MaxTest = 200)]
    public bool Equal_errors_give_ordinary_least_squares_and_the_textbook_slope_error(PositiveInt n, int seed)
    {
        int m = n.Get % 6 + 2;
        var rnd = new Random(seed);
        var x = Enumerable.Range(0, m).Select(i => 10.0 * i + rnd.NextDouble()).ToArray();
        var y = x.Select(_ => rnd.NextDouble() * 10 - 5).ToArray();
        double sigma = 0.5 + rnd.NextDouble();
        var f = Fit.WeightedLinear(x, y, [.. x.Select(_ => sigma)])!.Value;
        var (A, B) = Fit.Linear(x, y)!.Value;
        double mx = x.Average();
        double seB = sigma / Math.Sqrt(x.Sum(v => (v - mx) * (v - mx)));
        return Math.Abs(f.A - A) < 1e-9 && Math.Abs(f.B - B) < 1e-9 && Math.Abs(f.SeB - seB) < 1e-12 * (1 + seB);
    }

    [Fact]
    public void A_nonpositive_error_or_a_single_distinct_x_gives_no_fit()
    {
        Assert.Null(Fit.WeightedLinear([1, 2], [1, 2], [1, 0]));
        Assert.Null(Fit.WeightedLinear([3, 3], [1, 2], [1, 1]));
    }
}
