namespace Ness.Tests;

/// <summary>Runs `ness` in-process with stdin given (empty unless said otherwise) and stdout and stderr
/// captured. Console is global, so every test that uses it belongs to the non-parallel "Console" collection.</summary>
public static class CliRun
{
    static readonly object Gate = new();

    public static (int Code, string Out, string Err) Run(params string[] args) => RunWithStdin("", args);

    public static (int Code, string Out, string Err) RunWithStdin(string stdin, params string[] args)
    {
        lock (Gate)
        {
            var (i, o, e) = (Console.In, Console.Out, Console.Error);
            var so = new StringWriter();
            var se = new StringWriter();
            Console.SetIn(new StringReader(stdin));
            Console.SetOut(so);
            Console.SetError(se);
            try { return (Ness.Cli.Program.Main(args), so.ToString(), se.ToString()); }
            finally { Console.SetIn(i); Console.SetOut(o); Console.SetError(e); }
        }
    }
}

[CollectionDefinition("Console", DisableParallelization = true)]
public sealed class ConsoleCollection;
