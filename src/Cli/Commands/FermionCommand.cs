using System.CommandLine;

namespace Ness.Cli.Commands;

public static class FermionCommand
{
    public static Command Create()
    {
        var cmd = new Command("fermion", "One NESS of the boundary-driven fermion chain (paper, section 3).");
        cmd.SetAction(_ => 0);
        return cmd;
    }
}
