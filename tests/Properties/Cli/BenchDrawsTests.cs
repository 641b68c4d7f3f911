namespace Ness.Tests.Cli;

/// <summary>`ness bench --draws N` end to end on a short chain, without QuTiP: the distribution row on stdout, one line
/// per draw on stderr, and `--threads` reaching each of our runs (the child's own `krylov_threads`).</summary>
public class BenchDrawsTests
{
    [Fact]
    public void Draws_print_one_row_and_each_run_uses_the_threads_asked_for()
    {
        var r = NessProcess.Run("bench", "--lengths", "5", "--draws", "2", "--disorder", "10", "--qutip", "off", "--threads", "1");
        Assert.Equal(0, r.Code);
        Assert.Contains("our solver: krylov, 1 thread(s)", r.Stdout);
        Assert.Contains("\n| 5 | 10 | 2 | 0 |", r.Stdout);                       // L, h, draws, none refused
        var draws = r.Stderr.Split('\n').Where(l => l.StartsWith("bench: L = 5, h = 10, draw ")).ToList();
        Assert.Equal(2, draws.Count);
        Assert.All(draws, l => Assert.EndsWith(", 1 thread(s)", l.TrimEnd()));
    }
}
