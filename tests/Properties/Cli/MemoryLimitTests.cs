namespace Ness.Tests.Cli;

/// <summary>Every command that can be asked for more memory than there is refuses with an estimate before
/// allocating (exit 3), never killed by the out-of-memory killer. The child process runs with the runtime's
/// heap limited by DOTNET_GCHeapHardLimit, so that the refusals are reached at small sizes.</summary>
public class MemoryLimitTests
{
    static NessProcess.Result Limited(long bytes, params string[] args)
    {
        using var scratch = NessProcess.TempDir();
        return NessProcess.RunIn(scratch, new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = $"0x{bytes:X}" }, args);
    }

    static void Refused(NessProcess.Result r, string estimate)
    {
        Assert.True(r.Code == 3, $"exit {r.Code}: {r.Stderr}");
        Assert.Empty(r.Stdout);
        Assert.Contains(estimate, r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
    }

    const long MB = 1 << 20;

    [Fact]
    public void Direct_solver_refuses_under_the_limit() =>
        Refused(Limited(256 * MB, "fermion", "-L", "8", "--solver", "direct", "--disorder", "1", "--seed", "1"), "would need about 1.2 GB");

    [Fact]
    public void Krylov_solver_refuses_under_the_limit() =>
        Refused(Limited(256 * MB, "fermion", "-L", "10", "--solver", "krylov", "--disorder", "1", "--seed", "1"), "would need about");

    [Fact]
    public void Harmonic_finite_lambda_refuses_under_the_limit() =>
        Refused(Limited(128 * MB, "harmonic", "-L", "100000", "--seed", "1", "--bath-coupling", "1"), "would need about 391 MB");

    [Fact]
    public void Ensemble_threads_that_do_not_fit_are_refused_with_the_number_that_does()
    {
        var r = Limited(1536 * MB, "ensemble", "fermion", "-L", "10", "--disorder", "1", "--seed", "1", "--realizations", "4", "--threads", "2");
        Refused(r, "2 realization(s) at once");
        Assert.Contains("use --threads 1", r.Stderr);
    }
}
