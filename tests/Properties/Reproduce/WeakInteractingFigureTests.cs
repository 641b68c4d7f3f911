using System.Globalization;
using System.Text.Json.Nodes;
using LanguageExt;
using Ness.Cli.Commands;
using Ness.Cli.Ensemble;
using Ness.Cli.Reproduce;
using Ness.Pipeline.Ensemble;
using Ness.Pipeline.Fermion;
using Ness.Pipeline.Harmonic;

namespace Ness.Tests.Reproduce;

/// <summary>`ness reproduce --figure weak-interacting` (issue 20, item 6) on tiny sizes: the plotted series are the
/// ensemble averages of its JSON, the step shape and the paired V = 1 − V = 0 width difference by hand from single
/// weak-coupling runs of the same realizations, the V = 0 densities between the bath occupations, axis limits.</summary>
[Collection("Console")]
public sealed class WeakInteractingFigureTests : IDisposable
{
    readonly string dir = Path.Combine(Path.GetTempPath(), "ness-reproduce-weak-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }

    static double D(JsonNode? n) => EnsembleLine.Number(n)!.Value;
    static string F(double x) => x.ToString("R", CultureInfo.InvariantCulture);

    static JsonObject Single(EnsembleModel m, long seed, long r) =>
        m.Realize(seed, r, CancellationToken.None).Match(Ness.Cli.Json.LineJson.Of, e => throw new Xunit.Sdk.XunitException(e.Message));

    static double[] Profile(JsonObject line) => [.. line["profile"]!.AsArray().Select(D)];

    static void AssertLimitsCover(Figure f)
    {
        var lim = Plots.Build(f).Axes.GetLimits();
        Assert.NotEmpty(f.Series);
        foreach (var s in f.Series)
            for (int k = 0; k < s.X.Length; k++)
            {
                double y = s.Y[k], e = s.Err is null ? 0 : s.Err[k];
                Assert.InRange(s.X[k], lim.Left, lim.Right);
                Assert.InRange(y - e, lim.Bottom, lim.Top);
                Assert.InRange(y + e, lim.Bottom, lim.Top);
            }
    }

    [Fact]
    public void Plots_the_ensemble_averages_and_step_shapes_of_its_json()
    {
        const long n = 4;
        var s = new ReproduceSettings(dir, Prelude.Some(n), Prelude.Some(6), 1, 2);
        Directory.CreateDirectory(s.DataDir);
        var drawn = new Dictionary<string, Figure>();
        int code = ReproduceCommand.Execute("weak-interacting", s, TextWriter.Null, TextWriter.Null, (name, f) => drawn[name] = f);
        Assert.Equal(0, code);
        var data = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "weak-interacting.json")))!;
        int[] Ls = [2, 4, 6];   // --length 6: L - 6 (= 0, dropped), L - 4, L - 2, L
        Assert.Equal(Ls, data["lengths"]!.AsArray().Select(x => (int)x!));
        var ens = data["ensembles"]!.AsArray().Select(e => e!.AsObject()).ToList();
        Assert.Equal(3 * Ls.Length * 2, ens.Count);
        JsonObject At(double h, double v, int L) => ens.Single(e => D(e["parameters"]!["disorder"]) == h && D(e["parameters"]!["interaction"]) == v
                                                                    && (int)e["parameters"]!["length"]! == L);
        foreach (var e in ens)
        {
            Assert.True((bool)e["parameters"]!["weak_coupling"]!);
            Assert.Equal(D(e["parameters"]!["interaction"]) == 0 ? "onebody" : "pauli", (string)e["parameters"]!["solver"]!);
            Assert.Equal((int)n, (int)e["realizations_used"]! + e["refused"]!.AsArray().Count);
        }

        foreach (double h in Figures.WeakDisorders)
        {
            // profiles: the aggregate's mean and standard error, against the site counted from the centre
            var prof = drawn[$"weak-interacting-profiles-h{F(h)}"];
            foreach (int L in Ls)
                foreach (double v in new[] { 1.0, 0.0 })
                {
                    var agg = At(h, v, L)["aggregate"]!["profile"]!;
                    var series = prof.Series.Single(x => x.Legend == $"L = {L}, V = {F(v)}");
                    Assert.Equal(agg["mean"]!.AsArray().Select(D), series.Y);
                    Assert.Equal(agg["stderr"]!.AsArray().Select(D), series.Err!);
                    Assert.Equal(Enumerable.Range(1, L).Select(x => x - (L + 1) / 2.0), series.X);
                }
            AssertLimitsCover(prof);
            // w and the spread of m against L
            foreach (double v in new[] { 1.0, 0.0 })
            {
                var w = drawn["weak-interacting"].Series.Single(x => x.Legend == $"h = {F(h)}, V = {F(v)}");
                Assert.Equal(Ls.Select(L => (double)L), w.X);
                Assert.Equal(Ls.Select(L => D(At(h, v, L)["step_shape"]!["width"]!["mean"])), w.Y);
                var m = drawn["weak-interacting-midpoint"].Series.Single(x => x.Legend == $"h = {F(h)}, V = {F(v)}");
                Assert.Equal(Ls.Select(L => D(At(h, v, L)["step_shape"]!["midpoint"]!["spread"])), m.Y);
            }
        }
        AssertLimitsCover(drawn["weak-interacting"]);
        AssertLimitsCover(drawn["weak-interacting-midpoint"]);

        // h = 10, L = 6 by hand from single runs of realizations 0..n-1 (the same fields at V = 1 and V = 0)
        var interacting = Models.Fermion(new FermionEnsembleOptions(6, 10, 1, 1, [3, 1, 2, 1], FermionSolver.Pauli, WeakCoupling: true));
        var free = Models.Fermion(new FermionEnsembleOptions(6, 10, 1, 0, [3, 1, 2, 1], FermionSolver.OneBody, WeakCoupling: true));
        var p1 = Enumerable.Range(0, (int)n).Select(r => Single(interacting, 1, r)).ToList();
        var p0 = Enumerable.Range(0, (int)n).Select(r => Single(free, 1, r)).ToList();
        for (int r = 0; r < n; r++) Assert.Equal(p1[r]["fields"]!.ToJsonString(), p0[r]["fields"]!.ToJsonString());
        var w1 = p1.Select(l => StepShape.Of([.. Profile(l)], 0.75, 2.0 / 3).Width).ToList();
        var w0 = p0.Select(l => StepShape.Of([.. Profile(l)], 0.75, 2.0 / 3).Width).ToList();
        var both = Enumerable.Range(0, (int)n).Where(r => w1[r] is not null && w0[r] is not null).ToList();
        Assert.NotEmpty(both);
        Assert.Equal(w1.Where(x => x is not null).Average(x => (double)x!.Value), D(At(10, 1, 6)["step_shape"]!["width"]!["mean"]), 12);
        var paired = data["paired_width_difference"]!.AsArray().Single(x => D(x!["disorder"]) == 10 && (int)x["length"]! == 6)!;
        Assert.Equal(both.Average(r => (double)(w1[r]!.Value - w0[r]!.Value)), D(paired["width_difference"]!["mean"]), 12);
        // at V = 0 each n_x is a convex combination of mode occupations in [nL, n1]: never outside the bath values
        Assert.All(p0.SelectMany(Profile), x => Assert.InRange(x, 2.0 / 3 - 1e-12, 0.75 + 1e-12));
        Assert.Equal(0.0, D(At(10, 0, 6)["non_monotone"]!["outside_bath_occupations_fraction"]));

        // the single draws: V = 1 and V = 0 profiles of the same realizations at the largest length, h = 10
        var draws = drawn["weak-interacting-draws"];
        var chosen = data["draws"]!["realizations"]!.AsArray();
        Assert.Equal(6, (int)data["draws"]!["length"]!);
        Assert.Equal(Math.Min(Figures.WeakDrawCount, (int)n), chosen.Count);
        foreach (var c in chosen)
        {
            int r = (int)c!["realization"]!;
            Assert.Equal(Profile(p1[r]), draws.Series.Single(x => x.Legend == $"realization {r}, V = 1").Y);
            Assert.Equal(Profile(p0[r]), draws.Series.Single(x => x.Legend == $"realization {r}, V = 0").Y);
        }
        AssertLimitsCover(draws);
    }

    [Fact]
    public void Aggregate_reads_weak_coupling_fermion_lines_and_averages_ln_J_per_coupling()
    {
        Directory.CreateDirectory(dir);
        var file = Path.Combine(dir, "weak.jsonl");
        var made = CliRun.Run("ensemble", "fermion", "-L", "5", "--disorder", "4", "--weak-coupling", "--realizations", "3", "--seed", "2", "--out", file);
        Assert.True(made.Code == 0, made.Err);
        var (code, stdout, err) = CliRun.Run("aggregate", file);
        Assert.True(code == 0, err);
        var agg = JsonNode.Parse(stdout)!;
        Assert.Equal(3, (int)agg["count"]!);
        var lines = File.ReadAllLines(file).Select(l => JsonNode.Parse(l)!).ToList();
        var ln = lines.Select(l => D(l["current"]!["ln_abs"])).ToList();
        Assert.Equal(ln.Average(), D(agg["log_current_per_coupling"]!["mean"]), 12);
        Assert.Null(agg["log_current"]);   // ln|J/eps| is not ln|J|
        for (int x = 0; x < 5; x++)
            Assert.Equal(lines.Average(l => D(l["profile"]![x])), D(agg["profile"]!["mean"]![x]), 14);
    }

    [Fact]
    public void Default_lengths_stop_at_14_and_the_range_is_checked()
    {
        Assert.Equal([8, 10, 12, 14], Figures.WeakLengths(Figures.WeakMaxLength));
        Assert.Equal([10, 12, 14, 16], Figures.WeakLengths(16));
        var (code, stdout, err) = CliRun.Run("reproduce", "--figure", "weak-interacting", "--out", dir, "--length", "17");
        Assert.Equal(2, code);
        Assert.Contains("--length", err);
        Assert.Equal("", stdout);
    }
}
