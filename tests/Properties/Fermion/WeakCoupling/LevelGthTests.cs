using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Ness.Numerics.Dense;
using Ness.Numerics.Markov;
using Ness.Tests.Fermion;

namespace Ness.Tests.Fermion.WeakCoupling;

/// <summary>A random chain with levels (block tridiagonal generator): level sizes, rates up and down between
/// neighbouring levels and within level 0, spanning many orders of magnitude, and the panel width of the blocked
/// elimination.</summary>
public sealed record LevelChain(int[] Sizes, double[][] Up, double[][] Down, double[] Intra0, int Panel)
{
    public int States => Sizes.Sum();

    /// <summary>The full rate matrix R[i, j] = rate i → j (diagonal zero).</summary>
    public double[,] Dense()
    {
        int n = States;
        var R = new double[n, n];
        int off = 0;
        for (int i = 0; i < Sizes[0]; i++)
            for (int j = 0; j < Sizes[0]; j++) if (i != j) R[i, j] = Intra0[i * Sizes[0] + j];
        for (int N = 0; N + 1 < Sizes.Length; N++)
        {
            int a = Sizes[N], b = Sizes[N + 1], offB = off + a;
            for (int i = 0; i < a; i++)
                for (int t = 0; t < b; t++)
                {
                    R[off + i, offB + t] = Up[N][i * b + t];
                    R[offB + t, off + i] = Down[N][t * a + i];
                }
            off = offB;
        }
        return R;
    }
}

public static class LevelChains
{
    /// <summary>10^u with u uniform in [lo, hi]: rates over many decades (GTH keeps relative accuracy).</summary>
    static Gen<double> LogUniform(double lo, double hi) => Chains.Uniform(lo, hi).Select(u => Math.Pow(10, u));

    public static Gen<LevelChain> Chain =>
        from K in Gen.Choose(2, 5)
        from sizes in Gen.Choose(1, 7).ArrayOf(K)
        from decades in Chains.Uniform(0, 12)
        from panel in Gen.Elements(1, 2, 3, 64)
        from up in LogUniform(-decades, 1).ArrayOf(Pairs(sizes))
        from down in LogUniform(-decades, 1).ArrayOf(Pairs(sizes))
        from intra in LogUniform(-decades, 1).ArrayOf(sizes[0] * sizes[0])
        select new LevelChain(sizes, Split(sizes, up), Split(sizes, down), intra, panel);

    static int Pairs(int[] sizes) => Enumerable.Range(0, sizes.Length - 1).Sum(N => sizes[N] * sizes[N + 1]);

    static double[][] Split(int[] sizes, double[] flat)
    {
        var r = new double[sizes.Length - 1][];
        int off = 0;
        for (int N = 0; N + 1 < sizes.Length; N++) { r[N] = flat[off..(off + sizes[N] * sizes[N + 1])]; off += sizes[N] * sizes[N + 1]; }
        return r;
    }

    public static Arbitrary<LevelChain> Arbitrary() => Arb.From(Chain);

    /// <summary>The textbook GTH (Grassmann–Taksar–Heyman) on the dense rate matrix, states eliminated from the last:
    /// an independent implementation.</summary>
    public static double[] DenseGth(double[,] R0)
    {
        int n = R0.GetLength(0);
        var R = (double[,])R0.Clone();
        for (int k = n - 1; k > 0; k--)
        {
            double s = 0;
            for (int j = 0; j < k; j++) s += R[k, j];
            for (int i = 0; i < k; i++) R[i, k] /= s;
            for (int i = 0; i < k; i++)
                for (int j = 0; j < k; j++)
                    if (i != j) R[i, j] += R[i, k] * R[k, j];
        }
        var p = new double[n];
        p[0] = 1;
        for (int k = 1; k < n; k++)
            for (int i = 0; i < k; i++) p[k] += p[i] * R[i, k];
        double z = p.Sum();
        return [.. p.Select(x => x / z)];
    }

    public static double[] Blocked(LevelChain c)
    {
        var g = LevelGth.Create(c.Sizes[0], (double[])c.Intra0.Clone(), c.Panel);
        for (int N = 0; N + 1 < c.Sizes.Length; N++)
            Assert.Null(g.Eliminate(c.Sizes[N + 1], (double[])c.Up[N].Clone(), (double[])c.Down[N].Clone()));
        var (law, bad) = g.Finish();
        Assert.Null(bad);
        var p = new List<double>();
        for (int N = 0; N < c.Sizes.Length; N++)
            for (int i = 0; i < c.Sizes[N]; i++) p.Add(law!.Probability(N, i));
        return [.. p];
    }
}

public class LevelGthTests
{
    /// <summary>The blocked, level-by-level elimination equals the textbook dense GTH in every component to a
    /// small relative error, whatever the spread of the rates (up to 13 decades) and the panel width.</summary>
    [Property(MaxTest = 200, Arbitrary = [typeof(LevelChains)])]
    public Property BlockedEqualsDenseGth(LevelChain c)
    {
        var p = LevelChains.Blocked(c);
        var q = LevelChains.DenseGth(c.Dense());
        double rel = p.Zip(q).Max(t => Math.Abs(t.Item1 - t.Item2) / t.Item2);
        return (rel <= 1e-12).Label($"max relative difference {rel:E2} over {c.States} states");
    }

    /// <summary>The law is stationary: inflow = outflow at every state, to rounding relative to the flows.</summary>
    [Property(MaxTest = 100, Arbitrary = [typeof(LevelChains)])]
    public Property BalanceHolds(LevelChain c)
    {
        var p = LevelChains.Blocked(c);
        var R = c.Dense();
        int n = p.Length;
        double worst = 0;
        for (int i = 0; i < n; i++)
        {
            double inflow = 0, outflow = 0;
            for (int j = 0; j < n; j++) { inflow += p[j] * R[j, i]; outflow += p[i] * R[i, j]; }
            worst = Math.Max(worst, Math.Abs(inflow - outflow) / (inflow + outflow));
        }
        return (worst <= 1e-12).Label($"max relative imbalance {worst:E2}");
    }

    /// <summary>A level-0 state with no way out is reported (zero pivot), not divided by.</summary>
    [Fact]
    public void ZeroPivotIsReported()
    {
        var g = LevelGth.Create(2);
        Assert.Equal(0, g.Eliminate(1, [0, 1], [1, 1]));
    }
}
