using System.CommandLine;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using LanguageExt;
using Ness.Cli.Reproduce;
using Ness.Pipeline;
using Ness.Pipeline.Fermion;
using static LanguageExt.Prelude;

namespace Ness.Cli.Commands;

/// <summary>
/// <c>ness reproduce --figure 1..8|table1|fermion-free|conductance|lattice|weak-interacting|all --out DIR [--realizations N] [--length L] [--threads k] [--seed S] [--solver auto|direct|krylov]</c>:
/// the paper's figures and Table 1 (PNG, SVG and the data behind them) in DIR, and four figures beyond the paper:
/// fermion-free (the V = 0 fermion chain's step at L = 50..400, Gaussian solver), conductance (mean ln(J/λ) of
/// the weak-coupling harmonic chain vs L), lattice (the d = 3 argument after eq. 2.10: slice-averaged T on boxes
/// in Z^d, weak and strong disorder, weak coupling and lambda = 1) and weak-interacting (the V = 1 fermion chain at
/// weak coupling beside V = 0, issue 20). Defaults are the paper's
/// settings; --realizations and --length override them for a quick look (see docs/reproduction.md).
/// Exit codes: 0 every requested file written; 2 bad input (naming the flag); 3 a figure had nothing
/// certified to plot (its data file still lists the refusals). Progress on stderr; stdout gets one JSON
/// summary of the files written.
/// </summary>
public static class ReproduceCommand
{
    /// <summary>One figure of <c>reproduce</c>: its --figure name, its title in messages, the range --length may take
    /// for it (the base length of the harmonic figures, the chain length of the fermion figures) and how it is drawn.
    /// A new figure is one more entry of <see cref="Jobs"/> and its name in <see cref="FigureNames"/>.</summary>
    public sealed record Job(string Name, string Title, (int Lo, int Hi) Length, Action<Figures> Draw)
    {
        /// <summary>The start of the names of its files in DIR.</summary>
        public string Files => char.IsDigit(Name[0]) ? "fig" : Name;
    }

    public const int MinHarmonicBase = 4, MaxHarmonicBase = 12_500, MinFermionLength = 2, MinLatticeSize = 4, MaxLatticeSize = 16;
    static readonly (int, int) HarmonicBase = (MinHarmonicBase, MaxHarmonicBase), FermionChain = (MinFermionLength, FermionParameters.MaxLength),
        LatticeSize = (MinLatticeSize, MaxLatticeSize);   // --length: the base length; the chain length; NX of every box

    /// <summary>The figures, in the order <c>--figure all</c> draws them (figures that share ensembles one after the other).</summary>
    public static readonly Job[] Jobs =
    [
        new("1", "Fig. 1", HarmonicBase, f => f.Fig1()),
        new("2", "Fig. 2", HarmonicBase, f => f.Fig2()),
        new("3", "Fig. 3", HarmonicBase, f => f.Fig3()),
        new("4", "Fig. 4", HarmonicBase, f => f.Fig4()),
        new("5", "Fig. 5", HarmonicBase, f => f.Fig5()),
        new("6", "Fig. 6", FermionChain, f => f.Fig6()),
        new("table1", "Table 1", FermionChain, f => f.Table1()),
        new("7", "Fig. 7", FermionChain, f => f.Fig7()),
        new("8", "Fig. 8", FermionChain, f => f.Fig8()),
        new("conductance", "figure conductance", HarmonicBase, f => f.Conductance()),
        new("fermion-free", "figure fermion-free", HarmonicBase, f => f.FermionFree()),
        new("lattice", "figure lattice", LatticeSize, f => f.Lattice()),
        new("weak-interacting", "figure weak-interacting", FermionChain, f => f.WeakInteracting()),   // --length: the largest length
    ];

    /// <summary>The values of --figure, as --help lists them.</summary>
    public static readonly string[] FigureNames = ["1", "2", "3", "4", "5", "6", "7", "8", "table1", "fermion-free", "conductance", "lattice", "weak-interacting", "all"];

    static IEnumerable<Job> Selected(string which) => Jobs.Where(j => which == "all" || which == j.Name);

    public static Command Create()
    {
        var cmd = new Command("reproduce", "Regenerate the paper's figures and Table 1 (PNG, SVG and the data behind them) with the paper's settings; " +
            "also fermion-free (free-fermion step vs L), conductance (harmonic ln(J/λ) vs L), lattice and weak-interacting (the V = 1 fermion chain " +
            "at weak coupling beside V = 0), beyond the paper (docs/reproduction.md).");
        var figure = Flags.Choice("--figure", "Which figure: the paper's 1-8 and table1; fermion-free, conductance, lattice, weak-interacting (beyond the paper); all.", FigureNames).Required();
        var output = Flags.Text("--out", "Output directory (created if missing).").Required();
        var realizations = Flags.Long("--realizations",
            $"Override: realizations per ensemble (1..{EnsembleCommand.MaxRealizations}); default: the paper's, 1000 / 50 / 100; fermion-free and conductance 1000; lattice {Figures.LatticeRealizations}; " +
            "weak-interacting V = 1: 200, 100, 40, 2 at L = 8, 10, 12, 14 (1 above), V = 0: 1000.",
            1, EnsembleCommand.MaxRealizations);
        var length = Flags.Long("--length",
            $"Override: fermion chain length for Fig. 6, 7, Table 1 and max length for Fig. 8 ({MinFermionLength}..{FermionParameters.MaxLength}, paper 9); " +
            $"largest length for weak-interacting (lengths L-6, L-4, L-2, L; 14 if not given; one V = 1 draw at 16 takes ~40 min); " +
            $"base length for Fig. 1-5, fermion-free and conductance ({MinHarmonicBase}..{MaxHarmonicBase}, paper 100; other lengths scale with it); " +
            $"box size NX in every d for lattice ({MinLatticeSize}..{MaxLatticeSize}; without it 8, 8, 6 for d = 1, 2, 3).",
            aliases: "-L");
        var threads = EnsembleCommand.ThreadsFlag();
        var seed = Flags.Long("--seed", "Seed S; realization r of every ensemble draws its disorder from (S, r) as in `ness ensemble`.").Default(1);
        var solver = Flags.Choice<FermionSolver>("--solver", "Fermion steady-state solver for Fig. 6-8 and Table 1 (fermion-free always uses gaussian).").Default(FermionSolver.Auto);
        var force = Flags.Switch("--force", "Write into a directory made with other settings (seed, realizations, length, solver); its figures are replaced.");
        var waitLock = EnsembleCommand.WaitLockFlag("the --out directory");
        foreach (var o in new System.CommandLine.Option[] { figure, output, realizations, length, threads, seed, solver, force, waitLock }) cmd.Options.Add(o);
        cmd.SetAction(p =>
        {
            var which = p.Value(figure).ToLowerInvariant();
            var dir = p.Value(output);
            var settings =
                from L in p.Given(length).Map(l => CheckLength(which, l)).Sequence()
                from k in KrylovFlags.Parse(1, Environment.GetEnvironmentVariable)   // one solver thread per realization
                from _ in MakeDir(dir)
                select new ReproduceSettings(dir, p.Given(realizations), L, p.Value(seed), p.Value(threads), p.Value(solver)) { Krylov = k };
            if (settings.IsFail) return Exit.Report((LanguageExt.Common.Error)settings);
            // one writer per directory: an OS lock on DIR/.ness-lock, which dies with its process; taken before
            // the directory's manifest is read or written
            var held = OutputLock.Acquire(dir, Path.Combine(dir, LockName), "--out", p.Value(waitLock), Console.Error);
            if (held.IsFail) return Exit.Report((LanguageExt.Common.Error)held);
            using var _lock = (OutputLock)held;
            var claimed = Claim((ReproduceSettings)settings, p.Value(force));
            if (claimed.IsFail) return Exit.Report((LanguageExt.Common.Error)claimed);
            return Execute(which, (ReproduceSettings)settings, Console.Out, Console.Error);
        });
        return cmd;
    }

    /// <summary>The lock file of an output directory (see <see cref="OutputLock"/>).</summary>
    public const string LockName = ".ness-lock";

    static Fin<Unit> MakeDir(string dir)
    {
        try { Directory.CreateDirectory(dir); return unit; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return File.Exists(dir) ? new BadInput("--out", $"'{dir}' is a file; give a directory")
                                    : OutputLock.Cannot("--out", dir, "create the directory", e);
        }
    }

    static Fin<int> CheckLength(string fig, long l)
    {
        var jobs = Selected(fig).ToList();
        int lo = jobs.Max(j => j.Length.Lo), hi = jobs.Min(j => j.Length.Hi);
        return l >= lo && l <= hi ? (int)l
            : new BadInput("--length", $"{l} is out of range for --figure {fig}; allowed: {lo}..{hi}" +
                (fig == "all" ? " (Fig. 6-8 and Table 1 take it as the chain length, lattice as the box size NX, the other figures as the base length)" : ""));
    }

    /// <summary>Creates DIR and DIR/data, or checks that an existing DIR was made with the same settings
    /// (DIR/reproduce.json); refuses (exit 2) a directory of other settings, or one with figures but no
    /// manifest (an older ness, or by hand), unless <paramref name="force"/>. Then writes the manifest.</summary>
    static Fin<Unit> Claim(ReproduceSettings s, bool force)
    {
        try
        {
            Directory.CreateDirectory(s.OutDir);
            var mine = s.Manifest();
            if (!force && File.Exists(s.ManifestPath))
            {
                JsonObject? theirs;
                try { theirs = JsonNode.Parse(File.ReadAllText(s.ManifestPath)) as JsonObject; }
                catch (System.Text.Json.JsonException) { theirs = null; }
                if (theirs is null)
                    return new BadInput("--out", $"'{s.ManifestPath}' is not a reproduce manifest; use another --out or --force");
                var settings = new JsonObject(theirs.Where(kv => mine.ContainsKey(kv.Key))
                                                    .Select(kv => KeyValuePair.Create(kv.Key, kv.Value?.DeepClone())));
                if (Pipeline.Ensemble.EnsembleLine.Canonical(settings) != Pipeline.Ensemble.EnsembleLine.Canonical(mine))
                    return new BadInput("--out", $"'{s.OutDir}' was made with other settings: " +
                        Pipeline.Ensemble.EnsembleLine.Difference(mine, settings, "this run", "the directory") +
                        "; use another --out, the same settings (to resume), or --force to replace its figures");
            }
            else if (!force && Directory.EnumerateFiles(s.OutDir).Any(f => Path.GetFileName(f) is var n && Jobs.Any(j => n.StartsWith(j.Files, StringComparison.Ordinal))))
                return new BadInput("--out", $"'{s.OutDir}' holds figures but no reproduce.json (made by an older ness or by hand), " +
                    "so its settings are unknown; use another --out or --force");
            Directory.CreateDirectory(s.DataDir);
            var manifest = (JsonObject)mine.DeepClone();
            manifest["version"] = BuildInfo.Version;
            manifest["commit"] = Json.ProvenanceJson.Commit;
            File.WriteAllText(s.ManifestPath, Output.Json(manifest));
            return unit;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return OutputLock.Cannot("--out", s.OutDir, "use the directory", e);
        }
    }

    /// <param name="drawn">told every figure (name, model) before it is rendered (for tests)</param>
    public static int Execute(string which, ReproduceSettings s, TextWriter stdout, TextWriter log, Action<string, Figure>? drawn = null)
    {
        var sw = Stopwatch.StartNew();
        using var interrupt = new Interruption(log, () =>
            $"ness: interrupted again: aborting now; the realizations finished so far are kept in {s.DataDir}; " +
            "run the same command again to resume");
        var realizer = new Realizer(s.Threads, log, s.DataDir, interrupt.Token);
        var figs = new Figures(s, realizer, log) { Drawn = drawn };
        return Draw(which, s, figs, realizer, log, interrupt.Code).Match(
            Some: code => code,
            None: () => Conclude(which, s, figs, realizer, sw.Elapsed, stdout, log));
    }

    /// <summary>Draws the selected figures; the exit code if that stopped early (interrupted, a damaged data file, a
    /// failure of the runner or of the disk).</summary>
    static LanguageExt.Option<int> Draw(string which, ReproduceSettings s, Figures figs, Realizer realizer, TextWriter log, int interrupted)
    {
        try
        {
            foreach (var job in Selected(which))
            {
                var t = Stopwatch.StartNew();
                log.WriteLine($"reproduce: {job.Title} ...");
                job.Draw(figs);
                log.WriteLine($"reproduce: {job.Title} done in {t.Elapsed.TotalSeconds:F1} s");
            }
            return None;
        }
        catch (OperationCanceledException)
        {
            log.WriteLine($"ness: reproduce interrupted: {realizer.Computed} realizations computed in this run are kept in {s.DataDir}; " +
                          "run the same command again to resume (only the missing realizations are computed)");
            return interrupted;
        }
        catch (InvalidDataException e)
        {
            return Exit.Report(new BadInput("--out", e.Message));
        }
        catch (Realizer.Failed e)
        {
            return Exit.Report(e.Error);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Exit.Report(new IoFailure($"--out: cannot write into '{s.OutDir}': {e.Message}; the files written before are intact"));
        }
    }

    /// <summary>The JSON summary of the files written (stdout) and the closing line (stderr); exit 3 if a figure had
    /// nothing certified to plot.</summary>
    static int Conclude(string which, ReproduceSettings s, Figures figs, Realizer realizer, TimeSpan elapsed, TextWriter stdout, TextWriter log)
    {
        log.WriteLine($"reproduce: {figs.Files.Count} files in {s.OutDir}, {realizer.Computed} realizations computed, {realizer.Resumed} read from {s.DataDir}, " +
                      $"{realizer.Refused} refused, {elapsed.TotalSeconds:F1} s");
        try
        {
            stdout.Write(Output.Json(Summary(which, s, figs, realizer, elapsed)));
            stdout.Flush();
        }
        catch (IOException e)
        {
            return Exit.Report(new IoFailure($"cannot write to stdout: {e.Message} (the files in '{s.OutDir}' are written)"));
        }
        if (figs.Failed.Count > 0)
        {
            log.WriteLine($"ness: error: nothing certified to plot for {string.Join(", ", figs.Failed)} (see the data files for the refusals)");
            return Exit.Refused;
        }
        return Exit.Ok;
    }

    static JsonObject Summary(string which, ReproduceSettings s, Figures figs, Realizer realizer, TimeSpan elapsed) => new()
    {
        ["figure"] = which,
        ["out"] = s.OutDir,
        ["files"] = new JsonArray([.. figs.Files.Select(f => (JsonNode?)Path.GetFileName(f))]),
        ["realizations_computed"] = realizer.Computed,
        ["realizations_resumed"] = realizer.Resumed,
        ["realizations_refused"] = realizer.Refused,
        ["not_plotted"] = new JsonArray([.. figs.Failed.Select(f => (JsonNode?)f)]),
        ["seconds"] = Math.Round(elapsed.TotalSeconds, 1),
        ["provenance"] = new JsonObject
        {
            ["version"] = BuildInfo.Version,
            ["commit"] = Json.ProvenanceJson.Commit,
            ["settings"] = s.Manifest(),
        },
    };
}
