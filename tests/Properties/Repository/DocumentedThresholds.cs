using System.Globalization;
using System.Text.RegularExpressions;
using Ness.Pipeline;
using Ness.Pipeline.Fermion;
using Ness.Pipeline.Harmonic;
using Ness.Pipeline.Lattice;
using Ness.Tests.Fermion;

namespace Ness.Tests.Repository;

/// <summary>docs/interface.md's table "Certificate thresholds" is the code's: every check of a real certificate of every
/// solver (direct, krylov, gaussian, finite-lambda, weak-coupling) has its row, with the limit the code applies and the
/// same direction (≥ for a lower limit). A threshold changed in the code without the table, or the reverse, fails here.</summary>
public sealed class DocumentedThresholds
{
    static string Root()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Sparse.sln"))) return d.FullName;
        throw new InvalidOperationException("repository root (Sparse.sln) not found above " + AppContext.BaseDirectory);
    }

    sealed record Row(string[] Solvers, string Check, string Limit);

    static List<Row> Table()
    {
        var lines = File.ReadAllLines(Path.Combine(Root(), "docs", "interface.md"));
        int start = Array.FindIndex(lines, l => l.StartsWith("### Certificate thresholds", StringComparison.Ordinal));
        Assert.True(start >= 0, "docs/interface.md has no section \"### Certificate thresholds\"");
        var rows = new List<Row>();
        foreach (var l in lines.Skip(start + 1).SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|')))
        {
            var cells = l.Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            if (cells.Length != 3 || cells[1] == "check" || cells[1].StartsWith("---", StringComparison.Ordinal)) continue;
            rows.Add(new Row(cells[0].Split(", "), cells[1].Trim('`'), cells[2]));
        }
        return rows;
    }

    static readonly Regex Numbers = new(@"[−-]?\d+(?:\.\d+)?(?:e[−-]?\d+)?", RegexOptions.Compiled);

    static double[] Limits(string cell) =>
        [.. Numbers.Matches(cell).Select(m => double.Parse(m.Value.Replace('−', '-'), CultureInfo.InvariantCulture))];

    static void Agrees(string solver, Certificate c, double scale = 1)
    {
        var table = Table();
        foreach (var k in c.Checks)
        {
            var row = table.SingleOrDefault(r => r.Check == k.Name && r.Solvers.Contains(solver));
            Assert.True(row is not null, $"{solver}: check {k.Name} has no row in docs/interface.md's threshold table");
            Assert.Equal(k.AtLeast, row!.Limit.StartsWith('≥'));
            bool scaled = row.Limit.Contains("max(T1, TL)");
            double limit = scaled ? k.Limit / scale : k.Limit;
            var documented = Limits(row.Limit);
            Assert.True(documented.Any(d => Math.Abs(d - limit) <= 1e-12 * Math.Abs(limit)),
                $"{solver}: {k.Name} is checked against {limit:R} in the code, docs/interface.md says {row.Limit}");
        }
    }

    [Fact]
    public void Fermion_solvers_thresholds_are_documented()
    {
        var h = Disorder.Uniform(1, 0, 7, -3, 3);
        Agrees("direct", Chains.Solve(Chains.Make(5, 1, 1, [3, 1, 2, 1], h[..5]), FermionSolver.Direct).Certificate);
        Agrees("krylov", Chains.Solve(Chains.Make(7, 1, 1, [3, 1, 2, 1], h), FermionSolver.Krylov).Certificate);
        Agrees("gaussian", Chains.Solve(Chains.Make(7, 1, 0, [3, 1, 2, 1], h), FermionSolver.Gaussian).Certificate);
        Agrees("pauli", Chains.Solve(Chains.Make(7, 1, 1, [3, 1, 2, 1], h), FermionSolver.Pauli).Certificate);
        Agrees("pauli-onebody", Chains.Solve(Chains.Make(7, 1, 0, [3, 1, 2, 1], h), FermionSolver.OneBody).Certificate);
    }

    [Fact]
    public void Harmonic_solvers_thresholds_are_documented()
    {
        HarmonicSteadyState Solve(BathCoupling b) =>
            Chains.Ok(HarmonicChain.Disordered(length: 12, seed: 1, bath: b, tLeft: 1, tRight: 3).Bind(p => HarmonicChain.SteadyState(p)));
        Agrees("finite-lambda", Solve(new BathCoupling.Finite(1)).Certificate, scale: 3);
        Agrees("weak-coupling", Solve(BathCoupling.Weak).Certificate);
    }

    [Fact]
    public void Box_solvers_thresholds_are_documented()
    {
        LatticeSteadyState Solve(BathCoupling b) =>
            HarmonicBox.Disordered(new Ness.Operators.Harmonic.Box(4, 3, 2), seed: 1, bath: b, coupling: 0.4, t1: 1, t2: 3)
                .Bind(p => HarmonicBox.SteadyState(p)).Match(s => s, e => throw new Xunit.Sdk.XunitException(e.Message));
        Agrees("box-finite-lambda", Solve(new BathCoupling.Finite(1)).Certificate, scale: 3);
        Agrees("box-weak-coupling", Solve(BathCoupling.Weak).Certificate, scale: 3);
    }
}
