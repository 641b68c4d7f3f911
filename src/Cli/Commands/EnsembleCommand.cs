using System.CommandLine;
using System.Runtime.InteropServices;
using LanguageExt;
using Ness.Cli.Ensemble;
using Ness.Pipeline;
using Ness.Pipeline.Ensemble;
using Ness.Pipeline.Fermion;
using static LanguageExt.Prelude;

namespace Ness.Cli.Commands;

/// <summary>
/// <c>ness ensemble fermion|harmonic ... --realizations N --seed S [--shard i/n] [--out FILE.jsonl] [--threads k]</c>.
/// Exit codes: 0 all realizations of the shard are in the output; 2 bad input (including an --out written
/// with other parameters); 3 a realization failed (numerics refused); 130 interrupted by SIGINT (Ctrl-C),
/// 143 by SIGTERM (e.g. Slurm) — the --out file is then resumable. See docs/ensembles.md.
/// </summary>
public static class EnsembleCommand
{
    public const int Interrupted = 130, Terminated = 143;

    /// <summary>Test-only: delays every realization by this many milliseconds (cancellable), so that
    /// process tests can interrupt a run. Not part of the interface.</summary>
    public const string TestDelayVariable = "NESS_TEST_ONLY_REALIZATION_DELAY_MS";

    sealed class Common
    {
        public readonly System.CommandLine.Option<string> Realizations = new("--realizations") { Description = "number of disorder realizations N (>= 1); realizations are numbered 0..N-1" };
        public readonly System.CommandLine.Option<string> Seed = new("--seed") { Description = "seed S (64-bit integer); realization r draws its disorder from (S, r) alone" };
        public readonly System.CommandLine.Option<string> Shard = new("--shard") { Description = "i/n: run shard i of n (1-based), the realizations r with r mod n = i-1 [default: 1/1]" };
        public readonly System.CommandLine.Option<string> Out = new("--out") { Description = "JSON Lines output; rerunning with the same file resumes [default: stdout, no resume]" };
        public readonly System.CommandLine.Option<string> Threads = new("--threads") { Description = $"worker threads (>= 1) [default: all cores, here {Environment.ProcessorCount}]" };

        public void AddTo(Command c)
        {
            foreach (var o in new[] { Realizations, Seed, Shard, Out, Threads }) c.Options.Add(o);
        }

        public Fin<(long N, long S, Shard Shard, string? Out, int Threads)> Parse(ParseResult p) =>
            from n in Required(p, Realizations).Bind(t => Flags.Long("--realizations", t))
            from _1 in n >= 1 && n <= MaxRealizations ? FinSucc(unit) : FinFail<Unit>(new BadInput("--realizations", $"{n} is out of range; allowed: 1..{MaxRealizations}"))
            from s in Required(p, Seed).Bind(t => Flags.Long("--seed", t))
            from shard in p.GetValue(Shard) is string st ? Pipeline.Ensemble.Shard.Parse("--shard", st) : FinSucc(Pipeline.Ensemble.Shard.All)
            from outPath in p.GetValue(Out) is string o
                ? (o.Trim().Length > 0 ? FinSucc(o) : FinFail<string>(new BadInput("--out", "empty file name")))
                : FinSucc("") // "" = stdout (Fin cannot hold null)
            from k in p.GetValue(Threads) is string tt ? Flags.Long("--threads", tt) : FinSucc((long)Environment.ProcessorCount)
            from _2 in k >= 1 && k <= MaxThreads ? FinSucc(unit) : FinFail<Unit>(new BadInput("--threads", $"{k} is out of range; allowed: 1..{MaxThreads}"))
            select (n, s, shard, outPath.Length > 0 ? outPath : null, (int)k);
    }

    public const long MaxRealizations = 10_000_000;
    public const int MaxThreads = 4096;
    public const int MaxHarmonicLength = Ness.Pipeline.Harmonic.HarmonicParameters.MaxLength;

    public static Command Create()
    {
        var cmd = new Command("ensemble", "Many disorder realizations, in parallel, as JSON Lines (one line per realization); resumable, shardable.");
        cmd.Subcommands.Add(FermionSubcommand());
        cmd.Subcommands.Add(HarmonicSubcommand());
        return cmd;
    }

    static Command FermionSubcommand()
    {
        var cmd = new Command("fermion", "Ensemble of boundary-driven fermion chains with fields h_x uniform in [-W, W].");
        var length = new System.CommandLine.Option<string>("--length") { Description = $"chain length L (1..{FermionParameters.MaxLength})" };
        var disorder = new System.CommandLine.Option<string>("--disorder") { Description = "disorder strength W >= 0: fields uniform in [-W, W]" };
        var hopping = new System.CommandLine.Option<string>("--hopping") { Description = "hopping J [default: 1]" };
        var interaction = new System.CommandLine.Option<string>("--interaction") { Description = "interaction V [default: 1]" };
        var rates = new System.CommandLine.Option<string>("--rates") { Description = "g1p,g1m,gLp,gLm [default: 3,1,2,1]" };
        var solver = new System.CommandLine.Option<string>("--solver") { Description = "auto|direct|krylov [default: auto]" };
        foreach (var o in new[] { length, disorder, hopping, interaction, rates, solver }) cmd.Options.Add(o);
        var common = new Common();
        common.AddTo(cmd);
        cmd.SetAction(p =>
        {
            var options =
                from L in Required(p, length).Bind(t => Flags.Long("--length", t))
                from _0 in L >= 1 && L <= FermionParameters.MaxLength ? FinSucc(unit)
                    : FinFail<Unit>(new BadInput("--length", $"{L} is out of range; allowed: 1..{FermionParameters.MaxLength}"))
                from W in FermionCommand.ModelOptions.Strength(p.GetValue(disorder))
                from J in Flags.Double("--hopping", p.GetValue(hopping) ?? "1")
                from V in Flags.Double("--interaction", p.GetValue(interaction) ?? "1")
                from g in Flags.Doubles("--rates", p.GetValue(rates) ?? "3,1,2,1", 4, "rates g1p,g1m,gLp,gLm")
                from s in Flags.Choice("--solver", p.GetValue(solver) ?? "auto", "auto", "direct", "krylov")
                let sol = Enum.Parse<FermionSolver>(s, ignoreCase: true)
                from _2 in FermionParameters.Create((int)L, J, V, g, new double[L], sol)
                select new FermionEnsembleOptions((int)L, W, J, V, g, sol);
            return Execute(p, common, options.Map(Models.Fermion));
        });
        return cmd;
    }

    static Command HarmonicSubcommand()
    {
        var cmd = new Command("harmonic", "Ensemble of pinned harmonic chains with pinning V_x uniform in [a, b].");
        var length = new System.CommandLine.Option<string>("--length") { Description = $"chain length L (2..{MaxHarmonicLength})" };
        var range = new System.CommandLine.Option<string>("--pinning-range")
        {
            Description = "a,b: pinning uniform in [a, b], 0 < a <= b (default 1,2: the paper states none; docs/numerics.md uses [1, 2])",
            DefaultValueFactory = _ => "1,2",
        };
        var coupling = new System.CommandLine.Option<string>("--coupling") { Description = "coupling g > 0 [default: 0.1]" };
        var bath = new System.CommandLine.Option<string>("--bath-coupling") { Description = "bath coupling LAMBDA > 0 (exact NESS); or --weak-coupling" };
        var weak = new System.CommandLine.Option<bool>("--weak-coupling") { Description = "the LAMBDA -> 0 limit, eq. (2.9); or --bath-coupling" };
        var temps = new System.CommandLine.Option<string>("--temperatures") { Description = "T1,TL >= 0 [default: 1,2]" };
        cmd.Options.Add(length); cmd.Options.Add(range); cmd.Options.Add(coupling);
        cmd.Options.Add(bath); cmd.Options.Add(weak); cmd.Options.Add(temps);
        var common = new Common();
        common.AddTo(cmd);
        cmd.SetAction(p =>
        {
            var options =
                from L in Required(p, length).Bind(t => Flags.Long("--length", t))
                from _0 in L >= 2 && L <= MaxHarmonicLength ? FinSucc(unit)
                    : FinFail<Unit>(new BadInput("--length", $"{L} is out of range; allowed: 2..{MaxHarmonicLength}"))
                from ab in Required(p, range).Bind(t => Flags.Doubles("--pinning-range", t, 2, "bounds a,b"))
                from _1 in ab[0] > 0 && ab[0] <= ab[1] ? FinSucc(unit)
                    : FinFail<Unit>(new BadInput("--pinning-range", $"{ab[0]},{ab[1]} is out of range; allowed: 0 < a <= b"))
                from g in Flags.Double("--coupling", p.GetValue(coupling) ?? "0.1")
                from _2 in g > 0 ? FinSucc(unit) : FinFail<Unit>(new BadInput("--coupling", $"{g} is out of range; allowed: g > 0"))
                from lam in (p.GetValue(bath), p.GetValue(weak)) switch
                {
                    (string t, false) => Flags.Double("--bath-coupling", t).Bind(x => x > 0
                        ? FinSucc(x)
                        : FinFail<double>(new BadInput("--bath-coupling", $"{x} is out of range; allowed: LAMBDA > 0 (or --weak-coupling)"))),
                    (null, true) => FinSucc(double.NaN), // NaN here = weak coupling (Fin cannot hold null)
                    (string, true) => FinFail<double>(new BadInput("--bath-coupling", "give either --bath-coupling LAMBDA or --weak-coupling, not both")),
                    _ => FinFail<double>(new BadInput("--bath-coupling", "required: --bath-coupling LAMBDA (> 0) or --weak-coupling")),
                }
                from T in Flags.Doubles("--temperatures", p.GetValue(temps) ?? "1,2", 2, "temperatures T1,TL")
                from _3 in T[0] >= 0 && T[1] >= 0 ? FinSucc(unit) : FinFail<Unit>(new BadInput("--temperatures", "out of range; allowed: T1, TL >= 0"))
                select new HarmonicEnsembleOptions((int)L, ab[0], ab[1], g, double.IsNaN(lam) ? null : lam, T);
            return Execute(p, common, options.Map(Models.Harmonic));
        });
        return cmd;
    }

    static Fin<string> Required(ParseResult p, System.CommandLine.Option<string> o) =>
        p.GetValue(o) is string s ? FinSucc(s) : FinFail<string>(new BadInput(o.Name, "is required"));

    static int Execute(ParseResult p, Common common, Fin<EnsembleModel> model)
    {
        var request =
            from m in model
            from c in common.Parse(p)
            select new EnsembleRequest(WithTestDelay(m), c.S, c.N, c.Shard, c.Out, c.Threads);
        if (request.IsFail) return Exit.Report((LanguageExt.Common.Error)request);
        var req = (EnsembleRequest)request;

        using var cts = new CancellationTokenSource();
        int interruptCode = Interrupted;
        PosixSignalRegistration Trap(PosixSignal signal, int code) => PosixSignalRegistration.Create(signal, ctx =>
        {
            if (cts.IsCancellationRequested) return; // second signal: default action (terminate); --out stays resumable
            ctx.Cancel = true;
            interruptCode = code;
            Console.Error.WriteLine($"ness: {signal}: finishing the realizations in flight, starting no new ones (signal again to abort at once)");
            cts.Cancel();
        });
        using var sigint = Trap(PosixSignal.SIGINT, Interrupted);
        using var sigterm = Trap(PosixSignal.SIGTERM, Terminated);
        var outcome = EnsembleRunner.Run(req, Console.Out, Console.Error, IEnsembleProgress.ForStderr(), cts.Token);
        return Conclude(req, outcome, Console.Error, interruptCode);
    }

    /// <summary>Exit code and final stderr message for an outcome.</summary>
    public static int Conclude(EnsembleRequest req, EnsembleOutcome o, TextWriter log, int interruptCode = Interrupted)
    {
        var where = req.OutPath ?? "stdout";
        if (o.Error is not null)
        {
            if (o.Written > 0) log.WriteLine($"ness: {o.Written} realization(s) written to {where} before the failure");
            return Exit.Report(o.Error);
        }
        if (o.Interrupted)
        {
            log.WriteLine($"ness: interrupted: {o.Written + o.Skipped} of {o.Total} realizations of shard {req.Shard} are in {where}" +
                (req.OutPath is not null ? "; rerun the same command to resume" : ""));
            return interruptCode;
        }
        log.WriteLine($"ness: ensemble {req.Model.Name}: shard {req.Shard}, {o.Total} realization(s) in {where} " +
                      $"({o.Written} computed now, {o.Skipped} already there)");
        return Exit.Ok;
    }

    static EnsembleModel WithTestDelay(EnsembleModel m)
    {
        if (!int.TryParse(Environment.GetEnvironmentVariable(TestDelayVariable), out var ms) || ms <= 0) return m;
        return m with
        {
            Realize = (s, r, ct) => ct.WaitHandle.WaitOne(ms)
                ? FinFail<System.Text.Json.Nodes.JsonObject>(new NumericsRefused("cancelled"))
                : m.Realize(s, r, ct),
        };
    }
}
