using Ness.Cli.Commands;

namespace Ness.Tests.Lattice;

/// <summary>`ness bench lattice` rows: a row whose draws were all refused says so and counts them instead of printing
/// NaN medians; the refusal's gist comes from the child's real message.</summary>
public sealed class BenchLatticeTests
{
    [Fact]
    public void A_row_without_certified_draws_says_refused_and_counts_them()
    {
        var row = BenchLattice.Row("64x64", "weak", 3, 0, 3, 0, "weak coupling: the profile cannot be certified", [], [80.6, 79.0, 81.2], 4.6e8, "1.0");
        Assert.DoesNotContain("NaN", row);
        var cells = row.Split('|').Select(c => c.Trim()).ToArray();
        Assert.Equal("0/3", cells[3]);
        Assert.Equal("refused", cells[4]);
        Assert.Equal("refused", cells[5]);
        Assert.Equal("80.6", cells[6]);   // wall median of 79.0, 80.6, 81.2
        Assert.Equal("81.2", cells[7]);
        Assert.StartsWith("3 refused (exit 3): weak coupling", cells[10]);
    }

    [Fact]
    public void A_partly_refused_row_has_the_medians_of_the_certified_draws_and_the_count()
    {
        var row = BenchLattice.Row("10x10x10", "lambda = 1", 3, 2, 1, 0, "r", [7.0, 5.0], [6.0, 8.0, 9.0], 1.8e8, "1.0");
        var cells = row.Split('|').Select(c => c.Trim()).ToArray();
        Assert.Equal("2/3", cells[3]);
        Assert.Equal("7.0", cells[5]);   // max of the certified solves
        Assert.Equal("1 refused (exit 3): r", cells[10]);
        var failed = BenchLattice.Row("8x8", "weak", 2, 0, 0, 2, "", [], [1, 1], 1e8, "1.0").Split('|').Select(c => c.Trim()).ToArray();
        Assert.Equal("failed", failed[4]);
        Assert.Equal("2 failed (other exit codes)", failed[10]);
    }

    [Fact]
    public void Draw_outcomes_count_refusals_and_failures_and_keep_the_first_reason()
    {
        var o = new BenchLattice.DrawOutcomes(0, 0, "")
            .Add(0, "")
            .Add(3, "ness: error: first refusal > 1e-6")
            .Add(1, "ness: error: a bug")
            .Add(3, "ness: error: second refusal > 1e-6");
        Assert.Equal((2, 1, "first refusal"), (o.Refused, o.Failed, o.Reason));
        Assert.Equal("refused", o.NoCertified);
        Assert.Equal("2 refused (exit 3): first refusal; 1 failed (other exit codes)", o.Column);
        Assert.Equal("", new BenchLattice.DrawOutcomes(0, 0, "").Add(0, "").Column);
    }

    [Fact]
    public void The_reason_is_the_first_error_line_up_to_its_estimate()
    {
        var (code, _, err) = CliRun.Run("harmonic", "--shape", "16x16", "--coupling", "0.05", "--seed", "1", "--weak-coupling");
        Assert.Equal(3, code);
        var reason = BenchLattice.Reason("some progress\n" + err);
        Assert.Matches(@"^weak coupling: the estimated error of T is [0-9.]+E-[0-9]+$", reason);
        Assert.True(reason.Length <= 80);
        Assert.Equal("", BenchLattice.Reason("no error here\n"));
    }
}
