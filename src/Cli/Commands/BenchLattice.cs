using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Ness.Cli.Commands;

/// <summary>
/// `ness bench lattice`: the harmonic model on boxes (docs/lattice.md) — `ness harmonic --shape S --seed s` with
/// --weak-coupling and/or --bath-coupling LAMBDA (g and the pinning range as given, default g = 0.1, [1, 2]) over
/// several disorder draws per row, each in a child process (time and peak memory per run). One row per (shape,
/// coupling): certified count, median and max of the solve time, median wall time, largest peak memory, the load.
/// </summary>
public static class BenchLattice
{
    public static Command Create()
    {
        var cmd = new Command("lattice", "Benchmark the harmonic model on boxes (ness harmonic --shape): weak coupling and finite lambda.");
        var shapes = Flags.Text("--shapes", "Comma-separated shapes NX[xNY[xNZ]].").Default("64x64,16x16x16");
        var lambdas = Flags.Doubles("--bath-coupling", "Comma-separated bath couplings lambda (finite-lambda rows); none: weak coupling only.");
        var weak = Flags.Choice("--weak-coupling", "Weak-coupling rows: on or off.", ["on", "off"]).Default("on");
        var coupling = Flags.Double("--coupling", "Harmonic coupling g.").Default(0.1);
        var draws = Flags.Int("--draws", "Disorder draws per row: seeds S, S+1, ..., S+N-1 (S = --seed).", 1, 100_000).Default(3);
        var seed = Flags.Long("--seed", "Disorder seed.").Default(1);
        var blas = Flags.Int("--blas-threads", "BLAS threads of each run.", 1, 64).Default(1);
        foreach (var o in new System.CommandLine.Option[] { shapes, lambdas, weak, coupling, draws, seed, blas }) cmd.Options.Add(o);
        cmd.SetAction(r => Exit.Run(() => FinSucc(Run(r.Value(shapes).Split(','), r.Given(lambdas).IfNone([]), r.Value(weak) == "on",
            r.Value(coupling), r.Value(draws), r.Value(seed), r.Value(blas)))));
        return cmd;
    }

    static string F(double x, string f = "G4") => x.ToString(f, CultureInfo.InvariantCulture);

    static string Run(string[] shapes, double[] lambdas, bool weak, double g, int draws, long seed, int blas)
    {
        var sb = new StringBuilder(BenchCommand.Machine());
        sb.Append($"\nEach row: {draws} draws (seeds {seed}..{seed + draws - 1}), g = {F(g)}, pinning in [1, 2], faces at T = 1, 2, " +
                  $"{blas} BLAS thread(s), one child process each. 'solve s' is diagnostics.seconds of the certified runs, 'wall s' " +
                  "the whole process, peak the largest resident memory, refusal: how many draws exit 3 refused (with the first reason); " +
                  "a row without a certified draw says 'refused' instead of solve times.\n\n");
        sb.Append("| shape | coupling | certified | solve s median | solve s max | wall s median | wall s max | peak MB max | load at end | refusal |\n");
        sb.Append("|---|---|---|---|---|---|---|---|---|---|\n");
        var rows = new List<(string Shape, string Label, string[] Args)>();
        foreach (var s in shapes)
        {
            if (weak) rows.Add((s, "weak", ["--weak-coupling"]));
            foreach (var l in lambdas) rows.Add((s, $"lambda = {F(l)}", ["--bath-coupling", F(l, "R")]));
        }
        var (self, selfArgs) = BenchCommand.SelfCommand();
        foreach (var (shape, label, args) in rows)
        {
            var solve = new List<double>();
            var wall = new List<double>();
            double peak = 0;
            int ok = 0;
            var outcomes = new DrawOutcomes(0, 0, "");
            for (int d = 0; d < draws; d++)
            {
                Console.Error.WriteLine($"bench lattice: {shape}, {label}, draw {d + 1}/{draws} ...");
                int rc = BenchCommand.RunProcess(self, [.. selfArgs, "harmonic", "--shape", shape, "--coupling", F(g, "R"),
                    "--blas-threads", blas.ToString(CultureInfo.InvariantCulture), .. args,
                    "--seed", (seed + d).ToString(CultureInfo.InvariantCulture)], out var text, out var err, out var w, out var p);
                wall.Add(w);
                peak = Math.Max(peak, p);
                outcomes = outcomes.Add(rc, err);
                if (rc != 0) continue;
                ok++;
                solve.Add((double)JsonNode.Parse(text)!["diagnostics"]!["seconds"]!);
            }
            sb.Append(Row(shape, label, draws, ok, outcomes.Refused, outcomes.Failed, outcomes.Reason, solve, wall, peak, BenchCommand.Load()));
        }
        return sb.ToString();
    }

    /// <summary>One table row. Solve-time columns of a row without a certified draw say "refused" (or "failed"), not
    /// NaN; the last column counts the refusals (exit 3, with the first one's reason) and other failures.</summary>
    public static string Row(string shape, string label, int draws, int ok, int refused, int failed, string reason,
                               List<double> solve, List<double> wall, double peak, string load)
    {
        solve = [.. solve.Order()];
        wall = [.. wall.Order()];
        var outcomes = new DrawOutcomes(refused, failed, reason);
        string none = outcomes.NoCertified;
        string Solve(double v) => solve.Count > 0 ? F(v, "F1") : none;
        return $"| {shape} | {label} | {ok}/{draws} | {Solve(BenchCommand.Quantile(solve, 0.5))} | {Solve(solve.Count > 0 ? solve[^1] : 0)} | " +
               $"{(wall.Count > 0 ? F(BenchCommand.Quantile(wall, 0.5), "F1") : "-")} | {(wall.Count > 0 ? F(wall[^1], "F1") : "-")} | {F(peak / 1e6, "F0")} | {load} | {outcomes.Column} |\n";
    }

    /// <summary>The draws of a row that did not certify: refusals (exit 3, with the first reason a refusal gave) and other
    /// failures; `bench lattice` and `bench weak` count them alike.</summary>
    public readonly record struct DrawOutcomes(int Refused, int Failed, string Reason)
    {
        /// <summary>These outcomes and one more child process's exit code (0 adds nothing).</summary>
        public DrawOutcomes Add(int rc, string stderr) => rc switch
        {
            0 => this,
            3 => this with { Refused = Refused + 1, Reason = Reason.Length == 0 ? BenchLattice.Reason(stderr) : Reason },
            _ => this with { Failed = Failed + 1 },
        };

        /// <summary>What a row's statistics of certified draws say when it has none: "refused" if any draw was refused,
        /// else "failed".</summary>
        public string NoCertified => Refused > 0 ? "refused" : "failed";

        /// <summary>A row's last column: the refusals (with the first one's reason) and other failures, "" if none.</summary>
        public string Column
        {
            get
            {
                var what = new List<string>();
                if (Refused > 0) what.Add($"{Refused} refused (exit 3){(Reason.Length > 0 ? ": " + Reason : "")}");
                if (Failed > 0) what.Add($"{Failed} failed (other exit codes)");
                return string.Join("; ", what);
            }
        }
    }

    /// <summary>The gist of a refusal message: the text after "ness: error: " without "the profile cannot be
    /// certified: ", up to the first " > " (the method and the estimate stay, the limit and explanation go), at most
    /// 80 characters.</summary>
    public static string Reason(string stderr)
    {
        var line = stderr.Split('\n').FirstOrDefault(l => l.StartsWith("ness: error: ", StringComparison.Ordinal));
        if (line is null) return "";
        var text = line["ness: error: ".Length..].Trim().Replace("the profile cannot be certified: ", "", StringComparison.Ordinal);
        int cut = text.IndexOf(" > ", StringComparison.Ordinal);
        if (cut > 0) text = text[..cut];
        return text.Length > 80 ? text[..77] + "..." : text;
    }
}
