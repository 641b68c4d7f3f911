using Ness.Cli;
using Ness.Pipeline;

namespace Ness.Tests.Cli;

/// <summary>One meaning per exit code, and messages that name the real problem (docs/interface.md).</summary>
[Collection("Console")]
public class ExitCodeTests
{
    static void BadInput((int Code, string Out, string Err) r, string expected)
    {
        Assert.Equal(Exit.BadInput, r.Code);
        Assert.Empty(r.Out);
        Assert.Contains(expected, r.Err);
        Assert.DoesNotContain("   at ", r.Err);
    }

    [Fact]
    public void No_command_lists_the_commands_and_points_to_help()
    {
        var r = CliRun.Run();
        BadInput(r, "a command is required: fermion, ensemble");
        Assert.Contains("ness --help", r.Err);
    }

    [Fact]
    public void A_misspelled_option_gets_one_message_with_a_suggestion()
    {
        var r = CliRun.Run("fermion", "--lenght", "8");
        BadInput(r, "unknown option '--lenght'; did you mean '--length'?");
        Assert.Equal(2, r.Err.Trim().Split('\n').Length); // the message and the pointer to --help, nothing else
        BadInput(CliRun.Run("ensemble", "harmonic", "--pining-range", "1,2"), "did you mean '--pinning-range'?");
        BadInput(CliRun.Run("fermoin", "-L", "3"), "unknown command 'fermoin'; did you mean 'fermion'?");
    }

    [Fact]
    public void An_integer_too_large_for_64_bits_is_out_of_range_not_a_non_integer()
    {
        var r = CliRun.Run("fermion", "-L", "3", "--disorder", "1", "--seed", "99999999999999999999");
        BadInput(r, "--seed: 99999999999999999999 is out of range; allowed: -9223372036854775808..9223372036854775807");
        BadInput(CliRun.Run("fermion", "-L", "99999999999", "--fields", "1"), "--length: 99999999999 is out of range; allowed: 1..1000");   // 1..16 for the exact solvers, checked with the solver
    }

    [Fact]
    public void An_output_that_is_a_directory_is_named_as_such()
    {
        using var dir = NessProcess.TempDir();
        var r = CliRun.Run("ensemble", "fermion", "-L", "2", "--disorder", "1", "--seed", "1", "--realizations", "1", "--out", dir);
        BadInput(r, $"--out: '{dir}' is a directory");
        Assert.Empty(Directory.GetFileSystemEntries(dir));
    }

    [Fact]
    public void A_missing_directory_is_an_io_failure_naming_it()
    {
        var r = CliRun.Run("ensemble", "fermion", "-L", "2", "--disorder", "1", "--seed", "1", "--realizations", "1",
                           "--out", "/nonexistent-ness-dir/e.jsonl");
        Assert.Equal(Exit.Io, r.Code);
        Assert.Empty(r.Out);
        Assert.Contains("the directory '/nonexistent-ness-dir' does not exist", r.Err);
    }

    [Fact]
    public void An_unanticipated_exception_is_a_bug_exit_1_without_a_stack_trace()
    {
        var (o, e) = (Console.Out, Console.Error);
        var so = new StringWriter();
        var se = new StringWriter();
        Console.SetOut(so);
        Console.SetError(se);
        int code;
        try { code = Exit.Run(() => throw new InvalidOperationException("a deliberate bug")); }
        finally { Console.SetOut(o); Console.SetError(e); }
        Assert.Equal(Exit.Bug, code);
        Assert.Empty(so.ToString());
        Assert.Contains("internal error (a bug in ness", se.ToString());
        Assert.Contains("a deliberate bug", se.ToString());
        Assert.Contains("--verbose", se.ToString());
        Assert.DoesNotContain("   at ", se.ToString());
    }

    [Fact]
    public void Each_error_kind_has_its_own_code()
    {
        Assert.Equal(2, Exit.Code(new BadInput("--x", "y")));
        Assert.Equal(3, Exit.Code(new NumericsRefused("y")));
        Assert.Equal(4, Exit.Code(new IoFailure("y")));
        Assert.Equal(1, Exit.Code(new InternalError("y", "")));
        Assert.Equal(1, Exit.Code(LanguageExt.Common.Error.New("unclassified")));
    }

    [Fact]
    public void Help_states_the_exit_codes()
    {
        var r = CliRun.Run("--help");
        Assert.Equal(0, r.Code);
        foreach (var s in new[] { "0 success", "1 internal error", "2 bad input", "3 the numerics refused", "4 I/O failure", "130/143" })
            Assert.Contains(s, r.Out);
    }

    [Fact]
    public void The_direct_solver_refusal_states_the_cap()
    {
        var r = CliRun.Run("fermion", "-L", "16", "--solver", "direct", "--disorder", "1", "--seed", "1");
        Assert.Equal(Exit.Refused, r.Code);
        Assert.Empty(r.Out);
        Assert.Contains("would need about", r.Err);
        Assert.Contains("60 % of the", r.Err);
    }
}

[Collection("Console")]
public class FoundByFuzzing
{
    /// <summary>With h_3 = 1e6 the last site decouples and every current is 0, so a solver statistic relative to
    /// the current can be undefined (it was Infinity, and writing the JSON threw): such a statistic is JSON null.</summary>
    [Fact]
    public void An_undefined_solver_statistic_is_written_as_null()
    {
        var (code, o, e) = CliRun.Run("fermion", "--fields", "0,1,1e6", "--rates", "3,1,3,1", "--solver", "krylov", "--length", "3");
        Assert.True(code == 0, e);
        var d = System.Text.Json.Nodes.JsonNode.Parse(o)!["diagnostics"]!.AsObject();
        Assert.All(d, kv => Assert.True(kv.Value is null || kv.Value.GetValueKind() is System.Text.Json.JsonValueKind.Number
                                        or System.Text.Json.JsonValueKind.String or System.Text.Json.JsonValueKind.Object, kv.Key));
    }
}
