using System.Buffers.Binary;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Ness.Cli.Reproduce;

namespace Ness.Tests.Repository;

/// <summary>Issue 23, item 10: what the docs say the outputs look like is what the program writes: the figure
/// size of docs/reproduction.md (it said 800 x 560 while the PNGs were 1000 x 600), the fields of the aggregate
/// object of docs/ensembles.md, and the name of the weak-coupling log current (ln|J/λ|, not ln|J|).</summary>
[Collection("Console")]
public sealed partial class DocsMatchOutputTests : IDisposable
{
    static readonly string Root = FindRoot();
    readonly string dir = Path.Combine(Path.GetTempPath(), "ness-docs-" + Guid.NewGuid().ToString("N"));

    public DocsMatchOutputTests() => Directory.CreateDirectory(dir);

    public void Dispose()
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }

    static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Sparse.sln"))) return d.FullName;
        throw new InvalidOperationException("repository root (Sparse.sln) not found above " + AppContext.BaseDirectory);
    }

    static string Doc(string name) => File.ReadAllText(Path.Combine(Root, "docs", name));

    [GeneratedRegex(@"ScottPlot 5, (\d+) x (\d+)")]
    private static partial Regex FigureSize();

    [GeneratedRegex("\"([a-z_]+)\":")]
    private static partial Regex JsonKey();

    [Fact]
    public void Documented_figure_size_is_the_size_of_the_written_png()
    {
        var m = FigureSize().Match(Doc("reproduction.md"));
        Assert.True(m.Success, "docs/reproduction.md states no figure size");
        int w = int.Parse(m.Groups[1].Value), h = int.Parse(m.Groups[2].Value);
        Assert.Equal((Plots.Width, Plots.Height), (w, h));
        var files = Plots.SaveAs(Path.Combine(dir, "f"), new Figure("t", "x", "y", [new Series("", [1, 2], [3, 4])]));
        var png = File.ReadAllBytes(files[0]);
        // IHDR: width and height, big-endian, at bytes 16 and 20
        Assert.Equal(w, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)));
        Assert.Equal(h, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)));
    }

    /// <summary>The keys of the fenced block of docs/ensembles.md that documents the aggregate object.</summary>
    static HashSet<string> DocumentedAggregateKeys()
    {
        var doc = Doc("ensembles.md");
        int at = doc.IndexOf("Output (`--format json`):", StringComparison.Ordinal);
        Assert.True(at >= 0, "docs/ensembles.md: no aggregate output block");
        int open = doc.IndexOf("```", at, StringComparison.Ordinal), close = doc.IndexOf("```", open + 3, StringComparison.Ordinal);
        return [.. JsonKey().Matches(doc[open..close]).Select(x => x.Groups[1].Value)];
    }

    JsonObject Aggregate(params string[] ensemble)
    {
        var e = Path.Combine(dir, Guid.NewGuid().ToString("N") + ".jsonl");
        var (code, _, err) = CliRun.Run(["ensemble", .. ensemble, "--realizations", "3", "--seed", "1", "--threads", "1", "--out", e]);
        Assert.True(code == 0, err);
        var (c2, json, err2) = CliRun.Run("aggregate", e);
        Assert.True(c2 == 0, err2);
        return JsonNode.Parse(json)!.AsObject();
    }

    [Fact]
    public void Aggregate_fields_are_the_documented_ones()
    {
        var documented = DocumentedAggregateKeys();
        var fermion = Aggregate("fermion", "-L", "4", "--disorder", "2");
        var weak = Aggregate("harmonic", "-L", "10", "--weak-coupling");
        var finite = Aggregate("harmonic", "-L", "10", "--bath-coupling", "1");
        foreach (var a in new[] { fermion, weak, finite })
            foreach (var (k, _) in a)
                Assert.True(documented.Contains(k), $"aggregate field '{k}' is not in the block of docs/ensembles.md");
        foreach (var k in new[] { "model", "count", "realizations", "parameters", "profile", "step", "current", "log_current", "provenance" })
        {
            Assert.Contains(k, documented);
            Assert.True(fermion.ContainsKey(k), $"documented field '{k}' missing from a fermion aggregate");
        }
        // ln|J/λ| at weak coupling is named for what it is
        Assert.False(weak.ContainsKey("log_current"));
        Assert.True(weak.ContainsKey("log_current_per_bath_coupling"));
        Assert.Contains("log_current_per_bath_coupling", documented);
        Assert.True(finite.ContainsKey("log_current"));
        Assert.Equal((double)finite["current"]!["ln_abs"]!["mean"]!, (double)finite["log_current"]!["mean"]!, 12);
        Assert.Equal((double)weak["current"]!["ln_abs"]!["mean"]!, (double)weak["log_current_per_bath_coupling"]!["mean"]!, 12);
    }

    [Fact]
    public void Documented_csv_leading_columns_are_the_written_ones()
    {
        var doc = Doc("interface.md");
        var m = Regex.Match(doc, "`version,commit,date`[^`]*then the parameters\\s*`([a-zA-Z_,0-9]+)`");
        Assert.True(m.Success, "docs/interface.md: no CSV parameter column list");
        string[] parameters = m.Groups[1].Value.Split(',');
        Assert.Equal(Ness.Cli.Tables.Columns.ParameterNames, parameters);
        foreach (var args in new[] { new[] { "fermion", "-L", "3", "--disorder", "1", "--seed", "1", "--format", "csv" },
                                     ["harmonic", "-L", "3", "--weak-coupling", "--seed", "1", "--format", "csv"] })
        {
            var (code, csv, err) = CliRun.Run(args);
            Assert.True(code == 0, err);
            var header = csv.Split('\n')[0].Split(',');
            Assert.Equal(["version", "commit", "date", .. parameters, "realization", "generator", "solver_used"], header[..(parameters.Length + 6)]);
        }
    }
}
