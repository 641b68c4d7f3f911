using System.CommandLine;
using Ness.Cli.Commands;

namespace Ness.Cli;

public static class Program
{
    public static int Main(string[] args) => Exit.Invoke(Root(), args);

    /// <summary>The command tree.</summary>
    public static RootCommand Root()
    {
        var root = new RootCommand(
            "ness: nonequilibrium steady states of boundary-driven disordered chains " +
            "(fermion chain, paper section 3; pinned harmonic chain, paper section 2). " + Exit.Codes);
        root.Subcommands.Add(FermionCommand.Create());
        root.Subcommands.Add(EnsembleCommand.Create());
        root.Subcommands.Add(AggregateCommand.Create());
        root.Subcommands.Add(TableCommand.Create());
        root.Subcommands.Add(SweepCommand.Create());
        root.Subcommands.Add(HarmonicCommand.Create());
        root.Subcommands.Add(ReproduceCommand.Create());
        root.Subcommands.Add(PlotCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        VersionAction.Attach(root);
        return root;
    }
}
