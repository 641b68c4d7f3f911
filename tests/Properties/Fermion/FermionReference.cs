using System.Text.Json.Nodes;
using Ness.Pipeline;
using Ness.Pipeline.Fermion;

namespace Ness.Tests.Fermion;

/// <summary>The reference cases of Reference/fermion_public.json (QuTiP, full Liouvillian),
/// copied into Reference/ so that a fresh clone is self-contained.</summary>
public static class ReferenceCases
{
    public static IEnumerable<object[]> Cases()
    {
        var all = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reference", "fermion_public.json")))!.AsArray();
        for (int i = 0; i < all.Count; i++) yield return [i];
    }

    public static JsonNode Case(int i) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reference", "fermion_public.json")))!.AsArray()[i]!;

    public static FermionParameters Parameters(JsonNode c) =>
        Chains.Make((int)c["length"]!, (double)c["hopping"]!, (double)c["interaction"]!,
            [.. c["rates"]!.AsArray().Select(x => (double)x!)], [.. c["fields"]!.AsArray().Select(x => (double)x!)]);

    public static void Check(JsonNode c, FermionSolver solver)
    {
        var r = Chains.Solve(Parameters(c), solver);
        var expected = c["profile"]!.AsArray().Select(x => (double)x!).ToArray();
        double err = r.Profile.Zip(expected).Max(t => Math.Abs(t.Item1 - t.Item2));
        Assert.True(err <= 1e-8, $"max |n_i - reference| = {err:E2}");
        // The reference currents are QuTiP's g1p - (g1p + g1m) n_1, which loses digits to cancellation:
        // compare within 1e-8 relative plus the reference's own left/right spread.
        double jl = (double)c["current_left"]!, jr = (double)c["current_right"]!;
        double tol = 1e-8 * Math.Abs(jl) + 2 * Math.Abs(jl - jr) + 1e-14;
        Assert.True(Math.Abs(r.Currents.Left - jl) <= tol, $"left {r.Currents.Left:R} vs {jl:R} (tolerance {tol:E2})");
        Assert.True(Math.Abs(r.Currents.Right - jr) <= tol, $"right {r.Currents.Right:R} vs {jr:R} (tolerance {tol:E2})");
        foreach (var j in r.Currents.Bonds)
            Assert.True(Math.Abs(j - jl) <= tol, $"bond current {j:R} vs reference {jl:R} (tolerance {tol:E2})");
        Assert.Equal(solver.ToString().ToLowerInvariant(), r.Certificate.Method);
    }
}

public class FermionReference
{
    [Theory]
    [MemberData(nameof(ReferenceCases.Cases), MemberType = typeof(ReferenceCases))]
    public void ProfileAndCurrentMatchReference(int i) => ReferenceCases.Check(ReferenceCases.Case(i), FermionSolver.Direct);
}
