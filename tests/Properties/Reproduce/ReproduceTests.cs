using System.Text.Json.Nodes;
using LanguageExt;
using Ness.Cli.Ensemble;
using Ness.Pipeline.Ensemble;
using Ness.Pipeline.Fermion;

namespace Ness.Tests.Reproduce;

/// <summary>`ness reproduce` on tiny configurations (--realizations 2 --length 4): files, the table1.json
/// contract, and the averages in the data files computed by hand from single runs of the same realizations.</summary>
[Collection("Console")]
public sealed class ReproduceTests : IDisposable
{
    readonly string dir = Path.Combine(Path.GetTempPath(), "ness-reproduce-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }

    (int Code, string Out, string Err) Reproduce(string figure, params string[] extra) =>
        CliRun.Run(["reproduce", "--figure", figure, "--out", dir, "--realizations", "2", "--length", "4", "--threads", "2", .. extra]);

    static JsonObject Read(string path) => JsonNode.Parse(File.ReadAllText(path))!.AsObject();

    void AssertFigureFiles(string name, string dataExt)
    {
        // written; what is plotted is checked on the figure model (ReproducePlotTests)
        Assert.True(new FileInfo(Path.Combine(dir, name + ".png")).Length > 0);
        Assert.True(new FileInfo(Path.Combine(dir, name + ".svg")).Length > 0);
        Assert.True(new FileInfo(Path.Combine(dir, name + "." + dataExt)).Length > 0);
    }

    /// <summary>Realization r of an ensemble as the single-run pipeline computes it (no aggregation code involved).</summary>
    static JsonObject Single(EnsembleModel m, long seed, long r) =>
        m.Realize(seed, r, CancellationToken.None).Match(Ness.Cli.Json.LineJson.Of, e => throw new Xunit.Sdk.XunitException(e.Message));

    static double D(JsonNode? n) => EnsembleLine.Number(n)!.Value;

    [Fact]
    public void Figure3_files_step_averages_by_hand_and_least_squares_fit()
    {
        var (code, stdout, err) = Reproduce("3");
        Assert.True(code == 0, err);
        AssertFigureFiles("fig3", "csv");
        AssertFigureFiles("fig3", "json");
        var summary = JsonNode.Parse(stdout)!;
        Assert.Contains("fig3.png", summary["files"]!.AsArray().Select(f => f!.GetValue<string>()));

        // base length 4: L = 2, 4, 8, 16, 32; check L = 16
        var data = Read(Path.Combine(dir, "fig3.json"));
        var ens = data["ensembles"]!.AsArray().Single(e => e!["parameters"]!["length"]!.GetValue<int>() == 16)!;
        // by hand from the two single runs: mean width (w0 + w1) / 2, midpoint spread (sample sd of two) |m0 - m1| / sqrt 2
        var model = Models.Harmonic(new HarmonicEnsembleOptions(16, 1, 2, 0.1, LanguageExt.Option<double>.None, [1, 2]));
        var step = Enumerable.Range(0, 2).Select(r => Single(model, 1, r)["step"]!).ToList();
        Assert.All(step, s => Assert.NotNull(s["width"]));   // seed 1, L = 16: both realizations have a step
        var a = ens["aggregate"]!["step"]!;
        Assert.Equal((D(step[0]["width"]) + D(step[1]["width"])) / 2, D(a["width"]!["mean"]), 12);
        Assert.Equal(Math.Abs(D(step[0]["midpoint"]) - D(step[1]["midpoint"])) / Math.Sqrt(2), D(a["midpoint"]!["spread"]), 12);

        // the fit is the least-squares line through the plotted points (checked by its normal equations)
        var pts = data["ensembles"]!.AsArray().Select(e => (L: Math.Sqrt(D(e!["parameters"]!["length"])), W: D(e["aggregate"]!["step"]!["width"]!["mean"]))).ToList();
        double fa = D(data["fits"]!["width"]!["a"]), fb = D(data["fits"]!["width"]!["b"]);
        Assert.Equal(0, pts.Sum(q => q.W - fa - fb * q.L), 9);
        Assert.Equal(0, pts.Sum(q => (q.W - fa - fb * q.L) * q.L), 9);
        // fit coefficients are in the data file
        Assert.NotNull(data["fits"]!["width"]!["a"]);
        Assert.NotNull(data["fits"]!["width"]!["b"]);
        Assert.Contains("width_mean", File.ReadAllLines(Path.Combine(dir, "fig3.csv"))[0]);
    }

    [Fact]
    public void Figure6_files_and_mean_profile_by_hand()
    {
        var (code, _, err) = Reproduce("6");
        Assert.True(code == 0, err);
        AssertFigureFiles("fig6", "csv");
        AssertFigureFiles("fig6", "json");
        var o = new FermionEnsembleOptions(4, 10, 1, 1, [3, 1, 2, 1], FermionSolver.Auto);
        // the CSV row h = 10, site 2 is by hand the average of the two single-run profiles
        var row = File.ReadAllLines(Path.Combine(dir, "fig6.csv")).Skip(1).Select(l => l.Split(','))
            .Single(c => c[0] == "10" && c[1] == "2");
        double csv = double.Parse(row[2], System.Globalization.CultureInfo.InvariantCulture);
        var p = Enumerable.Range(0, 2).Select(r => Single(Models.Fermion(o), 1, r)["profile"]![1]!.GetValue<double>()).ToList();
        Assert.Equal((p[0] + p[1]) / 2, csv, 14);
    }

    [Fact]
    public void Table1_json_has_the_contract_fields_and_averages_by_hand()
    {
        var (code, _, err) = Reproduce("table1");
        Assert.True(code == 0, err);
        Assert.True(new FileInfo(Path.Combine(dir, "table1.md")).Length > 0);
        var t = Read(Path.Combine(dir, "table1.json"));
        Assert.Equal(4, t["length"]!.GetValue<int>());
        Assert.Equal(2, t["realizations"]!.GetValue<int>());
        Assert.Equal(Ness.Pipeline.BuildInfo.Version, (string)t["provenance"]!["version"]!);
        Assert.Equal(1, (long)t["provenance"]!["seed"]!);
        var rows = t["rows"]!.AsArray();
        Assert.Equal(new double[] { 1, 2, 4, 10, 20 }, rows.Select(r => D(r!["disorder"])));
        foreach (var r in rows)
            foreach (var k in new[] { "max_jump", "end_to_end", "residual_roughness" })
            {
                Assert.True(r![k] is JsonValue, k);
                Assert.True(r[k + "_stderr"] is JsonValue, k + "_stderr");
            }
        // by hand from the two single runs at h = 4: mean (a + b) / 2, standard error sd / sqrt 2 = |a - b| / 2
        var model = Models.Fermion(new FermionEnsembleOptions(4, 4, 1, 1, [3, 1, 2, 1], FermionSolver.Auto));
        var step = Enumerable.Range(0, 2).Select(r => Single(model, 1, r)["step"]!).ToList();
        var h4 = rows.Single(r => D(r!["disorder"]) == 4)!;
        Assert.Equal((D(step[0]["max_jump"]) + D(step[1]["max_jump"])) / 2, D(h4["max_jump"]), 14);
        Assert.Equal(Math.Abs(D(step[0]["residual_roughness"]) - D(step[1]["residual_roughness"])) / 2, D(h4["residual_roughness_stderr"]), 14);
    }

    [Theory]
    [InlineData("--figure", new[] { "reproduce", "--figure", "9", "--out", "X" })]
    [InlineData("--realizations", new[] { "reproduce", "--figure", "3", "--out", "X", "--realizations", "0" })]
    [InlineData("--length", new[] { "reproduce", "--figure", "6", "--out", "X", "--length", "40" })]
    [InlineData("--length", new[] { "reproduce", "--figure", "3", "--out", "X", "--length", "2" })]
    [InlineData("--out", new[] { "reproduce", "--figure", "3" })]
    [InlineData("--figure", new[] { "reproduce", "--out", "X" })]
    [InlineData("--solver", new[] { "reproduce", "--figure", "6", "--out", "X", "--solver", "lu" })]
    public void Bad_input_exits_2_naming_the_flag(string flag, string[] args)
    {
        var a = args.Select(x => x == "X" ? dir : x).ToArray();
        var (code, stdout, err) = CliRun.Run(a);
        Assert.Equal(2, code);
        Assert.Contains(flag, err);
        Assert.Equal("", stdout);
    }

    [Fact]
    public void Refused_realizations_are_counted_reported_and_left_out_of_the_average()
    {
        var solved = Ness.Tests.Ensemble.Ensembles.Fermion(length: 3);
        var model = solved with
        {
            Realize = (seed, r, ct) => r % 2 == 1 ? new Ness.Pipeline.NumericsRefused($"test refusal of {r}") : solved.Realize(seed, r, ct),
        };
        var log = new StringWriter();
        var realizer = new Ness.Cli.Reproduce.Realizer(2, log);
        var b = realizer.Run("test", model, 5, 5);
        Assert.Equal([0L, 2, 4], b.Lines.Select(l => l.Realization));
        Assert.Equal([1L, 3], b.Refused.Select(x => x.Realization));
        Assert.Equal(2, realizer.Refused);
        Assert.Contains("realization 3 refused", log.ToString());
        Assert.Contains("test refusal of 3", b.RefusedJson().ToJsonString());
        // the mean of the certified realizations 0, 2, 4 as single runs compute them
        var mean = b.Aggregate()!["profile"]!["mean"]!.AsArray().Select(D).ToArray();
        var single = new[] { 0L, 2, 4 }.Select(r => Single(solved, 5, r)["profile"]!.AsArray().Select(D).ToArray()).ToArray();
        for (int x = 0; x < 3; x++)
            Assert.Equal(single.Average(p => p[x]), mean[x], 14);
        // cached: a second run computes nothing new
        realizer.Run("test again", model, 5, 5);
        Assert.Equal(5, realizer.Computed);
    }
}
