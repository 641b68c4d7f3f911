using System.Globalization;
using System.Text.Json.Nodes;

namespace Ness.Tests.Reference;

/// <summary>
/// Reference/quadratic_public.json (README.md beside it): long chains at finite coupling computed in
/// arbitrary-precision arithmetic, reproduced through the command line: |n_x - reference| &lt;= 1e-10 and every
/// bond current within 1e-8 relative (free fermions, V = 0, solved by the Gaussian solver).
/// </summary>
[Collection("Console")]
public class QuadraticReferenceTests
{
    static JsonArray All() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reference", "quadratic_public.json")))!.AsArray();

    public static IEnumerable<object[]> FermionCases() =>
        All().Select((c, i) => (c, i)).Where(t => (string)t.c!["model"]! == "fermion").Select(t => new object[] { t.i });

    static string List(JsonNode a) => string.Join(",", a.AsArray().Select(x => ((double)x!).ToString("R", CultureInfo.InvariantCulture)));

    static double[] Doubles(JsonNode a) => [.. a.AsArray().Select(x => (double)x!)];

    [Theory]
    [MemberData(nameof(FermionCases))]
    public void FreeFermionCaseThroughTheCli(int i)
    {
        var c = All()[i]!;
        var (code, stdout, stderr) = CliRun.Run("fermion", "--length", ((int)c["length"]!).ToString(CultureInfo.InvariantCulture),
            "--hopping", ((double)c["hopping"]!).ToString("R", CultureInfo.InvariantCulture),
            "--interaction", ((double)c["interaction"]!).ToString("R", CultureInfo.InvariantCulture),
            "--rates", List(c["rates"]!), "--fields", List(c["fields"]!));
        Assert.True(code == 0, stderr);
        var o = JsonNode.Parse(stdout)!;
        Assert.Equal("gaussian", (string)o["diagnostics"]!["solver"]!);
        var n = Doubles(o["profile"]!);
        var nRef = Doubles(c["profile"]!);
        double dn = n.Zip(nRef).Max(t => Math.Abs(t.Item1 - t.Item2));
        Assert.True(dn <= 1e-10, $"max |n_x - reference| = {dn:E2}");
        var j = Doubles(o["current"]!["bonds"]!);
        var jRef = Doubles(c["bonds"]!);
        Assert.Equal(jRef.Length, j.Length);
        for (int x = 0; x < j.Length; x++)
            Assert.True(Math.Abs(j[x] - jRef[x]) <= 1e-8 * Math.Abs(jRef[x]), $"bond {x + 1}: {j[x]:R} vs reference {jRef[x]:R}");
    }
}
