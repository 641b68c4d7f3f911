using System.Text.Json.Nodes;

namespace Ness.Tests.Ensemble;

/// <summary>Reading an ensemble line is parsing it into a typed realization and validating it as data (files come
/// from collaborators and clusters): a good file's line mutated — a current that is not a number, a density of 7.5,
/// a missing certificate, a profile of the wrong length — is exit 2 naming the file, the line and the field, for
/// <c>ness aggregate</c> and for a resuming <c>ness ensemble --out</c>; never exit 1, never a silent average.</summary>
public sealed class LineValidationTests
{
    static readonly string[] Ensemble = ["ensemble", "fermion", "-L", "3", "--disorder", "1", "--seed", "5", "--realizations", "3", "--threads", "1"];

    /// <summary>A good file of three lines, with line 2 changed by <paramref name="mutate"/>.</summary>
    static string Mutated(string dir, Action<JsonObject> mutate)
    {
        var f = Path.Combine(dir, "e.jsonl");
        var r = CliRun.Run([.. Ensemble, "--out", f]);
        Assert.True(r.Code == 0, r.Err);
        var lines = File.ReadAllLines(f);
        var o = JsonNode.Parse(lines[1])!.AsObject();
        mutate(o);
        lines[1] = o.ToJsonString();
        File.WriteAllLines(f, lines);
        return f;
    }

    public static TheoryData<string, string> Mutations => new()
    {
        { "current-not-a-number", "current.left" },
        { "current-a-string", "current" },
        { "density-7.5", "profile[1]" },
        { "diagnostics-null", "diagnostics" },
        { "profile-too-short", "profile" },
        { "bond-a-string", "current.bonds[0]" },
    };

    static void Apply(string mutation, JsonObject o)
    {
        switch (mutation)
        {
            case "current-not-a-number": o["current"]!["left"] = "x"; break;
            case "current-a-string": o["current"] = "x"; break;
            case "density-7.5": o["profile"]![1] = 7.5; break;
            case "diagnostics-null": o["diagnostics"] = null; break;
            case "profile-too-short": o["profile"]!.AsArray().RemoveAt(0); break;
            case "bond-a-string": o["current"]!["bonds"]![0] = "x"; break;
        }
    }

    [Theory]
    [MemberData(nameof(Mutations))]
    public void Aggregate_refuses_a_damaged_line_naming_file_line_and_field(string mutation, string field)
    {
        using var dir = Ensembles.TempDir();
        var f = Mutated(dir, o => Apply(mutation, o));
        var (code, stdout, err) = CliRun.Run("aggregate", f);
        Assert.True(code == 2, $"{mutation}: exit {code}: {err}");
        Assert.Equal("", stdout);
        Assert.Contains($"{f} line 2", err);
        Assert.Contains($"\"{field}\"", err);
    }

    [Theory]
    [MemberData(nameof(Mutations))]
    public void A_resuming_ensemble_refuses_a_damaged_line_and_leaves_the_file_alone(string mutation, string field)
    {
        using var dir = Ensembles.TempDir();
        var f = Mutated(dir, o => Apply(mutation, o));
        var before = File.ReadAllBytes(f);
        var (code, _, err) = CliRun.Run([.. Ensemble[..^4], "--realizations", "4", "--threads", "1", "--out", f]);
        Assert.True(code == 2, $"{mutation}: exit {code}: {err}");
        Assert.Contains($"{f} line 2", err);
        Assert.Contains($"\"{field}\"", err);
        Assert.Equal(before, File.ReadAllBytes(f));
    }

    /// <summary>The damaged line is also the last line: it is refused, not dropped as torn (it is a whole line).</summary>
    [Fact]
    public void A_damaged_last_line_is_refused_not_taken_for_a_torn_one()
    {
        using var dir = Ensembles.TempDir();
        var f = Path.Combine(dir, "e.jsonl");
        Assert.Equal(0, CliRun.Run([.. Ensemble, "--out", f]).Code);
        var lines = File.ReadAllLines(f);
        var o = JsonNode.Parse(lines[^1])!.AsObject();
        o["profile"]![0] = 7.5;
        lines[^1] = o.ToJsonString();
        File.WriteAllLines(f, lines);
        var (code, _, err) = CliRun.Run("aggregate", f);
        Assert.Equal(2, code);
        Assert.Contains($"{f} line 3", err);
    }
}
