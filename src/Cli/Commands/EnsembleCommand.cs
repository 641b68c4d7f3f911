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
/// Exit codes: 0 all realizations of the shard are in the output (a realization the numerics refused is recorded with
/// its reason and counted in the summary on stderr, not a failure); 2 bad input (including an --out written
/// with other parameters or a damaged line); 130 interrupted by SIGINT (Ctrl-C),
/// 143 by SIGTERM (e.g. Slurm) — the --out file is then resumable. See docs/ensembles.md.
/// </summary>
public static class EnsembleCommand
{
    public const int Interrupted = Exit.Interrupted, Terminated = Exit.Terminated;

    /// <summary>The flags every ensemble has (and <c>reproduce</c> shares --threads and --seed with).</summary>
    sealed class Common
    {
        public readonly Flag<long> Realizations = Flags.Long("--realizations",
            $"Number of disorder realizations N (1..{MaxRealizations}); realizations are numbered 0..N-1.", 1, MaxRealizations).Required();
        public readonly Flag<long> Seed = Flags.Long("--seed", "Seed S (64-bit integer); realization r draws its disorder from (S, r) alone.").Required();
        public readonly Flag<Shard> Shard = Flags.Of("--shard", "i/n: run shard i of n (1-based), the realizations r with r mod n = i-1.",
            t => Pipeline.Ensemble.Shard.Parse("--shard", t)).Default(Pipeline.Ensemble.Shard.All);
        public readonly Flag<string> Out = Flags.Text("--out", "JSON Lines output file; rerunning with the same file resumes. " +
            "Without it the lines go to stdout (no resume).");
        public readonly Flag<int> Threads = ThreadsFlag();
        public readonly Flag<bool> WaitLock = WaitLockFlag("--out");
        public readonly Flag<bool> RetryRefused = Flags.Switch("--retry-refused",
            "Compute again the realizations --out records as refused by the numerics (a rerun skips them otherwise).");

        public void AddTo(Command c)
        {
            foreach (var o in new System.CommandLine.Option[] { Realizations, Seed, Shard, Out, Threads, WaitLock, RetryRefused }) c.Options.Add(o);
        }

        public EnsembleRequest Request(ParseResult p, EnsembleModel m) =>
            new(m, p.Value(Seed), p.Value(Realizations), p.Value(Shard),
                p.Given(Out), p.Value(Threads), p.Value(WaitLock), p.Value(RetryRefused));
    }

    /// <summary>--threads k (1..<see cref="MaxThreads"/>), one flag for every command: the threads of the krylov
    /// solver for a single run, the realizations solved at once (one solver thread each) for ensembles. Default:
    /// SLURM_CPUS_PER_TASK inside a Slurm allocation (when it is a valid count), else all cores.</summary>
    public static Flag<int> ThreadsFlag()
    {
        int k = DefaultThreads(Environment.GetEnvironmentVariable);
        return Flags.Int("--threads", $"Threads (1..{MaxThreads}): of the krylov solver for one run; realizations solved " +
                                      "at once (one solver thread each) for ensembles.", 1, MaxThreads)
            .Default(k, $"SLURM_CPUS_PER_TASK if set, else all cores; here {k}");
    }

    public static int DefaultThreads(Func<string, string?> env) =>
        int.TryParse(env("SLURM_CPUS_PER_TASK"), out var k) && k is >= 1 and <= MaxThreads ? k : Environment.ProcessorCount;

    /// <summary>--wait-lock: wait for another run writing the same output instead of exiting 4.</summary>
    public static Flag<bool> WaitLockFlag(string output) =>
        Flags.Switch("--wait-lock", $"If another run is writing {output}, wait for it to finish instead of exiting 4.");

    public const long MaxRealizations = 10_000_000;
    public const int MaxThreads = 4096;

    public static Command Create()
    {
        var cmd = new Command("ensemble", "Many disorder realizations, in parallel, as JSON Lines (one line per realization); resumable, shardable.");
        cmd.Subcommands.Add(FermionSubcommand());
        cmd.Subcommands.Add(HarmonicSubcommand());
        return cmd;
    }

    static Command FermionSubcommand()
    {
        var cmd = new Command("fermion", "Ensemble of boundary-driven fermion chains with fields h_x uniform in [-W, W] (--disorder W).");
        var m = new FermionOptions();
        m.AddTo(cmd);
        var common = new Common();
        common.AddTo(cmd);
        cmd.SetAction(p => Execute(p, common,
            from W in m.Strength(p)
            let o = new FermionEnsembleOptions(p.Value(m.Length), W, p.Value(m.Hopping), p.Value(m.Interaction), p.Value(m.Rates), p.Value(m.Solver),
                p.Value(m.WeakCoupling))
            from _ in FermionParameters.Validate(o.Length, o.Hopping, o.Interaction, o.Rates)   // the fields are drawn per realization
            from k in KrylovFlags.Parse(1, Environment.GetEnvironmentVariable)   // one solver thread per realization
            from plan in SolverPlan.Fermion(o.Length, o.Interaction, o.Solver, SolverOptions.Default with { Krylov = k }, weakCoupling: o.WeakCoupling)
            select Models.Fermion(o, plan)));
        return cmd;
    }

    static Command HarmonicSubcommand()
    {
        var cmd = new Command("harmonic", "Ensemble of pinned harmonic chains with pinning V_x uniform in [a, b] (--pinning-range a,b).");
        var m = new HarmonicOptions();
        m.AddTo(cmd);
        var common = new Common();
        common.AddTo(cmd);
        var box = new LatticeOptions();
        box.AddTo(cmd, threads: false);
        cmd.SetAction(p =>
        {
            var ab = p.Value(m.PinningRange);
            return Execute(p, common, p.Given(box.Shape).IsSome
                ? from t in box.Parameters(p, m, None, Some(0L)) // checks every flag; the pinning is drawn per realization
                  select LatticeModel.Of(new LatticeEnsembleOptions(t, ab[0], ab[1]))
                : from _ in Ness.Pipeline.Harmonic.HarmonicParameters.Validate(p.Value(m.Length), p.Value(m.Coupling),
                      p.Given(m.BathCoupling), p.Value(m.WeakCoupling), p.Value(m.Temperatures))   // the pinning is drawn per realization
                  from __ in Ness.Pipeline.Harmonic.HarmonicParameters.ValidateRange(ab)
                  select Models.Harmonic(new HarmonicEnsembleOptions(p.Value(m.Length), ab[0], ab[1], p.Value(m.Coupling),
                      p.Given(m.BathCoupling), p.Value(m.Temperatures))));
        });
        return cmd;
    }

    static int Execute(ParseResult p, Common common, Fin<EnsembleModel> model) =>
        model.Match(m => Execute(common.Request(p, m)), Exit.Report);

    static int Execute(EnsembleRequest req)
    {
        using var interrupt = new Interruption(Console.Error, () =>
            $"ness: interrupted again: aborting now; the realizations finished so far are in {req.Where}" +
            (req.Resumable ? "; rerun the same command to resume" : ""));
        var outcome = EnsembleRunner.Run(req, Console.Out, Console.Error, IEnsembleProgress.ForStderr(), interrupt.Token);
        return Conclude(req, outcome, Console.Error, interrupt.Code);
    }

    /// <summary>Exit code and final stderr message for an outcome.</summary>
    public static int Conclude(EnsembleRequest req, EnsembleOutcome o, TextWriter log, int interruptCode = Interrupted)
    {
        var where = req.Where;
        if (o.Error is not null)
        {
            if (o.Written > 0) log.WriteLine($"ness: {o.Written} realization(s) written to {where} before the failure");
            return Exit.Report(o.Error);
        }
        if (o.Interrupted)
        {
            log.WriteLine($"ness: interrupted: {o.Written + o.Skipped} of {o.Total} realizations of shard {req.Shard} are in {where}" +
                (req.Resumable ? "; rerun the same command to resume" : ""));
            return interruptCode;
        }
        log.WriteLine($"ness: ensemble {req.Model.Name}: shard {req.Shard}, {o.Total} realization(s) in {where} " +
                      $"({o.Written} computed now, {o.Skipped} already there)" +
                      (o.Refused > 0
                          ? $"; {o.Refused} of them refused by the numerics, recorded with their reasons (not averaged; " +
                            "'ness aggregate' counts them; --retry-refused computes them again)"
                          : ""));
        return Exit.Ok;
    }
}
