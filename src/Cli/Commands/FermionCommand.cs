using System.CommandLine;
using System.Text.Json.Nodes;
using LanguageExt;
using Ness.Cli.Json;
using Ness.Pipeline;
using Ness.Pipeline.Fermion;
using Ness.Pipeline.Fermion.Krylov;
using static LanguageExt.Prelude;

namespace Ness.Cli.Commands;

/// <summary>`ness fermion`: one NESS of the boundary-driven fermion chain (docs/interface.md).</summary>
public static class FermionCommand
{
    public static Command Create()
    {
        var cmd = new Command("fermion",
            "One NESS of the boundary-driven fermion chain (paper, section 3): H = J sum (a+_x a_x+1 + h.c.) + " +
            "V sum n_x n_x+1 + 2 sum h_x n_x with Lindblad injection/extraction at sites 1 and L.");
        var m = new FermionOptions();
        m.AddTo(cmd);
        var fields = Flags.Doubles("--fields", "Fields h_1,...,h_L (instead of --disorder with --seed).");
        var seed = Flags.Long("--seed", "Seed of the disorder generator (with --disorder); same seed, same fields everywhere.");
        var format = Flags.Choice("--format", "Output format.", Output.Formats).Default("json");
        cmd.Options.Add(fields);
        cmd.Options.Add(seed);
        cmd.Options.Add(format);
        var checkpoint = Flags.Text("--checkpoint", "File where the krylov solver keeps its iterate (every 5 minutes and when converged), " +
            "so that a killed run resumes from it: rerun the same command. Kept afterwards; a file of another problem is refused.");
        cmd.Options.Add(checkpoint);
        var threads = EnsembleCommand.ThreadsFlag();
        cmd.Options.Add(threads);
        cmd.SetAction(r => Exit.Run(() =>
            from p in m.Parameters(r, L => Fields(L, r.Given(fields), r, m, r.Given(seed)))
            from k in KrylovFlags.Parse(r.Value(threads), Environment.GetEnvironmentVariable)
            from planned in SolverPlan.Fermion(p.Length, p.Interaction, r.Value(m.Solver),
                SolverOptions.Default with { Krylov = k, TemporaryDirectory = Path.GetTempPath() }, weakCoupling: r.Value(m.WeakCoupling))
            from plan in Checkpoint(r.Given(checkpoint), p, planned)
            from res in plan.Method == FermionSolver.Pauli
                ? KrylovFlags.WithPauliProgress(plan.Options, o => FermionChain.SteadyState(p, plan with { Options = o }))
                : KrylovFlags.WithProgress(plan.Method == FermionSolver.Krylov, plan.Options, Environment.GetEnvironmentVariable,
                    o => FermionChain.SteadyState(p, plan with { Options = o }))
            select Render(res, r.Value(format), Draw(r, m, seed))));
        return cmd;
    }

    /// <summary>The plan with the store of --checkpoint FILE (<see cref="IterateFile"/>), opened only once the plan is the
    /// krylov solver's (exit 2 with any other); the plan as it is without the flag.</summary>
    static Fin<FermionPlan> Checkpoint(LanguageExt.Option<string> file, FermionParameters p, FermionPlan plan) => file.Match(
        None: () => FinSucc(plan),
        Some: f => plan.Method != FermionSolver.Krylov
            ? FinFail<FermionPlan>(new BadInput("--checkpoint", $"only the krylov solver keeps an iterate; this run uses " +
                                                                $"{plan.Method.ToString().ToLowerInvariant()} (--solver krylov, or drop --checkpoint)"))
            : IterateFile.Open(f, p, Console.Error).Map(store => plan with { Options = plan.Options with { Iterates = Some<IIterateStore>(store) } }));

    /// <summary>Either explicit --fields, or --disorder W with --seed S (realization 0 of seed S).</summary>
    static Fin<double[]> Fields(int L, LanguageExt.Option<double[]> fields, ParseResult r, FermionOptions m, LanguageExt.Option<long> seed) =>
        fields.Match(
            Some: h => r.Given(m.Disorder).IsSome || seed.IsSome
                ? FinFail<double[]>(new BadInput("--fields", "give either --fields or --disorder with --seed, not both"))
                : FinSucc(h),
            None: () => r.Given(m.Disorder).IsNone && seed.IsNone
                ? FinFail<double[]>(new BadInput("--fields", "give --fields h1,...,hL or --disorder W --seed S"))
                : from w in m.Strength(r)
                  from s in seed.OrFail(new BadInput("--seed", "required with --disorder (an integer)"))
                  select Ness.Pipeline.Disorder.Uniform(s, 0, L, -w, w));

    /// <summary>The draw behind the fields: realization 0 of --seed with h_x in [-W, W]; None for explicit --fields.</summary>
    static LanguageExt.Option<Draw> Draw(ParseResult r, FermionOptions m, Flag<long> seed) =>
        from s in r.Given(seed)
        from w in r.Given(m.Disorder)
        select new Draw(s, 0, -w, w);

    /// <summary>csv: the provenance and parameter columns (<see cref="Tables.Columns.Lead"/>), then one row per site (site, field, density, bond current of the bond
    /// x → x+1); the boundary currents and the certificate are in --format json.</summary>
    static string Render(FermionSteadyState r, string format, LanguageExt.Option<Draw> draw) => format switch
    {
        "csv" => Csv(r, Tables.Columns.Lead(FermionJson.Of(r, draw), DateTime.UtcNow)),
        "table" => Table(r),
        _ => Output.Json(FermionJson.Of(r, draw)),
    };

    static string Csv(FermionSteadyState r, (string[] Header, object?[] Values) pv) =>
        Output.Csv([.. pv.Header, "site", "field", "density", "bond_current"],
            Enumerable.Range(0, r.Parameters.Length).Select(i => (object?[])
                [.. pv.Values, i + 1, r.Parameters.Fields[i], r.Profile[i], i < r.Currents.Bonds.Length ? r.Currents.Bonds[i] : null]));

    /// <summary>The profile and bond currents per site, then the currents, the step metrics and the certificate's
    /// checks (value and limit).</summary>
    static string Table(FermionSteadyState r)
    {
        var t = Output.Table(["site", "h_x", "<n_x>", "j(x->x+1)"],
            Enumerable.Range(0, r.Parameters.Length).Select(i => new[]
            {
                (i + 1).ToString(), Output.G(r.Parameters.Fields[i]), Output.G(r.Profile[i], 10),
                i < r.Currents.Bonds.Length ? Output.G(r.Currents.Bonds[i]) : "",
            }));
        var c = r.Certificate;
        return t +
            $"current: left {Output.G(r.Currents.Left)}, right {Output.G(r.Currents.Right)}\n" +
            $"step: max jump {Output.G(r.Step.MaxJump)}, end to end {Output.G(r.Step.EndToEnd)}, " +
            $"residual roughness {(r.Step.ResidualRoughness is double q ? Output.G(q) : "n/a")}\n" +
            $"solver {c.Method}, dimension {c.Value("dimension").IfNone(0)}, {c.Value("seconds").IfNone(0):F2} s; checks: " +
            string.Join(", ", c.Checks.Select(k => $"{k.Name.Replace('_', ' ')} {Output.G(k.Value, 3)} ({(k.AtLeast ? ">=" : "<=")} {Output.G(k.Limit, 1)})")) + "\n";
    }
}
