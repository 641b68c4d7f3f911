namespace Ness.Tests.Cli;

/// <summary>Issue 23, items 8 and 9: a file of another kind given to `aggregate` is named for what it is (not
/// "line 1 is not a valid ensemble line ... damaged by a crash"), and the aggregate table shows its parameters as
/// "name = value" rather than as a JSON blob.</summary>
[Collection("Console")]
public sealed class WrongKindTests : IDisposable
{
    readonly string dir = Path.Combine(Path.GetTempPath(), "ness-kind-" + Guid.NewGuid().ToString("N"));

    public WrongKindTests() => Directory.CreateDirectory(dir);

    public void Dispose()
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }

    string Save(string name, params string[] args)
    {
        var (code, stdout, err) = CliRun.Run(args);
        Assert.True(code == 0, err);
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, stdout);
        return path;
    }

    [Fact]
    public void Aggregate_of_a_single_run_or_an_aggregate_says_what_the_file_is()
    {
        foreach (var (model, args) in new[] { ("fermion", new[] { "fermion", "-L", "4", "--disorder", "2", "--seed", "1" }),
                                              ("harmonic", new[] { "harmonic", "-L", "8", "--weak-coupling", "--seed", "1" }) })
        {
            var run = Save(model + ".json", args);
            var (code, stdout, err) = CliRun.Run("aggregate", run);
            Assert.Equal(2, code);
            Assert.Equal("", stdout);
            Assert.Contains("is a single-run JSON", err);
            Assert.Contains("not an ensemble file", err);
            Assert.DoesNotContain("crash", err);
        }
        var e = Path.Combine(dir, "e.jsonl");
        Assert.Equal(0, CliRun.Run("ensemble", "fermion", "-L", "4", "--disorder", "2", "--realizations", "3", "--seed", "1", "--out", e, "--threads", "1").Code);
        var agg = Save("a.json", "aggregate", e);
        var (c2, _, err2) = CliRun.Run("aggregate", agg);
        Assert.Equal(2, c2);
        Assert.Contains("is an aggregate JSON", err2);
        // a one-line ensemble is still an ensemble
        File.WriteAllText(Path.Combine(dir, "one.jsonl"), File.ReadAllLines(e)[0] + "\n");
        Assert.Equal(0, CliRun.Run("aggregate", Path.Combine(dir, "one.jsonl")).Code);
    }

    [Fact]
    public void Aggregate_table_prints_parameters_as_name_value_pairs()
    {
        var e = Path.Combine(dir, "t.jsonl");
        Assert.Equal(0, CliRun.Run("ensemble", "fermion", "-L", "4", "--disorder", "2.5", "--realizations", "2", "--seed", "7", "--out", e, "--threads", "1").Code);
        var (code, table, err) = CliRun.Run("aggregate", e, "--format", "table");
        Assert.True(code == 0, err);
        var line = table.Split('\n').Single(l => l.StartsWith("parameters"));
        Assert.DoesNotContain("{", line);
        Assert.Contains("disorder = 2.5", line);
        Assert.Contains("length = 4", line);
        Assert.Contains("rates = 3,1,2,1", line);
        Assert.Contains("seed = 7", line);
    }
}
