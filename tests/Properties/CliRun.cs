namespace Ness.Tests;

/// <summary>Runs `ness` in-process with stdout and stderr captured. Console is global, so every test
/// that uses it belongs to the non-parallel "Console" collection.</summary>
public static class CliRun
{
    static readonly object Gate = new();

    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        lock (Gate)
        {
            var (o, e) = (Console.Out, Console.Error);
            var so = new StringWriter();
            var se = new StringWriter();
            Console.SetOut(so);
            Console.SetError(se);
            try { return (Ness.Cli.Program.Main(args), so.ToString(), se.ToString()); }
            finally { Console.SetOut(o); Console.SetError(e); }
        }
    }
}

[CollectionDefinition("Console", DisableParallelization = true)]
public sealed class ConsoleCollection;
