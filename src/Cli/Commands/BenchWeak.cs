using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Ness.Cli.Commands;

/// <summary>
/// `ness bench weak`: the fermion chain in the weak-coupling limit (`ness fermion --weak-coupling`, the Pauli solver at
/// V != 0, J = 1, rates 3,1,2,1, fields in [−h, h]) over several disorder draws per length, each in a child process
/// (time and peak memory per run). One row per (L, h) with the distribution over the draws: certified count, median and
/// worst of the solve time and of its three stages (diagonalization, rates, elimination) over the certified draws, median
/// and worst of the child processes' wall time over all draws (a refused draw does the same work: the certificate comes
/// last), the largest peak memory against the solver's estimate, the largest profile error estimate, the smallest
/// limit_eps, the load average at the start and end of the row, and the refusals (exit 3, with the first one's reason)
/// and other failures.
/// </summary>
public static class BenchWeak
{
    public static Command Create()
    {
        var cmd = new Command("weak", "Benchmark the fermion chain in the weak-coupling limit (ness fermion --weak-coupling, Pauli solver).");
        var lengths = Flags.Ints("--lengths", "Comma-separated lengths (each 2..16).", 2, 16).Default([10, 12]);
        var disorder = Flags.Doubles("--disorder", "Comma-separated disorder strengths h.").Default([10]);
        var interaction = Flags.Double("--interaction", "Interaction V (0: the many-body solver is forced with --solver pauli).").Default(1);
        var draws = Flags.Int("--draws", "Disorder draws per row: seeds S, S+1, ..., S+N-1 (S = --seed).", 1, 100_000).Default(5);
        var seed = Flags.Long("--seed", "Disorder seed.").Default(1);
        var threads = Flags.Int("--threads", "Threads of each run (2: the next sector is diagonalized beside the elimination).", 1, 64).Default(1);
        foreach (var o in new System.CommandLine.Option[] { lengths, disorder, interaction, draws, seed, threads }) cmd.Options.Add(o);
        cmd.SetAction(r => Exit.Run(() => FinSucc(Run(r.Value(lengths), r.Value(disorder), r.Value(interaction), r.Value(draws), r.Value(seed),
            r.Value(threads)))));
        return cmd;
    }

    static string F(double x, string f = "G4") => x.ToString(f, CultureInfo.InvariantCulture);

    static string Run(int[] lengths, double[] hs, double V, int draws, long seed, int threads)
    {
        var sb = new StringBuilder(BenchCommand.Machine());
        sb.Append($"\nness fermion --weak-coupling --solver pauli, J = 1, V = {F(V)}, rates 3,1,2,1, --threads {threads}; each row: {draws} draws " +
                  $"(seeds {seed}..{seed + draws - 1}), one child process each. Times are the result's diagnostics (seconds, seconds_eigen, " +
                  "seconds_rates, seconds_elimination), median and max over the certified draws; wall = the child processes' wall time, " +
                  "median and max over all draws, refused ones included; peak = largest resident memory of the " +
                  "child processes, estimate = the solver's memory estimate (pauli); load = 1-minute load average at the start and end.\n\n");
        sb.Append("| L | h | certified | s median | s max | eigen s median | rates s median | elimination s median | wall s median | wall s max | " +
                  "peak MB max | estimate MB | max profile_error_estimate | min limit_eps | load start → end | refused, failed |\n");
        sb.Append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        var (self, selfArgs) = BenchCommand.SelfCommand();
        foreach (var h in hs)
            foreach (var L in lengths)
            {
                string load0 = BenchCommand.Load();
                var s = new List<double>();
                var eig = new List<double>();
                var rates = new List<double>();
                var elim = new List<double>();
                var wall = new List<double>();
                double peak = 0, err = 0, limit = double.PositiveInfinity;
                int ok = 0;
                var outcomes = new BenchLattice.DrawOutcomes(0, 0, "");
                for (int d = 0; d < draws; d++)
                {
                    int rc = BenchCommand.RunProcess(self, [.. selfArgs, "fermion", "--weak-coupling", "--solver", "pauli", "-L", L.ToString(CultureInfo.InvariantCulture),
                        "--interaction", F(V, "R"), "--disorder", F(h, "R"), "--seed", (seed + d).ToString(CultureInfo.InvariantCulture),
                        "--threads", threads.ToString(CultureInfo.InvariantCulture)], out var text, out var stderr, out var seconds, out var p);
                    peak = Math.Max(peak, p);
                    wall.Add(seconds);
                    if (rc != 0)
                    {
                        outcomes = outcomes.Add(rc, stderr);
                        Console.Error.WriteLine($"bench weak: L = {L}, h = {F(h)}, seed {seed + d}: exit {rc} after {F(seconds, "F2")} s");
                        continue;
                    }
                    ok++;
                    var dg = JsonNode.Parse(text)!["diagnostics"]!;
                    s.Add((double)dg["seconds"]!);
                    eig.Add((double)dg["seconds_eigen"]!);
                    rates.Add((double)dg["seconds_rates"]!);
                    elim.Add((double)dg["seconds_elimination"]!);
                    err = Math.Max(err, (double)dg["profile_error_estimate"]!);
                    limit = Math.Min(limit, (double)dg["limit_eps"]!);
                    Console.Error.WriteLine($"bench weak: L = {L}, h = {F(h)}, seed {seed + d}: {F(s[^1], "F2")} s, peak {F(p / 1e6, "F0")} MB, " +
                                            $"profile error estimate {F((double)dg["profile_error_estimate"]!, "E1")}");
                }
                foreach (var l in new[] { s, eig, rates, elim, wall }) l.Sort();
                string none = outcomes.NoCertified;
                string Q(List<double> l, double q) => l.Count > 0 ? F(BenchCommand.Quantile(l, q), "F2") : none;
                double est = Ness.Pipeline.Fermion.WeakCoupling.PauliMasterEquation.Footprint(L, threads, Ness.Pipeline.MemoryBudget.Limit, canSpill: true).Bytes;
                sb.Append($"| {L} | {F(h)} | {ok}/{draws} | {Q(s, 0.5)} | {Q(s, 1)} | {Q(eig, 0.5)} | {Q(rates, 0.5)} | {Q(elim, 0.5)} | " +
                          $"{Q(wall, 0.5)} | {Q(wall, 1)} | {F(peak / 1e6, "F0")} | {F(est / 1e6, "F0")} | {(ok > 0 ? F(err, "E1") : none)} | " +
                          $"{(ok > 0 ? F(limit, "E1") : none)} | {load0} → {BenchCommand.Load()} | {outcomes.Column} |\n");
            }
        return sb.ToString();
    }
}
