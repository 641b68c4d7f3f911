using System.Text.Json.Nodes;
using Ness.Pipeline;

namespace Ness.Tests;

/// <summary>Every output carries its provenance: the build, the disorder draw and the solver (issue 12, item 2).</summary>
[Collection("Console")]
public class ProvenanceTests
{
    static string? Commit => BuildInfo.Commit.MatchUnsafe(c => c, () => null!);

    static JsonObject Json(params string[] args)
    {
        var (code, stdout, err) = CliRun.Run(args);
        Assert.True(code == 0, err);
        return JsonNode.Parse(stdout)!.AsObject();
    }

    /// <summary>What pandas.read_csv needs with no options: a header, the same number of fields in every row,
    /// no comment lines, no quoting.</summary>
    static string[][] Rectangular(string csv)
    {
        var rows = csv.TrimEnd('\n').Split('\n').Select(l => l.Split(',')).ToArray();
        Assert.All(rows, r => Assert.Equal(rows[0].Length, r.Length));
        Assert.DoesNotContain(rows, r => r[0].StartsWith('#') || r.Any(c => c.Contains('"')));
        return rows;
    }

    [Fact]
    public void Fermion_json_and_csv_name_build_seed_realization_disorder_generator_and_solver()
    {
        var pv = Json("fermion", "-L", "4", "--disorder", "5", "--seed", "3")["provenance"]!;
        Assert.Equal(BuildInfo.Version, (string)pv["version"]!);
        Assert.Equal(Commit, (string?)pv["commit"]);
        Assert.Matches("^[0-9a-f]{40}(\\.dirty)?$|^$", Commit ?? "");
        Assert.Equal(3, (long)pv["seed"]!);
        Assert.Equal(0, (long)pv["realization"]!);
        Assert.Equal(5.0, (double)pv["disorder"]!);
        Assert.Equal(Disorder.GeneratorName, (string)pv["generator"]!);
        Assert.Equal("direct", (string)pv["solver"]!);
        Assert.Equal(0.1, (double)pv["solver_options"]!["pivot_tolerance"]!);

        var (_, csv, _) = CliRun.Run("fermion", "-L", "4", "--disorder", "5", "--seed", "3", "--format", "csv");
        var rows = Rectangular(csv);
        // issue 23: every row carries the provenance and all parameters (J, V, rates too), so concatenated files
        // stay self-describing
        Assert.Equal(["version", "commit", "date", "model", "seed", "length", "disorder", "hopping", "interaction", "g1p", "g1m", "gLp", "gLm", "solver",
                      "pinning_min", "pinning_max", "coupling", "bath_coupling", "weak_coupling", "t1", "tL",
                      "realization", "generator", "solver_used", "site", "field", "density", "bond_current"], rows[0]);
        Assert.Equal(5, rows.Length);
        Assert.All(rows.Skip(1), r => Assert.Equal([BuildInfo.Version, Commit ?? ""], r[..2]));
        Assert.All(rows.Skip(1), r => Assert.Matches("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$", r[2]));
        Assert.All(rows.Skip(1), r => Assert.Equal(["fermion", "3", "4", "5", "1", "1", "3", "1", "2", "1", "auto"], r[3..14]));
        Assert.All(rows.Skip(1), r => Assert.Equal(["0", Disorder.GeneratorName, "direct"], r[21..24]));
    }

    [Fact]
    public void Explicit_fields_or_pinning_have_no_seed_and_no_generator()
    {
        var f = Json("fermion", "-L", "3", "--fields", "1,2,3")["provenance"]!;
        Assert.Null(f["seed"]);
        Assert.Null(f["generator"]);
        var h = Json("harmonic", "-L", "3", "--pinning", "1,1.5,2", "--bath-coupling", "1")["provenance"]!;
        Assert.Null(h["seed"]);
        Assert.Null(h["pinning_range"]);
        Assert.Equal("finite-lambda", (string)h["solver"]!);
    }

    [Fact]
    public void Harmonic_names_the_pinning_range()
    {
        var pv = Json("harmonic", "-L", "6", "--seed", "42", "--pinning-range", "1,3", "--weak-coupling")["provenance"]!;
        Assert.Equal(42, (long)pv["seed"]!);
        Assert.Equal("[1,3]", pv["pinning_range"]!.ToJsonString());
        Assert.Equal("weak-coupling", (string)pv["solver"]!);
    }

    [Fact]
    public void Ensemble_lines_carry_their_realization_and_the_aggregate_the_builds_and_seeds()
    {
        using var dir = Ensemble.Ensembles.TempDir();
        var file = Path.Combine(dir, "e.jsonl");
        var (code, _, err) = CliRun.Run("ensemble", "harmonic", "-L", "8", "--weak-coupling", "--realizations", "3", "--seed", "9", "--out", file);
        Assert.True(code == 0, err);
        var lines = File.ReadAllLines(file).Select(l => JsonNode.Parse(l)!).OrderBy(l => (long)l["realization"]!).ToList();
        Assert.Equal([0L, 1, 2], lines.Select(l => (long)l["provenance"]!["realization"]!));
        Assert.All(lines, l => Assert.Equal(9, (long)l["provenance"]!["seed"]!));
        Assert.All(lines, l => Assert.Equal("[1,2]", l["provenance"]!["pinning_range"]!.ToJsonString()));
        var agg = Json("aggregate", file)["provenance"]!;
        Assert.Equal("[9]", agg["seeds"]!.ToJsonString());
        var builds = agg["line_builds"]!.AsArray();
        Assert.Single(builds);
        Assert.Equal(BuildInfo.Version, (string)builds[0]!["version"]!);
        Assert.Equal(Commit ?? "unknown (not built from a git clone)", (string)builds[0]!["commit"]!);
        var (_, csv, _) = CliRun.Run("aggregate", file, "--format", "csv");
        Assert.Equal(9, Rectangular(csv).Length);
    }
}
