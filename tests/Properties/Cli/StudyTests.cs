using System.Globalization;
using System.Text.Json.Nodes;

namespace Ness.Tests.Cli;

/// <summary>Issue 23: `ness sweep` (an ensemble per point of a product of comma lists, summary.csv/json that agree
/// with `ness aggregate` of each point's file, resumable) and `ness table` (one row per realization, sorted, the
/// same columns for every solver and model, carrying parameters and provenance).</summary>
[Collection("Console")]
public sealed class StudyTests : IDisposable
{
    readonly string dir = Path.Combine(Path.GetTempPath(), "ness-study-" + Guid.NewGuid().ToString("N"));

    public StudyTests() => Directory.CreateDirectory(dir);

    public void Dispose()
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }

    static List<Dictionary<string, string>> ReadCsv(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        return [.. lines.Skip(1).Select(l => l.Split(',')).Select(c => header.Select((h, i) => (h, c[i])).ToDictionary(x => x.h, x => x.Item2))];
    }

    static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    [Fact]
    public void Sweep_runs_an_ensemble_per_point_and_summarizes_each_as_aggregate_does()
    {
        var outDir = Path.Combine(dir, "sw");
        string[] sweep = ["sweep", "fermion", "--length", "4,5", "--disorder", "1,10", "--realizations", "4", "--seed", "3", "--threads", "1", "--out", outDir];
        var (code, stdout, err) = CliRun.Run(sweep);
        Assert.True(code == 0, err);
        Assert.Equal(4, (int)JsonNode.Parse(stdout)!["points"]!);
        var rows = ReadCsv(File.ReadAllText(Path.Combine(outDir, "summary.csv")));
        Assert.Equal(4, rows.Count);
        Assert.Equal(["4", "4", "5", "5"], rows.Select(r => r["length"]));
        Assert.Equal(["1", "10", "1", "10"], rows.Select(r => r["disorder"]));
        foreach (var r in rows)
        {
            Assert.Equal("4", r["count"]);
            Assert.Equal("3", r["seed"]);
            Assert.Equal("1", r["interaction"]);
            Assert.False(string.IsNullOrEmpty(r["commit"]) && string.IsNullOrEmpty(r["version"]));
            var file = Path.Combine(outDir, r["file"]);
            var (c2, aggText, e2) = CliRun.Run("aggregate", file);
            Assert.True(c2 == 0, e2);
            var a = JsonNode.Parse(aggText)!;
            Assert.Equal((double)a["step"]!["max_jump"]!["mean"]!, D(r["max_jump_mean"]));
            Assert.Equal((double)a["step"]!["max_jump"]!["stderr"]!, D(r["max_jump_stderr"]));
            Assert.Equal((double)a["log_current"]!["mean"]!, D(r["log_current_mean"]));
            Assert.Equal((double)a["profile"]!["mean"]![0]!, D(r["n_first"]));
            Assert.Equal("ln|J|", r["log_current_of"]);
        }
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")))!;
        Assert.Equal(4, json["points"]!.AsArray().Count);

        // a rerun resumes: nothing is computed again, the summary is the same but for its date
        var before = File.ReadAllLines(Path.Combine(outDir, "length-5_disorder-10.jsonl"));
        var (c3, _, e3) = CliRun.Run(sweep);
        Assert.True(c3 == 0, e3);
        Assert.Contains("0 computed now, 4 already there", e3);
        Assert.Equal(before, File.ReadAllLines(Path.Combine(outDir, "length-5_disorder-10.jsonl")));
    }

    [Fact]
    public void A_bad_value_anywhere_in_a_list_is_refused_before_any_point_runs()
    {
        var outDir = Path.Combine(dir, "bad");
        var (code, stdout, err) = CliRun.Run("sweep", "fermion", "--length", "4", "--disorder", "1,-2", "--realizations", "2", "--seed", "1", "--out", outDir);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains("--disorder", err);
        Assert.False(Directory.Exists(outDir));
        var (c2, _, e2) = CliRun.Run("sweep", "harmonic", "--length", "10,x", "--weak-coupling", "--realizations", "2", "--seed", "1", "--out", outDir);
        Assert.Equal(2, c2);
        Assert.Contains("'x' in '10,x' is not an integer", e2);
    }

    [Fact]
    public void Table_has_one_sorted_row_per_realization_with_the_same_columns_for_every_solver_and_model()
    {
        string Ens(string name, params string[] args)
        {
            var f = Path.Combine(dir, name);
            var (c, _, e) = CliRun.Run(["ensemble", .. args, "--realizations", "5", "--seed", "2", "--threads", "1", "--out", f]);
            Assert.True(c == 0, e);
            return f;
        }
        var direct = Ens("d.jsonl", "fermion", "-L", "4", "--disorder", "3");
        var gaussian = Ens("g.jsonl", "fermion", "-L", "4", "--disorder", "3", "--interaction", "0");
        var harmonic = Ens("h.jsonl", "harmonic", "-L", "4", "--bath-coupling", "1");
        // lines in another order than the realizations (as a parallel run writes them)
        var lines = File.ReadAllLines(direct);
        File.WriteAllLines(direct, lines.Reverse());
        var headers = new List<string[]>();
        foreach (var f in new[] { direct, gaussian, harmonic })
        {
            var (code, csv, err) = CliRun.Run("table", f);
            Assert.True(code == 0, err);
            var rows = ReadCsv(csv);
            Assert.Equal(["0", "1", "2", "3", "4"], rows.Select(r => r["realization"]));
            var byRealization = File.ReadAllLines(f).Select(l => JsonNode.Parse(l)!).ToDictionary(l => ((int)l["realization"]!).ToString(CultureInfo.InvariantCulture));
            foreach (var r in rows)
            {
                var line = byRealization[r["realization"]];
                var profile = line["profile"]!.AsArray().Select(v => (double)v!).ToArray();
                Assert.Equal(profile, Enumerable.Range(1, 4).Select(x => D(r[$"n_{x}"])));
                Assert.Equal((string)line["model"]!, r["model"]);
                Assert.Equal("2", r["seed"]);
            }
            headers.Add(csv.Split('\n')[0].Split(','));
        }
        Assert.Equal(headers[0], headers[1]);
        Assert.Equal(headers[0], headers[2]);
        var fermionRows = ReadCsv(CliRun.Run("table", direct).Out);
        Assert.All(fermionRows, r => Assert.Equal("3", r["disorder"]));
        Assert.All(ReadCsv(CliRun.Run("table", harmonic).Out), r => Assert.Equal("1", r["bath_coupling"]));

        var (c4, out4, e4) = CliRun.Run("table", Path.Combine(dir, "missing.jsonl"));
        Assert.Equal(4, c4);
        Assert.Equal("", out4);
        Assert.Contains("FILE", e4);
    }

    [Fact]
    public void Ensemble_format_csv_points_to_table_and_aggregate()
    {
        var (code, stdout, err) = CliRun.Run("ensemble", "fermion", "-L", "4", "--disorder", "1", "--realizations", "2", "--seed", "1", "--format", "csv");
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains("unknown option '--format'", err);
        Assert.Contains("ness table FILE.jsonl", err);
    }

    [Fact]
    public void Aggregate_combines_files_that_differ_only_in_seed()
    {
        string Ens(long seed, int n)
        {
            var f = Path.Combine(dir, $"s{seed}.jsonl");
            var (c, _, e) = CliRun.Run("ensemble", "fermion", "-L", "4", "--disorder", "2", "--realizations", $"{n}", "--seed", $"{seed}", "--threads", "1", "--out", f);
            Assert.True(c == 0, e);
            return f;
        }
        var (s1, s2) = (Ens(1, 3), Ens(2, 2));
        var (code, json, err) = CliRun.Run("aggregate", s1, s2);
        Assert.True(code == 0, err);
        var a = JsonNode.Parse(json)!;
        Assert.Equal(5, (int)a["count"]!);
        Assert.Equal("[1,2]", a["parameters"]!["seed"]!.ToJsonString());
        Assert.Equal("[{\"seed\":1,\"realizations\":[[0,2]]},{\"seed\":2,\"realizations\":[[0,1]]}]", a["realizations_by_seed"]!.ToJsonString());
        // the mean over all five lines, by hand
        var lines = File.ReadAllLines(s1).Concat(File.ReadAllLines(s2)).Select(l => JsonNode.Parse(l)!).ToList();
        for (int x = 0; x < 4; x++)
            Assert.Equal(lines.Average(l => (double)l["profile"]![x]!), (double)a["profile"]!["mean"]![x]!, 14);
        Assert.Equal(lines.Average(l => (double)l["step"]!["max_jump"]!), (double)a["step"]!["max_jump"]!["mean"]!, 14);
        // the same realization of the same seed twice is still refused; other parameters still are
        var copy = Path.Combine(dir, "copy.jsonl");
        File.Copy(s2, copy);
        var (c2, _, e2) = CliRun.Run("aggregate", s1, s2, copy);
        Assert.Equal(2, c2);
        Assert.Contains("of seed 2", e2);
        var other = Path.Combine(dir, "w3.jsonl");
        Assert.Equal(0, CliRun.Run("ensemble", "fermion", "-L", "4", "--disorder", "3", "--realizations", "2", "--seed", "3", "--threads", "1", "--out", other).Code);
        var (c3, _, e3) = CliRun.Run("aggregate", s1, other);
        Assert.Equal(2, c3);
        Assert.Contains("mixed parameters", e3);
        Assert.Equal(0, CliRun.Run("aggregate", s1, s2, "--format", "csv").Code);
    }
}
