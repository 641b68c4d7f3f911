using System.CommandLine;
using System.Text.Json.Nodes;
using LanguageExt;
using Ness.Cli.Json;
using Ness.Pipeline;
using Ness.Pipeline.Fermion;
using static LanguageExt.Prelude;
using Opt = System.CommandLine.Option<string>;

namespace Ness.Cli.Commands;

/// <summary>`ness fermion`: one NESS of the boundary-driven fermion chain (docs/interface.md).</summary>
public static class FermionCommand
{
    /// <summary>The model options shared by `ness fermion` and `ness ensemble fermion`.</summary>
    public sealed class ModelOptions
    {
        public readonly Opt Length = new("--length", "-L") { Description = "Number of sites L (1..16).", Required = true };
        public readonly Opt Hopping = new("--hopping") { Description = "Hopping J (default 1).", DefaultValueFactory = _ => "1" };
        public readonly Opt Interaction = new("--interaction") { Description = "Interaction V (default 1).", DefaultValueFactory = _ => "1" };
        public readonly Opt Rates = new("--rates") { Description = "Lindblad rates g1p,g1m,gLp,gLm, each >= 0 (default 3,1,2,1).", DefaultValueFactory = _ => "3,1,2,1" };
        public readonly Opt Disorder = new("--disorder") { Description = "Disorder strength W >= 0: fields h_x uniform in [-W, W] (with --seed)." };
        public readonly Opt Solver = new("--solver") { Description = "auto|direct|krylov (default auto).", DefaultValueFactory = _ => "auto" };

        public void AddTo(Command c)
        {
            foreach (var o in new[] { Length, Hopping, Interaction, Rates, Disorder, Solver }) c.Options.Add(o);
        }

        /// <summary>Validated parameters; the fields come from <paramref name="fields"/> (given the length).</summary>
        public Fin<FermionParameters> Parse(ParseResult r, Func<int, Fin<double[]>> fields) =>
            // the range is checked here too, before the fields are drawn for L sites
            from L in Flags.Long("--length", r.GetValue(Length)!).Bind(l =>
                l is >= 1 and <= FermionParameters.MaxLength
                    ? FinSucc((int)l)
                    : FinFail<int>(new BadInput("--length", $"{l} is out of range; allowed: 1..{FermionParameters.MaxLength}")))
            from J in Flags.Double("--hopping", r.GetValue(Hopping)!)
            from V in Flags.Double("--interaction", r.GetValue(Interaction)!)
            from g in Flags.Doubles("--rates", r.GetValue(Rates)!, 4, "rates g1p,g1m,gLp,gLm")
            from s in Flags.Choice("--solver", r.GetValue(Solver)!, "auto", "direct", "krylov")
            from h in fields(L)
            from p in FermionParameters.Create(L, J, V, g, h, Enum.Parse<FermionSolver>(s, ignoreCase: true))
            select p;

        /// <summary>W from --disorder: 0 <= W <= FermionParameters.MaxMagnitude.</summary>
        public static Fin<double> Strength(string? text) =>
            text is null
                ? FinFail<double>(new BadInput("--disorder", "required (the disorder strength W >= 0)"))
                : Flags.Double("--disorder", text).Bind(w => w >= 0 && w <= FermionParameters.MaxMagnitude
                    ? FinSucc(w)
                    : FinFail<double>(new BadInput("--disorder",
                        $"{w} is out of range; allowed: 0 <= W <= {FermionParameters.MaxMagnitude:G}")));
    }

    public static Command Create()
    {
        var cmd = new Command("fermion",
            "One NESS of the boundary-driven fermion chain (paper, section 3): H = J sum (a+_x a_x+1 + h.c.) + " +
            "V sum n_x n_x+1 + 2 sum h_x n_x with Lindblad injection/extraction at sites 1 and L.");
        var m = new ModelOptions();
        m.AddTo(cmd);
        var fields = new Opt("--fields") { Description = "Fields h_1,...,h_L (instead of --disorder/--seed)." };
        var seed = new Opt("--seed") { Description = "Seed of the disorder generator (with --disorder); same seed, same fields everywhere." };
        var format = new Opt("--format") { Description = "json|csv|table (default json).", DefaultValueFactory = _ => "json" };
        cmd.Options.Add(fields);
        cmd.Options.Add(seed);
        cmd.Options.Add(format);
        cmd.SetAction(r => Exit.Run(() =>
            from f in Flags.Choice("--format", r.GetValue(format)!, Output.Formats)
            from p in m.Parse(r, L => Fields(L, r.GetValue(fields), r.GetValue(m.Disorder), r.GetValue(seed)))
            from res in FermionNess.Run(p)
            select Render(res, f)));
        return cmd;
    }

    /// <summary>Either explicit --fields, or --disorder W with --seed S (realization 0 of seed S).</summary>
    static Fin<double[]> Fields(int L, string? fields, string? disorder, string? seed)
    {
        if (fields is not null && (disorder is not null || seed is not null))
            return new BadInput("--fields", "give either --fields or --disorder with --seed, not both");
        if (fields is not null) return Flags.Doubles("--fields", fields, L, "fields (one per site, --length)");
        if (disorder is null && seed is null)
            return new BadInput("--fields", "give --fields h1,...,hL or --disorder W --seed S");
        if (seed is null) return new BadInput("--seed", "required with --disorder (an integer)");
        return from w in ModelOptions.Strength(disorder)
               from s in Flags.Long("--seed", seed)
               select Ness.Pipeline.Disorder.Uniform(s, 0, L, -w, w);
    }

    static string Render(FermionResult r, string format) => format switch
    {
        "csv" => Output.Csv(["site", "field", "density", "bond_current"],
            Enumerable.Range(0, r.Parameters.Length).Select(i => new object?[]
                { i + 1, r.Parameters.Fields[i], r.Profile[i], i < r.Current.Bonds.Length ? r.Current.Bonds[i] : null })),
        "table" => Table(r),
        _ => Output.Json(FermionJson.Of(r)),
    };

    static string Table(FermionResult r)
    {
        var t = Output.Table(["site", "h_x", "<n_x>", "j(x->x+1)"],
            Enumerable.Range(0, r.Parameters.Length).Select(i => new[]
            {
                (i + 1).ToString(), Output.G(r.Parameters.Fields[i]), Output.G(r.Profile[i], 10),
                i < r.Current.Bonds.Length ? Output.G(r.Current.Bonds[i]) : "",
            }));
        var d = r.Diagnostics;
        return t +
            $"current: left {Output.G(r.Current.Left)}, right {Output.G(r.Current.Right)}\n" +
            $"step: max jump {Output.G(r.Step.MaxJump)}, end to end {Output.G(r.Step.EndToEnd)}, " +
            $"residual roughness {(r.Step.ResidualRoughness is double q ? Output.G(q) : "n/a")}\n" +
            $"solver {d.Solver}, dimension {d.Dimension}, residual {Output.G(d.Residual, 3)} (relative {Output.G(d.RelativeResidual, 3)}), " +
            $"trace error {Output.G(d.TraceError, 3)}, hermiticity {Output.G(d.HermiticityError, 3)}, " +
            $"min eigenvalue {Output.G(d.MinEigenvalue, 3)}, {d.Seconds:F2} s\n";
    }
}
