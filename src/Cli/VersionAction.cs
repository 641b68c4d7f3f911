using System.CommandLine;
using System.CommandLine.Invocation;
using Ness.Pipeline;

namespace Ness.Cli;

/// <summary><c>ness --version</c>: the version and the git commit the binary was built from
/// (<see cref="BuildInfo"/>), e.g. "ness 0.1.0 (commit 1a2b...)", on stdout, exit 0.</summary>
public sealed class VersionAction : SynchronousCommandLineAction
{
    public override int Invoke(ParseResult parseResult)
    {
        Console.Out.WriteLine($"ness {BuildInfo.Text}");
        return 0;
    }

    /// <summary>Replaces the default action of the root command's <c>--version</c> (which prints the raw
    /// informational version) by this one.</summary>
    public static void Attach(RootCommand root)
    {
        foreach (var o in root.Options.OfType<VersionOption>()) o.Action = new VersionAction();
    }
}
