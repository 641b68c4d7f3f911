using System.Diagnostics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Ness.Tests.Cli;

/// <summary>A command line: the command, then groups of tokens (a flag and its value, or a stray token), in the
/// order they are given. Shrinks by dropping groups.</summary>
public sealed record CommandLine(string[] Command, string[][] Groups)
{
    public string[] Args => [.. Command, .. Groups.SelectMany(g => g)];
    public override string ToString() => string.Join(" ", Args.Select(a => a.Length == 0 || a.Any(char.IsWhiteSpace) ? $"'{a}'" : a));
}

/// <summary>Command lines from a grammar of the real flags: well-formed ones (every needed flag, good values) and
/// hostile ones (values out of range, NaN, huge, empty, unicode, negative zero; flags missing, unknown, repeated;
/// any order). Lengths stay small so that every run is quick.</summary>
public static class CommandLines
{
    static readonly Scratch Scratch = NessProcess.TempDir();
    static readonly string Dir = Scratch.Path;

    static CommandLines() => AppDomain.CurrentDomain.ProcessExit += (_, _) => Scratch.Dispose();   // the fuzz runs share it

    static readonly string[] Junk = ["", " ", "NaN", "nan", "-0", "+0", "1e309", "-1e309", "Infinity", "99999999999999999999",
        "-99999999999999999999", "-1", "0", "٣", "１", "ü", "x", "1,2", ",", "1;2", "0x10", "1_000", "@args.rsp", "--", "-"];

    /// <summary>A value: one of the good ones, or (with weight <paramref name="junk"/> against 10) a hostile one.</summary>
    static Gen<string> Value(int junk, params string[] good) =>
        junk == 0 ? Gen.Elements(good) : Gen.Frequency((10, Gen.Elements(good)), (junk, Gen.Elements(Junk)));

    static Gen<string> List(int junk, int min, int max, params string[] items)
    {
        var good = from n in Gen.Choose(min, max) from xs in Gen.ArrayOf(Gen.Elements(items), n) select string.Join(",", xs);
        return junk == 0 ? good : Gen.Frequency((10, good), (junk, Gen.Elements(Junk)));
    }

    static Gen<string[]> Flag(string name, Gen<string> value) => value.Select(v => new[] { name, v });

    static Gen<string[]> Length(int junk, params string[] good) =>
        from name in Gen.Elements("--length", "-L") from v in Value(junk, good) select new[] { name, v };

    /// <summary>The flags of a command: those a run needs and the others.</summary>
    sealed record Grammar(string[] Command, Gen<string[]>[] Needed, Gen<string[]>[] Optional);

    static Gen<string[]>[] FermionModel(int junk) =>
    [
        Flag("--hopping", Value(junk, "1", "0.5", "-1", "0")), // J = 0: the steady state is not unique (exit 3)
        Flag("--interaction", Value(junk, "1", "0", "2")),
        Flag("--rates", List(junk, 4, 4, "0", "1", "2", "3")),
        Flag("--solver", Value(junk, "auto", "direct", "krylov")),
    ];

    static Gen<string[]>[] HarmonicModel(int junk) =>
    [
        Flag("--pinning-range", List(junk, 2, 2, "1", "2", "1.5")),
        Flag("--coupling", Value(junk, "0.1", "1", "0.3")),
        Flag("--temperatures", List(junk, 2, 2, "1", "2", "0")),
    ];

    static Gen<string[]>[] Ensemble(int junk) =>
    [
        Flag("--shard", Value(junk, "1/1", "1/2", "2/2")),
        Flag("--out", junk == 0
            ? Gen.Choose(0, 5).Select(i => Path.Combine(Dir, $"e{i}.jsonl"))
            : Gen.Frequency((6, Gen.Choose(0, 5).Select(i => Path.Combine(Dir, $"e{i}.jsonl"))),
                            (junk, Gen.Elements(Dir, "/nonexistent-ness/e.jsonl", "", "/dev/null")))),
        Flag("--threads", Value(junk, "1", "2")),
        Gen.Constant(new[] { "--wait-lock" }),
    ];

    static Grammar[] Grammars(int junk) =>
    [
        new(["fermion"],
            [Length(junk, "1", "2", "3", "4", "5"), Flag("--disorder", Value(junk, "0", "1", "5")), Flag("--seed", Value(junk, "1", "2", "-5"))],
            [.. FermionModel(junk), Flag("--format", Value(junk, "json", "csv", "table"))]),
        new(["fermion"],
            [Length(junk, "3"), Flag("--fields", List(junk, 3, 3, "0", "1", "-2", "1e6"))],
            [.. FermionModel(junk), Flag("--format", Value(junk, "json", "csv", "table"))]),
        new(["harmonic"],
            [Length(junk, "2", "3", "5", "6"), Flag("--seed", Value(junk, "1", "2")),
             Gen.Elements(new[] { "--weak-coupling" }, new[] { "--bath-coupling", "0.5" }, new[] { "--bath-coupling", "2" })],
            [.. HarmonicModel(junk), Flag("--format", Value(junk, "json", "csv", "table"))]),
        new(["ensemble", "fermion"],
            [Length(junk, "2", "3", "4"), Flag("--disorder", Value(junk, "1", "5")), Flag("--seed", Value(junk, "1", "42")),
             Flag("--realizations", Value(junk, "1", "2", "3"))],
            [.. FermionModel(junk), .. Ensemble(junk)]),
        new(["ensemble", "harmonic"],
            [Length(junk, "2", "4", "6"), Flag("--seed", Value(junk, "1", "42")), Flag("--realizations", Value(junk, "1", "2", "3")),
             Gen.Elements(new[] { "--weak-coupling" }, new[] { "--bath-coupling", "1" })],
            [.. HarmonicModel(junk), .. Ensemble(junk)]),
        new(["aggregate"],
            [Gen.Elements(new[] { Path.Combine(Dir, "e0.jsonl") }, new[] { Path.Combine(Dir, "e1.jsonl") })],
            [Flag("--format", Value(junk, "json", "csv", "table"))]),
    ];

    static readonly Gen<string[]>[] Stray =
    [
        Gen.Elements(new[] { "--lenght", "3" }, new[] { "--foo", "1" }, new[] { "-x" }, new[] { "extra" }, new[] { "--length" },
                     new[] { "--verbose" }, new[] { "--seed" }, new[] { "-L", "3", "-L", "4" }, new[] { "--fields", "NaN" },
                     new[] { "--rates", "3,1,2" }, new[] { "--realizations", "10000001" }, new[] { "--threads", "0" },
                     new[] { "--disorder", "1e7" }, new[] { "-L", "17" }, new[] { "-L", "100001" }, new[] { "--out", "" },
                     new[] { "/nonexistent-ness/a.jsonl" }, new[] { "--solver", "mps" }),
    ];

    /// <summary>Well-formed: every needed flag with good values. Hostile: junk values, flags dropped at random, strays, repeats.</summary>
    static Gen<CommandLine> For(Grammar g, bool hostile) =>
        from needed in hostile ? Gen.SubListOf(g.Needed).Select(l => l.ToArray()) : Gen.Constant(g.Needed)
        from optional in Gen.SubListOf(g.Optional)
        from stray in hostile ? Gen.Choose(0, 2).Select(n => Enumerable.Repeat(Stray[0], n).ToArray()) : Gen.Constant(Array.Empty<Gen<string[]>>())
        from groups in Gen.CollectToArray(needed.Concat(optional).Concat(stray))
        from repeat in hostile && groups.Length > 0
            ? Gen.Frequency((4, Gen.Constant(Array.Empty<string[]>())), (1, Gen.Elements(groups).Select(x => new[] { x })))
            : Gen.Constant(Array.Empty<string[]>())
        from order in Gen.Shuffle(groups.Concat(repeat).ToArray())
        select new CommandLine(g.Command, order);

    static Gen<CommandLine> Any =>
        Gen.Frequency(
            (4, Gen.Elements(Grammars(0)).SelectMany(g => For(g, hostile: false))),
            (5, Gen.Elements(Grammars(3)).SelectMany(g => For(g, hostile: true))),
            (1, Gen.Elements(new CommandLine([], []), new CommandLine(["ensemble"], []), new CommandLine(["fermoin"], []),
                             new CommandLine([], [["--help"]]), new CommandLine(["ness"], [["-L", "3"]]))));

    static IEnumerable<CommandLine> Shrink(CommandLine c) =>
        Enumerable.Range(0, c.Groups.Length).Select(i => c with { Groups = [.. c.Groups.Where((_, j) => j != i)] });

    public static Arbitrary<CommandLine> Arbitrary() => Arb.From(Any, Shrink);
}

/// <summary>The fuzz property over the command line, run in-process.</summary>
[Collection("Console")]
public class CommandLineFuzz
{
    /// <summary>Exit 0/2/3/4 only (1 would be a bug), stdout empty unless 0, never a stack trace on stderr, and
    /// no run that hangs (a generous guard against a hang, not a speed test: every length in the grammar is small).</summary>
    [Property(MaxTest = 300, Arbitrary = [typeof(CommandLines)])]
    public Property Any_command_line_exits_with_a_documented_code_and_no_stack_trace(CommandLine c)
    {
        var clock = Stopwatch.StartNew();
        var (code, stdout, stderr) = CliRun.Run(c.Args);
        double seconds = clock.Elapsed.TotalSeconds;
        return (code is 0 or 2 or 3 or 4).Label($"exit {code}: {stderr}")
            .And((code == 0 || stdout.Length == 0).Label($"stdout on exit {code}: {stdout}"))
            .And((!stderr.Contains("   at ") && !stderr.Contains("Unhandled exception")).Label($"stack trace: {stderr}"))
            .And((seconds < 30).Label($"took {seconds:F1} s"));
    }
}
