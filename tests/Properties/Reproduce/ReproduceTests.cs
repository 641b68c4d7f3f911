using System.Text.Json.Nodes;
using LanguageExt;
using Ness.Cli.Ensemble;
using Ness.Pipeline.Ensemble;
using Ness.Pipeline.Fermion;

namespace Ness.Tests.Reproduce;

/// <summary>`ness reproduce` on tiny configurations (--realizations 2 --length 4): files, the table1.json
/// contract, and the averages in the data files against an independent Aggregate of the same realizations.</summary>
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
        var png = File.ReadAllBytes(Path.Combine(dir, name + ".png"));
        Assert.True(png.Length > 1000);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        Assert.Contains("<svg", File.ReadAllText(Path.Combine(dir, name + ".svg")));
        Assert.True(new FileInfo(Path.Combine(dir, name + "." + dataExt)).Length > 0);
    }

    /// <summary>The lines `ness ensemble` would write for realizations 0..n-1, aggregated by Aggregate.Run.</summary>
    static JsonObject Independent(EnsembleModel m, long seed, int n)
    {
        var sources = new List<Aggregate.Source>();
        for (int r = 0; r < n; r++)
        {
            var line = (JsonObject)m.Realize(seed, r, CancellationToken.None).Bind(o => EnsembleLine.Compose(m, seed, r, o));
            sources.Add(new Aggregate.Source($"r{r}", new EnsembleLine.Parsed(r, seed, m.Name, line)));
        }
        return Ness.Cli.Json.AggregateJson.Of((EnsembleAverage)Aggregate.Run(sources));
    }

    static double D(JsonNode? n) => EnsembleLine.Number(n)!.Value;

    [Fact]
    public void Figure3_files_and_step_width_average_equals_Aggregate()
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
        var o = new HarmonicEnsembleOptions(16, 1, 2, 0.1, LanguageExt.Option<double>.None, [1, 2]);
        var agg = Independent(Models.Harmonic(o), 1, 2);
        Assert.Equal(D(agg["step"]!["width"]!["mean"]), D(ens["aggregate"]!["step"]!["width"]!["mean"]));
        Assert.Equal(D(agg["step"]!["midpoint"]!["spread"]), D(ens["aggregate"]!["step"]!["midpoint"]!["spread"]));

        // hand check of one number: the mean width is the plain average of the two realizations' widths
        var w = Enumerable.Range(0, 2).Select(r => ((JsonObject)Models.HarmonicRealize(o, 1, r, default))["step"]!["width"]).ToList();
        if (w.All(x => x is not null))
            Assert.Equal((D(w[0]) + D(w[1])) / 2, D(ens["aggregate"]!["step"]!["width"]!["mean"]), 12);

        // fit coefficients are in the data file
        Assert.NotNull(data["fits"]!["width"]!["a"]);
        Assert.NotNull(data["fits"]!["width"]!["b"]);
        Assert.Contains("width_mean", File.ReadAllLines(Path.Combine(dir, "fig3.csv"))[0]);
    }

    [Fact]
    public void Figure6_files_and_mean_profile_equals_Aggregate()
    {
        var (code, _, err) = Reproduce("6");
        Assert.True(code == 0, err);
        AssertFigureFiles("fig6", "csv");
        AssertFigureFiles("fig6", "json");
        var o = new FermionEnsembleOptions(4, 10, 1, 1, [3, 1, 2, 1], FermionSolver.Auto);
        var agg = Independent(Models.Fermion(o), 1, 2);
        var mean = agg["profile"]!["mean"]!.AsArray().Select(D).ToArray();

        // the CSV row h = 10, site 2 is the independent aggregate, and by hand the average of two profiles
        var row = File.ReadAllLines(Path.Combine(dir, "fig6.csv")).Skip(1).Select(l => l.Split(','))
            .Single(c => c[0] == "10" && c[1] == "2");
        double csv = double.Parse(row[2], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(mean[1], csv);
        var p = Enumerable.Range(0, 2).Select(r => ((JsonObject)Models.FermionRealize(o, 1, r, default))["profile"]![1]!.GetValue<double>()).ToList();
        Assert.Equal((p[0] + p[1]) / 2, csv, 14);
    }

    [Fact]
    public void Table1_json_has_the_contract_fields_and_equals_Aggregate()
    {
        var (code, _, err) = Reproduce("table1");
        Assert.True(code == 0, err);
        Assert.True(new FileInfo(Path.Combine(dir, "table1.md")).Length > 0);
        var t = Read(Path.Combine(dir, "table1.json"));
        Assert.Equal(4, t["length"]!.GetValue<int>());
        Assert.Equal(2, t["realizations"]!.GetValue<int>());
        var rows = t["rows"]!.AsArray();
        Assert.Equal(new double[] { 1, 2, 4, 10, 20 }, rows.Select(r => D(r!["disorder"])));
        foreach (var r in rows)
            foreach (var k in new[] { "max_jump", "end_to_end", "residual_roughness" })
            {
                Assert.True(r![k] is JsonValue, k);
                Assert.True(r[k + "_stderr"] is JsonValue, k + "_stderr");
            }
        var agg = Independent(Models.Fermion(new FermionEnsembleOptions(4, 4, 1, 1, [3, 1, 2, 1], FermionSolver.Auto)), 1, 2);
        var h4 = rows.Single(r => D(r!["disorder"]) == 4)!;
        Assert.Equal(D(agg["step"]!["max_jump"]!["mean"]), D(h4["max_jump"]));
        Assert.Equal(D(agg["step"]!["residual_roughness"]!["stderr"]), D(h4["residual_roughness_stderr"]));
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
        var model = new EnsembleModel("fermion", new Dictionary<string, JsonNode?> { ["length"] = 2 }, (seed, r, _) =>
            r % 2 == 1
                ? new Ness.Pipeline.NumericsRefused($"test refusal of {r}")
                : new JsonObject { ["model"] = "fermion", ["profile"] = new JsonArray(r, 2.0 * r) });
        var log = new StringWriter();
        var realizer = new Ness.Cli.Reproduce.Realizer(2, log);
        var b = realizer.Run("test", model, 5, 5);
        Assert.Equal([0L, 2, 4], b.Lines.Select(l => l.Realization));
        Assert.Equal([1L, 3], b.Refused.Select(x => x.Realization));
        Assert.Equal(2, realizer.Refused);
        Assert.Contains("realization 3 refused", log.ToString());
        Assert.Contains("test refusal of 3", b.RefusedJson().ToJsonString());
        var mean = b.Aggregate()!["profile"]!["mean"]!.AsArray().Select(D).ToArray();
        Assert.Equal([2.0, 4.0], mean);
        // cached: a second run computes nothing new
        realizer.Run("test again", model, 5, 5);
        Assert.Equal(5, realizer.Computed);
    }
}
