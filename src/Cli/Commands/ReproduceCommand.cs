using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using LanguageExt;
using Ness.Cli.Reproduce;
using Ness.Pipeline;
using Ness.Pipeline.Fermion;
using static LanguageExt.Prelude;

namespace Ness.Cli.Commands;

/// <summary>
/// <c>ness reproduce --figure 1..8|table1|all --out DIR [--realizations N] [--length L] [--threads k] [--seed S] [--solver auto|direct|krylov]</c>:
/// the paper's figures and Table 1 (PNG, SVG and the data behind them) in DIR. Defaults are the paper's
/// settings; --realizations and --length override them for a quick look (see docs/reproduction.md).
/// Exit codes: 0 every requested file written; 2 bad input (naming the flag); 3 a figure had nothing
/// certified to plot (its data file still lists the refusals). Progress on stderr; stdout gets one JSON
/// summary of the files written.
/// </summary>
public static class ReproduceCommand
{
    public static readonly string[] FigureNames = ["1", "2", "3", "4", "5", "6", "7", "8", "table1", "all"];
    static readonly string[] Harmonic = ["1", "2", "3", "4", "5"];
    static readonly string[] Fermion = ["6", "7", "8", "table1"];
    public const int MinHarmonicBase = 4, MaxHarmonicBase = 12_500, MinFermionLength = 2;

    public static Command Create()
    {
        var cmd = new Command("reproduce", "Regenerate the paper's figures and Table 1 (PNG, SVG and the data behind them) with the paper's settings.");
        var figure = new System.CommandLine.Option<string>("--figure") { Description = "1..8, table1 or all" };
        var output = new System.CommandLine.Option<string>("--out") { Description = "output directory (created if missing)" };
        var realizations = new System.CommandLine.Option<string>("--realizations") { Description = "override: realizations per ensemble (>= 1) [default: the paper's, 1000 / 50 / 100]" };
        var length = new System.CommandLine.Option<string>("--length") { Description = $"override: fermion chain length for Fig. 6, 7, Table 1 and max length for Fig. 8 ({MinFermionLength}..{FermionParameters.MaxLength}, paper 9); " +
                                                                   $"harmonic base length for Fig. 1-5 ({MinHarmonicBase}..{MaxHarmonicBase}, paper 100; other lengths scale with it)" };
        var threads = new System.CommandLine.Option<string>("--threads") { Description = $"worker threads (>= 1) [default: all cores, here {Environment.ProcessorCount}]" };
        var seed = new System.CommandLine.Option<string>("--seed") { Description = "seed S; realization r of every ensemble draws its disorder from (S, r) as in `ness ensemble` [default: 1]" };
        var solver = new System.CommandLine.Option<string>("--solver") { Description = "fermion steady-state solver for Fig. 6-8 and Table 1: auto|direct|krylov [default: auto]" };
        foreach (var o in new[] { figure, output, realizations, length, threads, seed, solver }) cmd.Options.Add(o);
        cmd.SetAction(p =>
        {
            var settings =
                from fig in p.GetValue(figure) is string f ? Flags.Choice("--figure", f, FigureNames) : FinFail<string>(new BadInput("--figure", "is required (1..8, table1 or all)"))
                from dir in p.GetValue(output) is string d && d.Trim().Length > 0 ? FinSucc(d) : FinFail<string>(new BadInput("--out", "is required (an output directory)"))
                from n in p.GetValue(realizations) is string nt ? Flags.Long("--realizations", nt) : FinSucc(NotGiven) // Fin cannot hold null
                from _1 in n == NotGiven || n >= 1 && n <= EnsembleCommand.MaxRealizations ? FinSucc(unit)
                    : FinFail<Unit>(new BadInput("--realizations", $"{n} is out of range; allowed: 1..{EnsembleCommand.MaxRealizations}"))
                from L in p.GetValue(length) is string lt ? Flags.Long("--length", lt) : FinSucc(NotGiven)
                from _2 in CheckLength(fig.ToLowerInvariant(), L)
                from k in p.GetValue(threads) is string tt ? Flags.Long("--threads", tt) : FinSucc((long)Environment.ProcessorCount)
                from _3 in k >= 1 && k <= EnsembleCommand.MaxThreads ? FinSucc(unit) : FinFail<Unit>(new BadInput("--threads", $"{k} is out of range; allowed: 1..{EnsembleCommand.MaxThreads}"))
                from s in Flags.Long("--seed", p.GetValue(seed) ?? "1")
                from sol in Flags.Choice("--solver", p.GetValue(solver) ?? "auto", "auto", "direct", "krylov")
                from _4 in MakeDir(dir)
                select (fig.ToLowerInvariant(), new ReproduceSettings(dir, n == NotGiven ? null : n, L == NotGiven ? null : (int)L, s, (int)k,
                                                                      Enum.Parse<FermionSolver>(sol, ignoreCase: true)));
            if (settings.IsFail) return Exit.Report((LanguageExt.Common.Error)settings);
            var (which, st) = ((string, ReproduceSettings))settings;
            return Execute(which, st, Console.Out, Console.Error);
        });
        return cmd;
    }

    const long NotGiven = long.MinValue;

    static Fin<Unit> CheckLength(string fig, long l)
    {
        if (l == NotGiven) return unit;
        bool harm = fig == "all" || Harmonic.Contains(fig), ferm = fig == "all" || Fermion.Contains(fig);
        long lo = Math.Max(harm ? MinHarmonicBase : 0, ferm ? MinFermionLength : 0);
        long hi = Math.Min(harm ? MaxHarmonicBase : long.MaxValue, ferm ? FermionParameters.MaxLength : long.MaxValue);
        return l >= lo && l <= hi ? unit
            : new BadInput("--length", $"{l} is out of range for --figure {fig}; allowed: {lo}..{hi}" +
                (fig == "all" ? " (fermion figures take it as the chain length, harmonic figures as the base length)" : ""));
    }

    static Fin<Unit> MakeDir(string dir)
    {
        try { Directory.CreateDirectory(dir); return unit; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return new BadInput("--out", $"cannot create directory '{dir}': {e.Message}");
        }
    }

    public static int Execute(string which, ReproduceSettings s, TextWriter stdout, TextWriter log)
    {
        var sw = Stopwatch.StartNew();
        var realizer = new Realizer(s.Threads, log);
        var figs = new Figures(s, realizer, log);
        var jobs = new (string Name, Action Run)[]
        {
            ("1", figs.Fig1), ("2", figs.Fig2), ("3", figs.Fig3), ("4", figs.Fig4), ("5", figs.Fig5),
            ("6", figs.Fig6), ("table1", figs.Table1), ("7", figs.Fig7), ("8", figs.Fig8),
        };
        try
        {
            foreach (var (name, run) in jobs)
            {
                if (which != "all" && which != name) continue;
                var t = Stopwatch.StartNew();
                log.WriteLine($"reproduce: {(name == "table1" ? "Table 1" : "Fig. " + name)} ...");
                run();
                log.WriteLine($"reproduce: {(name == "table1" ? "Table 1" : "Fig. " + name)} done in {t.Elapsed.TotalSeconds:F1} s");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Exit.Report(new BadInput("--out", $"cannot write into '{s.OutDir}': {e.Message}"));
        }
        var summary = new JsonObject
        {
            ["figure"] = which,
            ["out"] = s.OutDir,
            ["files"] = new JsonArray([.. figs.Files.Select(f => (JsonNode?)Path.GetFileName(f))]),
            ["realizations_computed"] = realizer.Computed,
            ["realizations_refused"] = realizer.Refused,
            ["not_plotted"] = new JsonArray([.. figs.Failed.Select(f => (JsonNode?)f)]),
            ["seconds"] = Math.Round(sw.Elapsed.TotalSeconds, 1),
        };
        log.WriteLine($"reproduce: {figs.Files.Count} files in {s.OutDir}, {realizer.Computed} realizations computed, " +
                      $"{realizer.Refused} refused, {sw.Elapsed.TotalSeconds:F1} s");
        stdout.Write(Output.Json(summary));
        stdout.Flush();
        if (figs.Failed.Count > 0)
        {
            log.WriteLine($"ness: error: nothing certified to plot for {string.Join(", ", figs.Failed)} (see the data files for the refusals)");
            return Exit.Refused;
        }
        return Exit.Ok;
    }
}
