using System.CommandLine;
using System.Text.Json.Nodes;
using Ness.Pipeline.Fermion;
using Ness.Pipeline.Harmonic;

namespace Ness.Tests.Cli;

/// <summary>The flags are one system: the same short aliases everywhere, each default printed once in the help
/// (from the pipeline's parameter records), the ensembles sharing the model flags of the single runs.</summary>
[Collection("Console")]
public class FlagTests
{
    static readonly string[][] Commands = [["fermion"], ["harmonic"], ["ensemble", "fermion"], ["ensemble", "harmonic"], ["aggregate"], ["reproduce"], ["bench"], ["plot"]];

    static Command Find(params string[] path)
    {
        Command c = Ness.Cli.Program.Root();
        foreach (var name in path) c = c.Subcommands.Single(s => s.Name == name);
        return c;
    }

    [Fact]
    public void Every_length_flag_has_the_short_alias_L()
    {
        int seen = 0;
        foreach (var path in Commands)
            foreach (var o in Find(path).Options.Where(o => o.Name == "--length"))
            {
                Assert.Contains("-L", o.Aliases);
                seen++;
            }
        Assert.Equal(5, seen); // fermion, harmonic, both ensembles, reproduce
    }

    [Fact]
    public void Ensembles_share_the_model_flags_of_the_single_runs()
    {
        foreach (var model in new[] { "fermion", "harmonic" })
        {
            var single = Find(model).Options.ToDictionary(o => o.Name);
            var ensemble = Find("ensemble", model).Options.ToDictionary(o => o.Name);
            var shared = single.Keys.Intersect(ensemble.Keys).Where(k => k != "--help" && k != "--seed").ToList();
            Assert.True(shared.Count >= 5, string.Join(",", shared));
            foreach (var k in shared)
            {
                Assert.Equal(single[k].Description, ensemble[k].Description);
                Assert.Equal(single[k].ValueType, ensemble[k].ValueType);
            }
        }
    }

    [Fact]
    public void Help_prints_each_default_once_from_the_parameter_records_and_cites_only_the_repository()
    {
        foreach (var path in Commands)
        {
            var (code, help, _) = CliRun.Run([.. path, "--help"]);
            Assert.Equal(0, code);
            Assert.DoesNotContain("NOTES.md", help);
            Assert.DoesNotContain("INTERFACE.md", help);
            Assert.DoesNotContain(".." + "/shared", help);
            Assert.DoesNotContain("(default", help);
            foreach (var line in help.Split('\n'))
                Assert.True(line.Split("default").Length <= 2, $"'{line}' names a default twice");
        }
        string R(double[] x) => string.Join(",", x);
        var fermion = CliRun.Run("fermion", "--help").Out;
        Assert.Contains($"[default: {R(Rates.Default.ToArray())}]", fermion);
        Assert.Contains("[default: auto]", fermion);
        var harmonic = CliRun.Run("ensemble", "harmonic", "--help").Out;
        Assert.Contains($"[default: {HarmonicParameters.DefaultCoupling}]", harmonic);
        Assert.Contains($"[default: {HarmonicParameters.DefaultPinningRange.A},{HarmonicParameters.DefaultPinningRange.B}]", harmonic);
    }

    [Fact]
    public void Defaults_reach_the_output()
    {
        var (code, o, e) = CliRun.Run("fermion", "-L", "2", "--fields", "0,0");
        Assert.True(code == 0, e);
        var j = JsonNode.Parse(o)!;
        Assert.Equal(Rates.Default.ToArray(), j["rates"]!.AsArray().Select(x => (double)x!).ToArray());
        Assert.Equal(FermionParameters.DefaultHopping, (double)j["hopping"]!);
        (code, o, e) = CliRun.Run("harmonic", "-L", "3", "--seed", "1", "--weak-coupling");
        Assert.True(code == 0, e);
        j = JsonNode.Parse(o)!;
        Assert.Equal(HarmonicParameters.DefaultCoupling, (double)j["coupling"]!);
        Assert.All(j["pinning"]!.AsArray(), v => Assert.InRange((double)v!, HarmonicParameters.DefaultPinningRange.A, HarmonicParameters.DefaultPinningRange.B));
    }

    [Fact]
    public void A_missing_seed_is_named_as_the_missing_flag()
    {
        var (code, o, e) = CliRun.Run("harmonic", "--length", "10", "--weak-coupling");
        Assert.Equal(2, code);
        Assert.Empty(o);
        Assert.StartsWith("ness: error: --seed:", e);
    }
}
