using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Ness.Cli.Commands;

/// <summary>
/// `ness bench quadratic`: the quadratic chains at any length (docs/quadratic.md) — the harmonic chain at finite lambda
/// (`ness harmonic --bath-coupling`, g = 0.1, pinning in [1, 2]) and the free-fermion chain (`ness fermion --interaction 0`,
/// the Gaussian solver, J = 1, rates 3,1,2,1, fields in [−h, h]) — over several disorder draws per length, each in a
/// child process (time and peak memory per run). One row per (model, L, parameter) with the distribution over the
/// draws: certified count, median and max of the solve time, median wall time of the process, largest peak memory.
/// </summary>
public static class BenchQuadratic
{
    public static Command Create()
    {
        var cmd = new Command("quadratic", "Benchmark the quadratic chains at any length: harmonic finite lambda and free fermions (Gaussian solver).");
        var models = Flags.Choice("--model", "Which chains: harmonic, fermion or both.", ["both", "harmonic", "fermion"]).Default("both");
        var lengths = Flags.Ints("--lengths", "Comma-separated lengths (each 2..100000).", 2, 100_000).Default([70, 1000]);
        var lambdas = Flags.Doubles("--bath-coupling", "Comma-separated bath couplings lambda of the harmonic chain.").Default([1]);
        var disorder = Flags.Doubles("--disorder", "Comma-separated field disorder strengths h of the free-fermion chain.").Default([10, 2]);
        var draws = Flags.Int("--draws", "Disorder draws per row: seeds S, S+1, ..., S+N-1 (S = --seed).", 1, 100_000).Default(5);
        var seed = Flags.Long("--seed", "Disorder seed.").Default(1);
        foreach (var o in new System.CommandLine.Option[] { models, lengths, lambdas, disorder, draws, seed }) cmd.Options.Add(o);
        cmd.SetAction(r => Exit.Run(() => FinSucc(Run(r.Value(models) == "both" ? ["harmonic", "fermion"] : [r.Value(models)], r.Value(lengths), r.Value(lambdas), r.Value(disorder),
            r.Value(draws), r.Value(seed)))));
        return cmd;
    }

    static string F(double x, string f = "G4") => x.ToString(f, CultureInfo.InvariantCulture);

    static string Run(string[] models, int[] lengths, double[] lambdas, double[] hs, int draws, long seed)
    {
        var sb = new StringBuilder(BenchCommand.Machine());
        sb.Append($"\nEach row: {draws} draws (seeds {seed}..{seed + draws - 1}), one child process each. 'solve s' is the " +
                  "result's diagnostics.seconds, 'wall s' the whole process (start-up ~0.1 s), peak the largest resident memory.\n\n");
        sb.Append("| model | L | parameter | certified | solve s median | solve s max | wall s median | peak MB max | load at end |\n");
        sb.Append("|---|---|---|---|---|---|---|---|---|\n");
        var rows = new List<(string Model, int L, string Label, string[] Args)>();
        foreach (var m in models)
            foreach (var L in lengths)
                if (m == "harmonic")
                    foreach (var lam in lambdas)
                        rows.Add((m, L, $"lambda = {F(lam)}", ["harmonic", "-L", L.ToString(CultureInfo.InvariantCulture),
                            "--bath-coupling", F(lam, "R")]));
                else
                    foreach (var h in hs)
                        rows.Add((m, L, $"h = {F(h)}", ["fermion", "-L", L.ToString(CultureInfo.InvariantCulture), "--interaction", "0",
                            "--disorder", F(h, "R")]));
        var (self, selfArgs) = BenchCommand.SelfCommand();
        foreach (var (model, L, label, args) in rows)
        {
            var solve = new List<double>();
            var wall = new List<double>();
            double peak = 0;
            int ok = 0;
            for (int d = 0; d < draws; d++)
            {
                Console.Error.WriteLine($"bench quadratic: {model} L = {L}, {label}, draw {d + 1}/{draws} ...");
                int rc = BenchCommand.RunProcess(self, [.. selfArgs, .. args, "--seed", (seed + d).ToString(CultureInfo.InvariantCulture)],
                    out var text, out var w, out var p);
                wall.Add(w);
                peak = Math.Max(peak, p);
                if (rc != 0) continue;
                ok++;
                solve.Add((double)JsonNode.Parse(text)!["diagnostics"]!["seconds"]!);
            }
            solve.Sort();
            wall.Sort();
            sb.Append($"| {model} | {L} | {label} | {ok}/{draws} | {F(BenchCommand.Quantile(solve, 0.5), "F2")} | {F(solve.Count > 0 ? solve[^1] : double.NaN, "F2")} | " +
                      $"{F(BenchCommand.Quantile(wall, 0.5), "F2")} | {F(peak / 1e6, "F0")} | {BenchCommand.Load()} |\n");
        }
        return sb.ToString();
    }
}
