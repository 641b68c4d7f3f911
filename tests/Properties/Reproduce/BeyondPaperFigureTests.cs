using System.Globalization;
using System.Text.Json.Nodes;
using Ness.Cli.Ensemble;
using Ness.Pipeline.Ensemble;
using Ness.Pipeline.Fermion;
using Ness.Pipeline.Harmonic;

namespace Ness.Tests.Reproduce;

/// <summary>`ness reproduce --figure 2` at the paper's L = 70 (every curve certified, no fallback) and the two
/// figures beyond the paper, fermion-free and conductance, on tiny sizes: files, numbers by hand from single runs
/// of the same realizations, fits by their normal equations, resuming.</summary>
[Collection("Console")]
public sealed class BeyondPaperFigureTests : IDisposable
{
    readonly string dir = Path.Combine(Path.GetTempPath(), "ness-reproduce-beyond-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }

    static JsonObject Read(string path) => JsonNode.Parse(File.ReadAllText(path))!.AsObject();
    static double D(JsonNode? n) => EnsembleLine.Number(n)!.Value;

    static JsonObject Single(EnsembleModel m, long seed, long r) =>
        m.Realize(seed, r, CancellationToken.None).Match(Ness.Cli.Json.LineJson.Of, e => throw new Xunit.Sdk.XunitException(e.Message));

    void AssertImage(string name)
    {
        // written; what is plotted is checked on the figure model (ReproducePlotTests)
        Assert.True(new FileInfo(Path.Combine(dir, name + ".png")).Length > 0);
        Assert.True(new FileInfo(Path.Combine(dir, name + ".svg")).Length > 0);
    }

    [Fact]
    public void Figure2_at_L70_has_all_four_curves_certified_and_no_fallback()
    {
        var (code, _, err) = CliRun.Run("reproduce", "--figure", "2", "--out", dir, "--threads", "2");
        Assert.True(code == 0, err);
        AssertImage("fig2");
        Assert.False(File.Exists(Path.Combine(dir, "fig2_fallback.png")));
        var data = Read(Path.Combine(dir, "fig2.json"));
        Assert.Equal(70, (int)data["length"]!);
        Assert.True((bool)data["all_certified"]!);
        Assert.Null(data["fallback"]);
        var curves = data["lambdas"]!.AsArray().Select(c => c!.AsObject()).ToList();
        Assert.Equal(new double?[] { null, 1, 0.3, 0.1 }, curves.Select(c => EnsembleLine.Number(c["lambda"])));
        foreach (var c in curves)
        {
            Assert.True((bool)c["certified"]!);
            var cert = c["certificate"]!.AsObject();
            if (c["lambda"] is null) Assert.True(D(cert["completeness_error"]) < 1e-10);
            else
            {
                // the certificate's own thresholds (profile error bound Tolerance x max(T1, TL), T1 = 1, TL = 2)
                Assert.True(D(cert["error_estimate"]) <= FiniteCoupling.Tolerance * 2, c.ToJsonString());
                Assert.True(D(cert["equilibrium_error"]) <= Ness.Pipeline.ModeCertificate.MaxEquilibriumError, c.ToJsonString());
            }
        }
        // 70 sites per curve in the CSV; outside the middle region every finite lambda agrees with lambda -> 0
        // (the paper's reading of its Figure 2), inside it they differ
        var rows = File.ReadAllLines(Path.Combine(dir, "fig2.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        var T = rows.GroupBy(r => r[0]).ToDictionary(g => g.Key, g => g.Select(r => double.Parse(r[2], CultureInfo.InvariantCulture)).ToArray());
        Assert.Equal(4, T.Count);
        Assert.All(T.Values, t => Assert.Equal(70, t.Length));
        var weak = T["0 (weak coupling)"];
        foreach (var lam in new[] { "1", "0.3", "0.1" })
        {
            double ends = Enumerable.Range(0, 70).Where(x => x < 20 || x >= 50).Max(x => Math.Abs(T[lam][x] - weak[x]));
            double all = Enumerable.Range(0, 70).Max(x => Math.Abs(T[lam][x] - weak[x]));
            Assert.True(ends < 0.01, $"lambda {lam}: {ends}");
            Assert.True(all > 0.05, $"lambda {lam}: {all}");
        }
    }

    [Fact]
    public void FermionFree_step_shape_by_hand_from_single_Gaussian_runs_and_fits()
    {
        var (code, stdout, err) = CliRun.Run("reproduce", "--figure", "fermion-free", "--out", dir, "--realizations", "3", "--length", "8", "--threads", "2");
        Assert.True(code == 0, err);
        foreach (var f in new[] { "fermion-free", "fermion-free-profiles" }) AssertImage(f);
        Assert.Equal(24, (int)JsonNode.Parse(stdout)!["realizations_computed"]!);   // h = 10, 2 x L = 4, 8, 16, 32 x 3
        var data = Read(Path.Combine(dir, "fermion-free.json"));
        var ens = data["ensembles"]!.AsArray();
        Assert.Equal(8, ens.Count);
        // h = 2, L = 16: Figure 3's width and midpoint (thresholds between the bath occupations 3/4 and 2/3) by hand
        var e = ens.Single(x => D(x!["parameters"]!["disorder"]) == 2 && (int)x["parameters"]!["length"]! == 16)!;
        Assert.Equal(0.0, D(e["parameters"]!["interaction"]));
        Assert.Equal("gaussian", (string)e["parameters"]!["solver"]!);
        var model = Models.Fermion(new FermionEnsembleOptions(16, 2, 1, 0, [3, 1, 2, 1], FermionSolver.Gaussian));
        var shapes = Enumerable.Range(0, 3).Select(r => StepShape.Of([.. Single(model, 1, r)["profile"]!.AsArray().Select(D)], 0.75, 2.0 / 3)).ToList();
        var widths = shapes.Where(s => s.Width is not null).Select(s => (double)s.Width!.Value).ToList();
        var mids = shapes.Where(s => s.Midpoint is not null).Select(s => s.Midpoint!.Value).ToList();
        Assert.NotEmpty(mids);
        Assert.Equal(widths.Count, (int)e["step_shape"]!["width"]!["count"]!);
        Assert.Equal(widths.Average(), D(e["step_shape"]!["width"]!["mean"]), 12);
        double mm = mids.Average();
        Assert.Equal(Math.Sqrt(mids.Sum(m => (m - mm) * (m - mm)) / (mids.Count - 1)), D(e["step_shape"]!["midpoint"]!["spread"]), 12);
        // the sqrt fit of the h = 2 widths is the least-squares line through the plotted points
        var pts = ens.Where(x => D(x!["parameters"]!["disorder"]) == 2)
                     .Select(x => (L: Math.Sqrt(D(x!["parameters"]!["length"])), W: D(x!["step_shape"]!["width"]!["mean"]))).ToList();
        var fit = data["fits"]!["2"]!["width"]!["sqrt"]!;
        double a = D(fit["a"]), b = D(fit["b"]);
        Assert.Equal(0, pts.Sum(q => q.W - a - b * q.L), 9);
        Assert.Equal(0, pts.Sum(q => (q.W - a - b * q.L) * q.L), 9);

        // the same command again resumes everything from DIR/data and computes nothing
        var again = CliRun.Run("reproduce", "--figure", "fermion-free", "--out", dir, "--realizations", "3", "--length", "8", "--threads", "2");
        Assert.True(again.Code == 0, again.Err);
        Assert.Equal(0, (int)JsonNode.Parse(again.Out)!["realizations_computed"]!);
        Assert.Equal(24, (int)JsonNode.Parse(again.Out)!["realizations_resumed"]!);
    }

    [Fact]
    public void Conductance_mean_log_current_by_hand_and_weighted_fit_by_its_normal_equations()
    {
        var (code, _, err) = CliRun.Run("reproduce", "--figure", "conductance", "--out", dir, "--realizations", "3", "--length", "8", "--threads", "2");
        Assert.True(code == 0, err);
        AssertImage("conductance");
        var data = Read(Path.Combine(dir, "conductance.json"));
        var ens = data["ensembles"]!.AsArray();
        Assert.Equal(new[] { 4, 8, 16, 32, 64 }, ens.Select(x => (int)x!["parameters"]!["length"]!));
        // L = 32 by hand: mean of ln|J/lambda| (current.ln_abs) of the three single weak-coupling runs
        var model = Models.Harmonic(new HarmonicEnsembleOptions(32, 1, 2, 0.1, LanguageExt.Option<double>.None, [1, 2]));
        var ln = Enumerable.Range(0, 3).Select(r => D(Single(model, 1, r)["current"]!["ln_abs"])).ToList();
        var e32 = ens.Single(x => (int)x!["parameters"]!["length"]! == 32)!["ln_current_per_bath_coupling"]!;
        Assert.Equal(ln.Average(), D(e32["mean"]), 12);
        // weighted least squares: sum w r = 0 and sum w r L = 0, w = 1/stderr^2; decay rate = -slope
        var pts = ens.Select(x => (L: D(x!["parameters"]!["length"]), Y: D(x["ln_current_per_bath_coupling"]!["mean"]),
                                   W: 1 / Math.Pow(D(x["ln_current_per_bath_coupling"]!["stderr"]), 2))).ToList();
        var fit = data["fit"]!;
        double a = D(fit["a"]), b = D(fit["b"]);
        double scale = pts.Sum(p => p.W * Math.Abs(p.Y) * p.L);
        Assert.True(Math.Abs(pts.Sum(p => p.W * (p.Y - a - b * p.L))) < 1e-9 * scale);
        Assert.True(Math.Abs(pts.Sum(p => p.W * (p.Y - a - b * p.L) * p.L)) < 1e-9 * scale);
        Assert.Equal(-b, D(fit["decay_rate"]));
        Assert.True(D(fit["decay_rate"]) > 0);
        Assert.True(D(fit["b_stderr"]) > 0);
    }

    [Fact]
    public void All_makes_the_paper_figures_and_both_new_ones()
    {
        var (code, stdout, err) = CliRun.Run("reproduce", "--figure", "all", "--out", dir, "--realizations", "2", "--length", "4", "--threads", "2");
        Assert.True(code == 0, err);
        var files = JsonNode.Parse(stdout)!["files"]!.AsArray().Select(f => (string)f!).ToHashSet();
        foreach (var f in new[] { "fig1", "fig2", "fig3", "fig4", "fig5", "fig6", "fig7", "fig8", "fermion-free", "fermion-free-profiles", "conductance" })
            Assert.Contains(f + ".png", files);
        Assert.Contains("table1.md", files);
    }

    [Theory]
    [InlineData("fermion-free")]
    [InlineData("conductance")]
    public void Length_below_the_base_range_exits_2_naming_the_flag(string figure)
    {
        var (code, stdout, err) = CliRun.Run("reproduce", "--figure", figure, "--out", dir, "--length", "3");
        Assert.Equal(2, code);
        Assert.Contains("--length", err);
        Assert.Equal("", stdout);
    }
}
