using System.CommandLine;
using LanguageExt;
using LanguageExt.Common;
using Ness.Pipeline;

namespace Ness.Cli;

/// <summary>The exit-code contract of docs/interface.md: 0 success, 2 bad input, 3 numerics refused.
/// Data goes to stdout only on success; every message goes to stderr.</summary>
public static class Exit
{
    public const int Ok = 0, BadInput = 2, Refused = 3;

    /// <summary>Parses and runs; parse errors (unknown flag, non-number for a typed flag) exit 2.</summary>
    public static int Invoke(RootCommand root, string[] args)
    {
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors) Console.Error.WriteLine($"ness: error: {e.Message}");
            return BadInput;
        }
        return parse.Invoke();
    }

    /// <summary>Runs a pipeline whose success value is the text to print on stdout.</summary>
    public static int Run(Func<Fin<string>> job)
    {
        Fin<string> result;
        try { result = job(); }
        catch (OutOfMemoryException)
        {
            result = new NumericsRefused("out of memory; the problem is too large for this machine");
        }
        catch (Exception e)
        {
            // a numerical kernel gave up in a way no stage anticipated: still no number on stdout, exit 3
            var inner = e is AggregateException a ? a.Flatten().InnerExceptions[0] : e;
            result = new NumericsRefused($"the numerics failed ({inner.GetType().Name}: {inner.Message})");
        }
        return result.Match(
            Succ: text => { Console.Out.Write(text); Console.Out.Flush(); return Ok; },
            Fail: Report);
    }

    /// <summary>Writes an error to stderr and returns its exit code.</summary>
    public static int Report(Error e)
    {
        Console.Error.WriteLine($"ness: error: {e.Message}");
        return e switch
        {
            Pipeline.BadInput => BadInput,
            NumericsRefused => Refused,
            _ => e.Code is BadInput or Refused ? e.Code : Refused,
        };
    }
}
