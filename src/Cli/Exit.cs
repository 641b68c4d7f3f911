using System.CommandLine;
using System.CommandLine.Parsing;
using LanguageExt;
using LanguageExt.Common;
using Ness.Pipeline;

namespace Ness.Cli;

/// <summary>
/// The exit-code contract of docs/interface.md, one meaning per code: 0 success; 1 internal error (a bug);
/// 2 bad input; 3 the numerics refused; 4 I/O failure; 130/143 interrupted by SIGINT/SIGTERM.
/// Data goes to stdout only on success; every message goes to stderr.
/// </summary>
public static class Exit
{
    public const int Ok = 0, Bug = 1, BadInput = 2, Refused = 3, Io = 4, Interrupted = 130, Terminated = 143;

    /// <summary>The exit codes, as the help prints them.</summary>
    public const string Codes =
        "Exit codes: 0 success; 1 internal error (a bug; please report it); 2 bad input (the message names the flag); " +
        "3 the numerics refused (not certifiable, not unique, or too large for memory); 4 I/O failure (cannot read, " +
        "write or lock; finished work is kept); 130/143 interrupted by SIGINT/SIGTERM (rerun to resume). See docs/interface.md.";

    /// <summary>Environment variable that, like --verbose, adds the stack trace to an internal error.</summary>
    public const string VerboseVariable = "NESS_VERBOSE";

    /// <summary>Show stack traces of internal errors (--verbose or NESS_VERBOSE=1).</summary>
    static bool verbose;

    /// <summary>Parses and runs. Parse errors (unknown flag, bad value) exit 2 with one message per problem
    /// (and a "did you mean" for a misspelled flag); an exception no stage anticipated exits 1.</summary>
    public static int Invoke(RootCommand root, string[] args)
    {
        var verboseFlag = new System.CommandLine.Option<bool>("--verbose")
        {
            Description = $"On an internal error, print the stack trace (also {VerboseVariable}=1).",
            Recursive = true,
        };
        root.Options.Add(verboseFlag);
        try
        {
            // no response files: an argument that starts with '@' is a value, never a file to read
            var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
            verbose = Environment.GetEnvironmentVariable(VerboseVariable) is "1" or "true"
                      || args.Contains("--verbose");
            if (parse.Errors.Count > 0) return ParseErrors(parse);
            // no handler of System.CommandLine for SIGINT/SIGTERM: the default (exit 130/143) unless a command traps them
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });
        }
        catch (Exception e)
        {
            return Report(Internal(e));
        }
    }

    /// <summary>Runs a pipeline whose success value is the text to print on stdout.</summary>
    public static int Run(Func<Fin<string>> job)
    {
        Fin<string> result;
        try { result = job(); }
        catch (OutOfMemoryException)
        {
            result = new NumericsRefused("out of memory: the problem is too large for this machine " +
                                         "(no stage's memory estimate caught it; please report this too)");
        }
        catch (Exception e)
        {
            result = Internal(e);
        }
        return result.Match(Succ: Print, Fail: Report);
    }

    /// <summary>Writes <paramref name="text"/> to stdout; a failed write (disk full, closed pipe) is exit 4.</summary>
    public static int Print(string text)
    {
        try
        {
            Console.Out.Write(text);
            Console.Out.Flush();
            return Ok;
        }
        catch (IOException e)
        {
            return Report(new IoFailure($"cannot write to stdout: {e.Message}"));
        }
    }

    /// <summary>An exception nobody anticipated: a bug.</summary>
    public static InternalError Internal(Exception e)
    {
        var inner = e is AggregateException a ? a.Flatten().InnerExceptions[0] : e;
        return new InternalError(
            $"internal error (a bug in ness, not in your input): {inner.GetType().Name}: {inner.Message}. " +
            "Please report it with the command line" +
            (verbose ? "" : $"; rerun with --verbose (or {VerboseVariable}=1) for the stack trace"),
            inner.ToString());
    }

    /// <summary>Writes an error to stderr and returns its exit code.</summary>
    public static int Report(Error e)
    {
        Console.Error.WriteLine($"ness: error: {e.Message}");
        if (e is InternalError bug && verbose) Console.Error.WriteLine(bug.Trace);
        return Code(e);
    }

    public static int Code(Error e) => e switch
    {
        Pipeline.BadInput => BadInput,
        NumericsRefused => Refused,
        IoFailure => Io,
        InternalError => Bug,
        Pipeline.Interrupted => Interrupted,
        _ => e.Code is BadInput or Refused or Io ? e.Code : Bug,
    };

    static int ParseErrors(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        var name = CommandPath(parse.CommandResult);
        var unknown = parse.UnmatchedTokens.Where(t => t.StartsWith('-') && !double.TryParse(t, out _)).Distinct().ToList();
        var lines = new List<string>();
        var commands = command.Subcommands.Select(c => c.Name).ToList();
        if (command.Action is null && commands.Count > 0)
        {
            // a command is missing or misspelled: the rest of the line cannot be judged yet
            var word = parse.UnmatchedTokens.FirstOrDefault(t => !t.StartsWith('-'));
            var guess = word is null ? null : Suggest(word, commands);
            lines.Add(word is null
                ? $"{name}: a command is required: {string.Join(", ", commands)}"
                : $"{name}: unknown command '{word}'" + (guess is null ? $"; commands: {string.Join(", ", commands)}" : $"; did you mean '{guess}'?"));
        }
        else if (unknown.Count > 0)
        {
            // the follow-on errors (its value "unrecognized", a required flag "missing") are consequences
            var known = Names(parse.CommandResult).ToList();
            foreach (var t in unknown)
            {
                var flag = t.Split('=')[0];
                var guess = Suggest(flag, known);
                lines.Add($"{name}: unknown option '{flag}'" + (Hint(name, flag) ?? (guess is null ? "" : $"; did you mean '{guess}'?")));
            }
        }
        else
        {
            foreach (var m0 in parse.Errors.Select(e => e.Message).Distinct())
            {
                var m = m0;
                if (m.StartsWith("Unrecognized command or argument '", StringComparison.Ordinal))
                    m = $"unexpected argument '{m.Split('\'')[1]}' (every value belongs to a flag, e.g. --fields 1,2,3)";
                else if (m.Contains("expects a single argument but", StringComparison.Ordinal))
                    m = $"option '{m.Split('\'')[1]}' is given more than once";
                lines.Add(m.StartsWith("--", StringComparison.Ordinal) ? m : $"{name}: {m}");
            }
        }
        foreach (var l in lines) Console.Error.WriteLine($"ness: error: {l}");
        Console.Error.WriteLine($"ness: see '{name} --help'");
        return BadInput;
    }

    /// <summary>Where a flag that is not there is meant to send the user.</summary>
    static string? Hint(string command, string flag) => (command, flag) switch
    {
        ("ness ensemble fermion" or "ness ensemble harmonic" or "ness sweep fermion" or "ness sweep harmonic", "--format") =>
            "; ensembles are JSON Lines: for CSV use 'ness table FILE.jsonl' (one row per realization) or " +
            "'ness aggregate FILE.jsonl --format csv' (the disorder average)",
        _ => null,
    };

    static string CommandPath(CommandResult r)
    {
        var names = new List<string>();
        for (SymbolResult? s = r; s is CommandResult c; s = c.Parent) names.Add(c.Command is RootCommand ? "ness" : c.Command.Name);
        names.Reverse();
        return string.Join(" ", names);
    }

    /// <summary>The option names and aliases valid at this command (its own and the recursive ones above it).</summary>
    static IEnumerable<string> Names(CommandResult r)
    {
        bool own = true;
        for (SymbolResult? s = r; s is CommandResult c; s = c.Parent, own = false)
            foreach (var o in c.Command.Options.Where(o => own || o.Recursive))
            {
                yield return o.Name;
                foreach (var a in o.Aliases) yield return a;
            }
    }

    /// <summary>The closest candidate by edit distance (at most a third of the word, at least 2), or null.</summary>
    public static string? Suggest(string word, IReadOnlyList<string> candidates)
    {
        string? best = null;
        int bestD = int.MaxValue;
        foreach (var c in candidates)
        {
            int d = Distance(word.ToLowerInvariant(), c.ToLowerInvariant());
            if (d < bestD) (best, bestD) = (c, d);
        }
        return bestD <= Math.Max(2, word.Length / 3) ? best : null;
    }

    /// <summary>Optimal string alignment distance (Levenshtein with transpositions).</summary>
    static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        return d[a.Length, b.Length];
    }
}
