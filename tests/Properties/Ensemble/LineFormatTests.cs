using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Ness.Pipeline.Ensemble;

namespace Ness.Tests.Ensemble;

public class LineFormatTests
{
    static readonly Lazy<byte[]> CleanFile = new(() =>
    {
        var stdout = new StringWriter();
        Assert.True(Ensembles.Run(Ensembles.Fermion(), 6, 3, Shard.All, null, 1, stdout).Complete);
        return Encoding.UTF8.GetBytes(stdout.ToString());
    });

    /// <summary>A crash can cut the file anywhere: the scan keeps exactly the '\n'-terminated lines before
    /// the cut and truncates to the last '\n'.</summary>
    [Property(MaxTest = 300)]
    public bool Any_cut_keeps_exactly_the_complete_lines(NonNegativeInt cut)
    {
        var bytes = CleanFile.Value;
        int c = cut.Get % (bytes.Length + 1);
        var prefix = bytes[..c];
        var scan = (EnsembleFile.Scan)EnsembleFile.Read("--out", "f", prefix);
        int lastNewline = Array.LastIndexOf(prefix, (byte)'\n');
        int complete = prefix.Count(b => b == (byte)'\n');
        bool tornExpected = c > 0 && c != lastNewline + 1;
        return scan.Lines.Count == complete
            && scan.KeepBytes == lastNewline + 1
            && (scan.Torn is not null) == tornExpected;
    }

    [Fact]
    public void Canonical_form_ignores_key_order_and_number_spelling()
    {
        var a = JsonNode.Parse("""{"b": [1.0, 2.5e0], "a": {"y": null, "x": 10}}""");
        var b = JsonNode.Parse("""{"a": {"x": 1e1, "y": null}, "b": [1, 2.5]}""");
        Assert.Equal(EnsembleLine.Canonical(a), EnsembleLine.Canonical(b));
        Assert.NotEqual(EnsembleLine.Canonical(JsonNode.Parse("9007199254740993")), EnsembleLine.Canonical(JsonNode.Parse("9007199254740992")));
        Assert.NotEqual(EnsembleLine.Canonical(JsonNode.Parse("\"1\"")), EnsembleLine.Canonical(JsonNode.Parse("1")));
    }

    [Fact]
    public void Parameters_leave_out_exactly_the_per_realization_keys()
    {
        var line = JsonNode.Parse("""{"realization":3,"seed":1,"model":"m","length":4,"fields":[1],"pinning":[1],"profile":[1],"step":{},"current":{},"diagnostics":{},"ensemble":{"w":1}}""")!.AsObject();
        var p = EnsembleLine.ParametersOf(line);
        Assert.Equal(["seed", "model", "length", "ensemble"], p.Select(kv => kv.Key).ToArray());
    }
}
