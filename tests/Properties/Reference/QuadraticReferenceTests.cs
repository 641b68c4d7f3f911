using System.Globalization;
using System.Text.Json.Nodes;

namespace Ness.Tests.Reference;

/// <summary>
/// Reference/quadratic_public.json (README.md beside it): long chains at finite coupling computed in
/// arbitrary-precision arithmetic, reproduced through the command line: |n_x - reference| &lt;= 1e-10 and every
/// bond current within 1e-8 relative (free fermions, V = 0, solved by the Gaussian solver); the harmonic cases at finite
/// lambda to |T_x - reference| &lt;= 1e-10, their energy current against lambda (T1 - T(1)) of the reference
/// profile (to its printed digits) and eq. (2.9) for the weak-coupling profile beside them.
/// </summary>
[Collection("Console")]
public class QuadraticReferenceTests
{
    static JsonArray All() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reference", "quadratic_public.json")))!.AsArray();

    public static IEnumerable<object[]> FermionCases() =>
        All().Select((c, i) => (c, i)).Where(t => (string)t.c!["model"]! == "fermion").Select(t => new object[] { t.i });

    public static IEnumerable<object[]> HarmonicCases() =>
        All().Select((c, i) => (c, i)).Where(t => (string)t.c!["model"]! == "harmonic").Select(t => new object[] { t.i });

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

    [Theory]
    [MemberData(nameof(HarmonicCases))]
    public void HarmonicCaseThroughTheCli(int i)
    {
        var c = All()[i]!;
        string[] common = ["harmonic", "--length", ((int)c["length"]!).ToString(CultureInfo.InvariantCulture),
            "--coupling", ((double)c["coupling"]!).ToString("R", CultureInfo.InvariantCulture),
            "--temperatures", List(c["temperatures"]!), "--pinning", List(c["pinning"]!)];
        var (code, stdout, stderr) = CliRun.Run([.. common, "--bath-coupling", ((double)c["bath_coupling"]!).ToString("R", CultureInfo.InvariantCulture)]);
        Assert.True(code == 0, stderr);
        var o = JsonNode.Parse(stdout)!;
        var t = Doubles(o["profile"]!);
        var tRef = Doubles(c["profile"]!);
        double dt = t.Zip(tRef).Max(q => Math.Abs(q.Item1 - q.Item2));
        Assert.True(dt <= 1e-10, $"max |T_x - reference| = {dt:E2}");
        // the reference gives the current only through its profile: lambda (T1 - T(1)) from T(1) printed to 17 digits
        // (rounding 1.1e-16); the current is ~7e-13 here, so this checks it to ~1e-3 relative, all the file allows
        double lam = (double)c["bath_coupling"]!, t1 = Doubles(c["temperatures"]!)[0];
        double jRef = lam * (t1 - tRef[0]), j = (double)o["current"]!["left"]!;
        Assert.True(Math.Abs(j - jRef) <= 1e-15 * lam, $"current {j:R} vs reference lambda (T1 - T(1)) = {jRef:R}");

        var (wcode, wout, werr) = CliRun.Run([.. common, "--weak-coupling"]);
        Assert.True(wcode == 0, werr);
        var w = Doubles(JsonNode.Parse(wout)!["profile"]!);
        double dw = w.Zip(Doubles(c["weak_coupling_profile"]!)).Max(q => Math.Abs(q.Item1 - q.Item2));
        Assert.True(dw <= 1e-10, $"weak coupling: max |T_x - reference| = {dw:E2}");
    }
}
