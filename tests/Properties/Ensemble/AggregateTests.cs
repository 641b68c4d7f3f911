using System.Text.Json.Nodes;
using Ness.Cli.Commands;
using Ness.Pipeline;
using Ness.Pipeline.Ensemble;

namespace Ness.Tests.Ensemble;

public class AggregateTests
{
    /// <summary>A valid fermion line of a 2-site chain (the reader validates every line as data).</summary>
    static string Line(long r, string profile, string step = """{"max_jump":0,"end_to_end":0,"residual_roughness":null}""",
                       string current = """{"left":0,"right":0,"bonds":[0]}""", double w = 1) =>
        "{\"realization\":" + r + ",\"seed\":5,\"model\":\"fermion\",\"length\":2,\"fields\":[0,0],\"profile\":" + profile +
        ",\"step\":" + step + ",\"current\":" + current + ",\"diagnostics\":{\"solver\":\"direct\",\"seconds\":" + r + "}" +
        ",\"ensemble\":{\"disorder\":" + w.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}}\n";

    /// <summary>A valid harmonic line (weak coupling) of a 2-site chain.</summary>
    static string HarmonicLine(long r, string profile, string step, string current) =>
        "{\"realization\":" + r + ",\"seed\":5,\"model\":\"harmonic\",\"length\":2,\"pinning\":[1,1],\"profile\":" + profile +
        ",\"step\":" + step + ",\"current\":" + current + ",\"diagnostics\":{\"method\":\"weak\"}" +
        ",\"ensemble\":{\"length\":2}}\n";

    static string Write(string dir, string name, params string[] lines)
    {
        var f = Path.Combine(dir, name);
        File.WriteAllText(f, string.Concat(lines));
        return f;
    }

    static double D(JsonNode? n) => (double)n!;

    [Fact]
    public void Aggregate_matches_a_hand_computation()
    {
        using var dir = Ensembles.TempDir();
        var e = Math.E;
        var a = Write(dir, "a.jsonl",
            Line(2, "[0.5,1.0]", """{"max_jump":8,"end_to_end":8,"residual_roughness":1.5}""", $$"""{"left":{{e * e * e}},"right":0,"bonds":[{{e * e * e}}]}"""),
            Line(0, "[0.1,0.2]", """{"max_jump":1,"end_to_end":1,"residual_roughness":null}""", $$"""{"left":{{e}},"right":0,"bonds":[{{e}}]}"""));
        var b = Write(dir, "b.jsonl",
            Line(1, "[0.3,0.6]", """{"max_jump":3,"end_to_end":3,"residual_roughness":0.5}""", $$"""{"left":5,"right":0,"bonds":[{{-e * e}}]}"""));

        var result = (JsonObject)AggregateCommand.Compute([a, b], TextWriter.Null);

        Assert.Equal("fermion", (string)result["model"]!);
        Assert.Equal(3, (int)result["count"]!);
        Assert.Equal("[[0,2]]", result["realizations"]!.ToJsonString());
        // profile: sites [0.1,0.3,0.5] and [0.2,0.6,1.0]: means 0.3, 0.6; sample sd 0.2, 0.4; stderr sd/sqrt(3)
        var mean = result["profile"]!["mean"]!.AsArray();
        var se = result["profile"]!["stderr"]!.AsArray();
        Assert.Equal(0.3, D(mean[0]), 14);
        Assert.Equal(0.6, D(mean[1]), 14);
        Assert.Equal(0.2 / Math.Sqrt(3), D(se[0]), 14);
        Assert.Equal(0.4 / Math.Sqrt(3), D(se[1]), 14);
        // max_jump [1,3,8]: mean 4, variance (9+1+16)/2 = 13
        var mj = result["step"]!["max_jump"]!;
        Assert.Equal(4, D(mj["mean"]), 14);
        Assert.Equal(Math.Sqrt(13), D(mj["spread"]), 14);
        Assert.Equal(Math.Sqrt(13.0 / 3), D(mj["stderr"]), 14);
        Assert.Equal(3, (int)mj["count"]!);
        // residual_roughness: null in one line -> over [0.5, 1.5]: mean 1, sd sqrt(0.5), stderr 0.5
        var rr = result["step"]!["residual_roughness"]!;
        Assert.Equal(1, D(rr["mean"]), 14);
        Assert.Equal(0.5, D(rr["stderr"]), 14);
        Assert.Equal(2, (int)rr["count"]!);
        // currents: scalars only (bonds is an array)
        Assert.Equal((e + 5 + e * e * e) / 3, D(result["current"]!["left"]!["mean"]), 12);
        Assert.Null(result["current"]!["bonds"]);
        // log_current = mean of ln|J| at the middle bond (not "left") = mean(1, 2, 3) = 2, sd 1
        Assert.Equal(2, D(result["log_current"]!["mean"]), 14);
        Assert.Equal(1 / Math.Sqrt(3), D(result["log_current"]!["stderr"]), 14);
        // parameters exclude per-realization keys
        var p = result["parameters"]!.AsObject();
        Assert.False(p.ContainsKey("profile") || p.ContainsKey("diagnostics") || p.ContainsKey("realization"));
        Assert.Equal(5, (long)p["seed"]!);
    }

    [Fact]
    public void A_single_realization_has_null_standard_errors()
    {
        using var dir = Ensembles.TempDir();
        var a = Write(dir, "a.jsonl", HarmonicLine(7, "[0.25,0.5]", """{"width":3,"midpoint":4.5}""", """{"per_bath_coupling":0,"ln_abs":null}"""));
        var result = (JsonObject)AggregateCommand.Compute([a], TextWriter.Null);
        Assert.Equal(1, (int)result["count"]!);
        Assert.Null(result["profile"]!["stderr"]![0]);
        Assert.Equal(4.5, D(result["step"]!["midpoint"]!["mean"]));
        Assert.Null(result["step"]!["midpoint"]!["spread"]);
        Assert.Null(result["current"]!["ln_abs"]!["mean"]);
        Assert.Null(result["log_current"]);
        Assert.Null(result["log_current_per_bath_coupling"]);
    }

    [Fact]
    public void Realizations_are_reported_as_inclusive_ranges() =>
        Assert.Equal("[[0,2],[5,5],[7,8]]", Ness.Cli.Json.AggregateJson.Ranges(Aggregate.Ranges([0, 1, 2, 5, 7, 8])).ToJsonString());

    [Fact]
    public void Mixed_parameters_are_refused()
    {
        using var dir = Ensembles.TempDir();
        var a = Write(dir, "a.jsonl", Line(0, "[0.1,0.2]", w: 1));
        var b = Write(dir, "b.jsonl", Line(1, "[0.1,0.2]", w: 2));
        var r = AggregateCommand.Compute([a, b], TextWriter.Null);
        Assert.True(r.IsFail);
        r.IfFail(e => { Assert.IsType<BadInput>(e); Assert.Contains("mixed parameters", e.Message); Assert.Contains("ensemble", e.Message); });
    }

    [Fact]
    public void Overlapping_realizations_are_refused()
    {
        using var dir = Ensembles.TempDir();
        var a = Write(dir, "a.jsonl", Line(0, "[0.1,0.2]"), Line(1, "[0.1,0.2]"));
        var b = Write(dir, "b.jsonl", Line(1, "[0.1,0.2]"));
        var r = AggregateCommand.Compute([a, b], TextWriter.Null);
        Assert.True(r.IsFail);
        r.IfFail(e => { Assert.IsType<BadInput>(e); Assert.Contains("realization 1", e.Message); });
        Assert.True(AggregateCommand.Compute([a, a], TextWriter.Null).IsFail);
    }

    [Fact]
    public void A_torn_last_line_is_skipped_with_a_warning()
    {
        using var dir = Ensembles.TempDir();
        var a = Write(dir, "a.jsonl", Line(0, "[0.1,0.2]"), Line(1, "[0.3,0.4]")[..20]);
        var log = new StringWriter();
        var result = (JsonObject)AggregateCommand.Compute([a], log);
        Assert.Equal(1, (int)result["count"]!);
        Assert.Contains("torn", log.ToString());
    }

    [Fact]
    public void Csv_has_one_row_per_site()
    {
        using var dir = Ensembles.TempDir();
        var a = Write(dir, "a.jsonl", Line(0, "[0.1,0.2]"), Line(1, "[0.3,0.4]"));
        var csv = AggregateCommand.Render((JsonObject)AggregateCommand.Compute([a], TextWriter.Null), "csv");
        // provenance and parameters on every row (issue 23), then count, refused (issue 22), site, mean, stderr
        var rows = csv.TrimEnd('\n').Split('\n').Select(l => l.Split(',')).ToList();
        Assert.Equal([.. Ness.Cli.Tables.Columns.ProvenanceNames, .. Ness.Cli.Tables.Columns.ParameterNames, "count", "refused", "site", "mean", "stderr"], rows[0]);
        Assert.Equal(3, rows.Count);
        Assert.All(rows.Skip(1), r => Assert.Equal([BuildInfo.Version, BuildInfo.Commit.IfNone("")], r[..2]));
        for (int site = 1; site <= 2; site++)
        {
            Assert.Equal(["2", "0", $"{site}"], rows[site][^5..^2]);
            Assert.Equal(0.1 + 0.1 * site, double.Parse(rows[site][^2], System.Globalization.CultureInfo.InvariantCulture), 14);
            Assert.Equal(0.1, double.Parse(rows[site][^1], System.Globalization.CultureInfo.InvariantCulture), 14);
        }
    }
}
