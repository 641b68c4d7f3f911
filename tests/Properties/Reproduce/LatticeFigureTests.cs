using System.Text.Json.Nodes;
using LanguageExt;
using Ness.Cli.Commands;
using Ness.Cli.Ensemble;
using Ness.Cli.Reproduce;
using Ness.Operators.Harmonic;
using Ness.Pipeline;
using Ness.Pipeline.Ensemble;
using Ness.Pipeline.Harmonic;

namespace Ness.Tests.Reproduce;

/// <summary>`ness reproduce --figure lattice` (issue 21) on NX = 4 boxes and 3 draws: the plotted curves are the
/// slice profiles of lattice.json's aggregates, which are the averages over y, z and the draws of single runs of the
/// same realizations (reshaped by hand from their per-site profiles); the per-draw statistics by hand; the axis
/// limits cover every point and error bar; refusals are counted; --length outside 4..16 is exit 2.</summary>
[Collection("Console")]
public sealed class LatticeFigureTests : IDisposable
{
    readonly string dir = Path.Combine(Path.GetTempPath(), "ness-reproduce-lattice-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }

    static double D(JsonNode? n) => EnsembleLine.Number(n)!.Value;
    static double[] Nums(JsonNode? a) => [.. a!.AsArray().Select(D)];

    const int NX = 4, Draws = 3;

    (int Code, JsonObject Summary, Dictionary<string, Figure> Drawn) Run()
    {
        var s = new ReproduceSettings(dir, Prelude.Some((long)Draws), Prelude.Some(NX), 1, 2);
        Directory.CreateDirectory(s.DataDir);
        var drawn = new Dictionary<string, Figure>();
        var stdout = new StringWriter();
        int code = ReproduceCommand.Execute("lattice", s, stdout, TextWriter.Null, (name, f) => drawn[name] = f);
        return (code, JsonNode.Parse(stdout.ToString())!.AsObject(), drawn);
    }

    /// <summary>T averaged over each slice x = const of a per-site profile (x fastest: site i has x = i mod NX).</summary>
    static double[] SliceMeans(double[] t)
    {
        var sum = new double[NX];
        for (int i = 0; i < t.Length; i++) sum[i % NX] += t[i];
        return [.. sum.Select(v => v / (t.Length / NX))];
    }

    /// <summary>The per-site profile of realization r from a single run.</summary>
    static double[] SitesOf(int d, double g, double? lambda, long r)
    {
        JsonObject line;
        if (d == 1)
            line = Models.HarmonicRealize(new HarmonicEnsembleOptions(NX, 1, 2, g, lambda is double l ? Prelude.Some(l) : Prelude.None, [1, 2]), 1, r, default)
                .Match(Ness.Cli.Json.LineJson.Of, e => throw new Xunit.Sdk.XunitException(e.Message));
        else
        {
            var bath = lambda is double l ? (BathCoupling)new BathCoupling.Finite(l) : BathCoupling.Weak;
            var template = HarmonicBox.Disordered(new Box(NX, NX, d == 3 ? NX : 1), 1, bath, 0, 1, 2, g, 1, 2)
                .Match(p => p, e => throw new Xunit.Sdk.XunitException(e.Message));
            line = LatticeModel.Realize(new LatticeEnsembleOptions(template, 1, 2), 1, r)
                .Match(Ness.Cli.Json.LineJson.Of, e => throw new Xunit.Sdk.XunitException(e.Message));
        }
        return Nums(line["profile"]);
    }

    [Fact]
    public void Curves_are_the_slice_averages_of_single_runs_and_the_axes_cover_them()
    {
        var (code, summary, drawn) = Run();
        Assert.Equal(0, code);
        Assert.Equal(new[] { "lattice-lambda", "lattice-weak" }, drawn.Keys.Order());
        var data = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "lattice.json")))!.AsObject();
        var ens = data["ensembles"]!.AsArray().Select(e => e!.AsObject()).ToList();
        Assert.Equal(12, ens.Count);   // d = 1, 2, 3 x weak/strong disorder x weak coupling/lambda = 1
        Assert.Equal(ens.Sum(e => e["refused"]!.AsArray().Count), (int)summary["realizations_refused"]!);
        Assert.Equal(ens.Sum(e => e["refused"]!.AsArray().Count), (int)data["realizations_refused"]!);
        Assert.Equal(ens.Sum(e => (int)e["realizations_used"]!), (int)summary["realizations_computed"]! - (int)summary["realizations_refused"]!);
        int checkedByHand = 0;
        foreach (var e in ens)
        {
            int d = (int)e["d"]!;
            bool strong = (string)e["disorder"]! == "strong";
            double g = D(e["parameters"]!["coupling"]);
            double? lambda = EnsembleLine.Number(e["parameters"]!["bath_coupling"]);
            Assert.Equal(strong ? Figures.LatticeStrongDisorder[d - 1] : Figures.LatticeWeakDisorder, g);
            Assert.Equal(Draws, (int)e["realizations_requested"]!);
            var fig = drawn[lambda is null ? "lattice-weak" : "lattice-lambda"];
            var series = fig.Series.Single(x => x.Legend.StartsWith($"d = {d} (") && x.Legend.Contains($"g = {g.ToString("R", System.Globalization.CultureInfo.InvariantCulture)} "));
            Assert.Equal(strong, series.Dashed);
            // the plotted points are the aggregate of lattice.json: per slice for boxes, per site for the chain
            var slices = d == 1 ? e["aggregate"]!["profile"]! : e["aggregate"]!["profile_x"]!;
            Assert.Equal(Nums(slices["mean"]), series.Y);
            Assert.Equal(Nums(slices["stderr"]), series.Err!);
            Assert.Equal(Enumerable.Range(0, NX).Select(i => i / (double)(NX - 1)), series.X);
            // ... which are the means over the certified draws of single runs, reshaped by hand
            var used = e["refused"]!.AsArray().Select(x => (long)x!["realization"]!).ToHashSet();
            var sites = Enumerable.Range(0, Draws).Where(r => !used.Contains(r)).Select(r => SitesOf(d, g, lambda, r)).ToList();
            var mine = sites.Select(SliceMeans).ToList();
            Assert.Equal(mine.Count, (int)e["realizations_used"]!);
            for (int x = 0; x < NX; x++)
            {
                Assert.Equal(mine.Average(t => t[x]), series.Y[x], 12);
                double mean = mine.Average(t => t[x]);
                double se = Math.Sqrt(mine.Sum(t => (t[x] - mean) * (t[x] - mean)) / (mine.Count - 1) / mine.Count);
                Assert.Equal(se, series.Err![x], 12);
            }
            // per-draw statistics: the interior span T(2) - T(NX-1) and the largest interior jump
            Assert.Equal(mine.Average(t => t[NX - 2] - t[1]), D(e["slice_statistics"]!["interior_span"]!["mean"]), 12);
            Assert.Equal(mine.Average(t => Math.Abs(t[2] - t[1])), D(e["slice_statistics"]!["interior_max_jump"]!["mean"]), 12);
            Assert.Equal(mine.Average(t => t[1] - t[0]), D(e["slice_statistics"]!["left_contact_jump"]!["mean"]), 12);
            // per column (y, z): the interior jump of each row of NX sites, averaged over the rows, then the draws
            Assert.Equal(sites.Average(t => t.Chunk(NX).Average(c => Math.Abs(c[2] - c[1]))), D(e["slice_statistics"]!["column_max_jump"]!["mean"]), 12);
            checkedByHand++;
        }
        Assert.Equal(12, checkedByHand);
        foreach (var fig in drawn.Values)
        {
            Assert.Equal(6, fig.Series.Count);
            var lim = Plots.Build(fig).Axes.GetLimits();
            Assert.True(lim.Left <= 0 && lim.Right >= 1, $"x limits {lim.Left}..{lim.Right}");
            Assert.True(lim.Right - lim.Left < 2, $"x limits {lim.Left}..{lim.Right}");
            double lo = fig.Series.Min(x => x.Y.Select((y, k) => y - x.Err![k]).Min());
            double hi = fig.Series.Max(x => x.Y.Select((y, k) => y + x.Err![k]).Max());
            Assert.True(lim.Bottom <= lo && lim.Top >= hi, $"y limits {lim.Bottom}..{lim.Top} against data {lo}..{hi}");
            Assert.True(hi - lo >= 0.5 * (lim.Top - lim.Bottom), $"y limits {lim.Bottom}..{lim.Top} dwarf the data {lo}..{hi}");
            // temperatures lie between the baths' (1 and 2)
            Assert.All(fig.Series, x => Assert.All(x.Y, y => Assert.InRange(y, 1 - 1e-9, 2 + 1e-9)));
        }
        // one data file per ensemble, named by the chain's length or the box's shape
        var names = Directory.GetFiles(Path.Combine(dir, "data")).Select(Path.GetFileName).ToList();
        Assert.Equal(4, names.Count(f => f!.StartsWith($"harmonic-L{NX}-")));
        Assert.Equal(4, names.Count(f => f!.StartsWith($"harmonic-S{NX}x{NX}-")));
        Assert.Equal(4, names.Count(f => f!.StartsWith($"harmonic-S{NX}x{NX}x{NX}-")));
        var csv = File.ReadAllLines(Path.Combine(dir, "lattice.csv"));
        Assert.Equal(1 + 12 * NX, csv.Length);
    }

    /// <summary>A draw refused by the numerics (recorded in DIR/data as an earlier run would have left it) is listed
    /// under its ensemble's "refused", left out of the average, and counted in the summary, lattice.json and the caption.</summary>
    [Fact]
    public void A_refused_draw_is_listed_counted_and_not_averaged()
    {
        var template = HarmonicBox.Disordered(new Box(NX, NX, NX), 1, new BathCoupling.Finite(1), 0, 1, 2, Figures.LatticeStrongDisorder[2], 1, 2)
            .Match(p => p, e => throw new Xunit.Sdk.XunitException(e.Message));
        var model = LatticeModel.Of(new LatticeEnsembleOptions(template, 1, 2));
        Directory.CreateDirectory(Path.Combine(dir, "data"));
        var sidecar = Path.Combine(dir, "data", Path.ChangeExtension(Realizer.FileName(model, 1), ".refused.jsonl"));
        File.WriteAllText(sidecar, "{\"realization\":1,\"reason\":\"finite lambda: the profile cannot be certified (test)\"}\n");
        var (code, summary, drawn) = Run();
        Assert.Equal(0, code);
        Assert.Equal(1, (int)summary["realizations_refused"]!);
        var data = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "lattice.json")))!.AsObject();
        Assert.Equal(1, (int)data["realizations_refused"]!);
        var e = data["ensembles"]!.AsArray().Select(x => x!.AsObject())
            .Single(x => (int)x["d"]! == 3 && (string)x["disorder"]! == "strong" && x["parameters"]!["bath_coupling"] is not null);
        var refused = Assert.Single(e["refused"]!.AsArray());
        Assert.Equal(1, (int)refused!["realization"]!);
        Assert.Equal(Draws - 1, (int)e["realizations_used"]!);
        var fig = drawn["lattice-lambda"];
        Assert.Contains("refused draws: 1", fig.Caption);
        var curve = fig.Series.Single(x => x.Legend.StartsWith("d = 3 (") && x.Dashed);
        var kept = new long[] { 0, 2 }.Select(r => SliceMeans(SitesOf(3, Figures.LatticeStrongDisorder[2], 1, r))).ToList();
        for (int x = 0; x < NX; x++) Assert.Equal(kept.Average(t => t[x]), curve.Y[x], 12);
    }

    [Theory]
    [InlineData("3")]
    [InlineData("17")]
    public void Length_outside_4_to_16_exits_2_naming_the_flag(string length)
    {
        var (code, stdout, err) = CliRun.Run("reproduce", "--figure", "lattice", "--out", dir, "--length", length);
        Assert.Equal(2, code);
        Assert.Contains("--length", err);
        Assert.Contains("4..16", err);
        Assert.Equal("", stdout);
    }
}
