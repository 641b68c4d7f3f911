using System.Text;
using Ness.Cli.Ensemble;
using Ness.Pipeline;
using Ness.Pipeline.Ensemble;

namespace Ness.Tests.Ensemble;

public class ResumeTests
{
    const long N = 12, Seed = 99;

    static (string Dir, string Clean) CleanRun(Shard? shard = null)
    {
        var dir = Ensembles.TempDir();
        var clean = Path.Combine(dir, "clean.jsonl");
        Assert.True(Ensembles.Run(Ensembles.Fermion(), N, Seed, shard ?? Shard.All, clean, 2).Complete);
        return (dir, clean);
    }

    [Theory]
    [InlineData(0, 1)]    // only a torn line: "{"
    [InlineData(5, 40)]   // five complete lines and 40 bytes of the sixth
    [InlineData(11, 200)] // all but one complete, the last cut after 200 bytes
    public void A_torn_last_line_is_dropped_and_redone_without_duplicates(int complete, int tornBytes)
    {
        var (dir, clean) = CleanRun();
        var lines = File.ReadAllLines(clean);
        var crashed = Path.Combine(dir, "crashed.jsonl");
        File.WriteAllText(crashed, string.Concat(lines.Take(complete).Select(l => l + "\n")) + lines[complete][..tornBytes]);

        var log = new StringWriter();
        var o = Ensembles.Run(Ensembles.Fermion(), N, Seed, Shard.All, crashed, 3, log: log);

        Assert.True(o.Complete, $"{o}");
        Assert.Equal(complete, o.Skipped);
        Assert.Equal(N - complete, o.Written);
        Assert.Contains("torn", log.ToString());
        var after = Ensembles.SortedFileLines(crashed);
        Assert.Equal(Ensembles.SortedFileLines(clean), after); // no duplicates, torn one redone, identical values
        Assert.EndsWith("\n", File.ReadAllText(crashed));
    }

    [Fact]
    public void A_terminated_but_unparsable_last_line_is_torn_too()
    {
        var (dir, clean) = CleanRun();
        var lines = File.ReadAllLines(clean);
        var f = Path.Combine(dir, "f.jsonl");
        File.WriteAllText(f, lines[0] + "\n" + lines[1] + "\n" + lines[2][..30] + "\n");
        Assert.True(Ensembles.Run(Ensembles.Fermion(), N, Seed, Shard.All, f, 1).Complete);
        Assert.Equal(Ensembles.SortedFileLines(clean), Ensembles.SortedFileLines(f));
    }

    [Fact]
    public void Rerunning_a_complete_file_computes_nothing_and_leaves_it_unchanged()
    {
        var (_, clean) = CleanRun();
        var before = File.ReadAllBytes(clean);
        var o = Ensembles.Run(Ensembles.Fermion(), N, Seed, Shard.All, clean, 2);
        Assert.True(o.Complete);
        Assert.Equal(0, o.Written);
        Assert.Equal(before, File.ReadAllBytes(clean));
    }

    [Fact]
    public void An_interrupted_run_is_resumable_and_ends_identical_to_a_clean_run()
    {
        var (dir, clean) = CleanRun();
        var f = Path.Combine(dir, "interrupted.jsonl");
        using var cts = new CancellationTokenSource();
        var o = Ensembles.Run(Ensembles.Slow(Ensembles.Fermion(), 30), N, Seed, Shard.All, f, 2, ct: cts.Token, progress: new CancelAfter(cts, 3));
        Assert.True(o.Interrupted, $"{o}");
        Assert.Null(o.Error);
        Assert.InRange(o.Written, 3, N - 1);
        Assert.Equal(o.Written, File.ReadAllLines(f).Length);

        var resumed = Ensembles.Run(Ensembles.Fermion(), N, Seed, Shard.All, f, 2);
        Assert.True(resumed.Complete);
        Assert.Equal(o.Written, resumed.Skipped);
        Assert.Equal(Ensembles.SortedFileLines(clean), Ensembles.SortedFileLines(f));
    }

    [Fact]
    public void Increasing_the_realization_count_extends_the_file()
    {
        var (dir, clean) = CleanRun();
        var f = Path.Combine(dir, "grow.jsonl");
        Assert.True(Ensembles.Run(Ensembles.Fermion(), 5, Seed, Shard.All, f, 2).Complete);
        var o = Ensembles.Run(Ensembles.Fermion(), N, Seed, Shard.All, f, 2);
        Assert.Equal(5, o.Skipped);
        Assert.Equal(Ensembles.SortedFileLines(clean), Ensembles.SortedFileLines(f));
    }

    static void AssertRefusedUntouched(string f, EnsembleOutcome o, string expected)
    {
        Assert.IsType<BadInput>(o.Error);
        Assert.Equal(2, o.Error!.Code);
        Assert.Contains(expected, o.Error.Message);
        Assert.Equal(0, o.Written);
    }

    [Fact]
    public void A_file_written_with_other_parameters_is_refused_and_left_untouched()
    {
        var (_, clean) = CleanRun();
        var before = File.ReadAllBytes(clean);
        AssertRefusedUntouched(clean, Ensembles.Run(Ensembles.Fermion(w: 3), N, Seed, Shard.All, clean, 2), "\"disorder\": 2 (in the file) vs 3 (this run)");
        AssertRefusedUntouched(clean, Ensembles.Run(Ensembles.Fermion(), N, Seed + 1, Shard.All, clean, 2), "--seed");
        AssertRefusedUntouched(clean, Ensembles.Run(Ensembles.Fermion(length: 5), N, Seed, Shard.All, clean, 2), "length");
        var harmonic = Ness.Cli.Ensemble.Models.Harmonic(new(10, 1, 2, 0.1, LanguageExt.Option<double>.None, [1, 2]));
        AssertRefusedUntouched(clean, Ensembles.Run(harmonic, N, Seed, Shard.All, clean, 2), "\"harmonic\"");
        Assert.Equal(before, File.ReadAllBytes(clean));
    }

    [Fact]
    public void A_file_of_another_shard_or_larger_ensemble_is_refused()
    {
        var (_, clean) = CleanRun();
        var before = File.ReadAllBytes(clean);
        AssertRefusedUntouched(clean, Ensembles.Run(Ensembles.Fermion(), N, Seed, new Shard(1, 2), clean, 2), "not part of this run");
        AssertRefusedUntouched(clean, Ensembles.Run(Ensembles.Fermion(), N - 1, Seed, Shard.All, clean, 2), "not part of this run");
        Assert.Equal(before, File.ReadAllBytes(clean));
    }

    [Fact]
    public void Duplicates_and_damaged_middle_lines_are_refused()
    {
        var (dir, clean) = CleanRun();
        var lines = File.ReadAllLines(clean);
        var dup = Path.Combine(dir, "dup.jsonl");
        File.WriteAllText(dup, lines[0] + "\n" + lines[1] + "\n" + lines[0] + "\n");
        AssertRefusedUntouched(dup, Ensembles.Run(Ensembles.Fermion(), N, Seed, Shard.All, dup, 2), "repeats realization");

        var damaged = Path.Combine(dir, "damaged.jsonl");
        File.WriteAllText(damaged, lines[0] + "\n" + lines[1][..50] + "\n" + lines[2] + "\n");
        var before = File.ReadAllBytes(damaged);
        AssertRefusedUntouched(damaged, Ensembles.Run(Ensembles.Fermion(), N, Seed, Shard.All, damaged, 2), "line 2");
        Assert.Equal(before, File.ReadAllBytes(damaged));
    }

    [Fact]
    public void A_file_that_is_not_an_ensemble_file_is_refused_not_truncated()
    {
        var dir = Ensembles.TempDir();
        foreach (var text in new[] { "site,mean\n", "hello", "1,2,3\n4,5,6" })
        {
            var f = Path.Combine(dir, "other.txt");
            File.WriteAllText(f, text, new UTF8Encoding(false));
            AssertRefusedUntouched(f, Ensembles.Run(Ensembles.Fermion(), N, Seed, Shard.All, f, 1), "not");
            Assert.Equal(text, File.ReadAllText(f));
        }
    }

    /// <summary>Issue 22, item 3: a realization the numerics refuse is written as a line with its reason and the run
    /// goes on to the end; a rerun does not compute it again, --retry-refused does, and then the file aggregates to
    /// exactly the clean run (the certified line of the retry replaces the refusal).</summary>
    [Fact]
    public void A_refused_realization_is_recorded_with_its_reason_and_the_run_goes_on()
    {
        var dir = Ensembles.TempDir();
        var f = Path.Combine(dir, "refused.jsonl");
        var m = Ensembles.Fermion();
        var refusing = m with
        {
            Realize = (s, r, ct) => r == 4 ? LanguageExt.Prelude.FinFail<Solution>(new NumericsRefused("not certified: test")) : m.Realize(s, r, ct),
        };
        var o = Ensembles.Run(refusing, N, Seed, Shard.All, f, 2);
        Assert.Null(o.Error);
        Assert.True(o.Complete);
        Assert.Equal(N, o.Written);
        Assert.Equal(1, o.Refused);
        var four = File.ReadAllLines(f).Select(l => System.Text.Json.Nodes.JsonNode.Parse(l)!).Single(l => (long)l["realization"]! == 4);
        Assert.Equal("not certified: test", (string)four["refused"]!);
        Assert.Null(four["profile"]);

        var again = Ensembles.Run(m, N, Seed, Shard.All, f, 2);
        Assert.Equal(0, again.Written);
        Assert.Equal(1, again.Refused);
        var partial = (System.Text.Json.Nodes.JsonObject)Ness.Cli.Commands.AggregateCommand.Compute([f], TextWriter.Null);
        Assert.Equal(N - 1, (int)partial["count"]!);
        Assert.Equal(1, (int)partial["refused"]!);
        Assert.Equal("[[4,4]]", partial["refused_realizations"]!.ToJsonString());

        var retried = Ensembles.Run(m, N, Seed, Shard.All, f, 2, retryRefused: true);
        Assert.Equal(1, retried.Written);
        Assert.Equal(0, retried.Refused);
        var (_, clean) = CleanRun();
        var whole = (System.Text.Json.Nodes.JsonObject)Ness.Cli.Commands.AggregateCommand.Compute([f], TextWriter.Null);
        var reference = (System.Text.Json.Nodes.JsonObject)Ness.Cli.Commands.AggregateCommand.Compute([clean], TextWriter.Null);
        Assert.Equal(0, (int)whole["refused"]!);
        Assert.Equal(reference["profile"]!.ToJsonString(), whole["profile"]!.ToJsonString());
        // the averages without the refused draw are those of the other N - 1 lines, computed here by hand
        var lines = File.ReadAllLines(clean).Select(l => System.Text.Json.Nodes.JsonNode.Parse(l)!).Where(l => (long)l["realization"]! != 4).ToList();
        double first = lines.Average(l => (double)l["profile"]![0]!);
        Assert.Equal(first, (double)partial["profile"]!["mean"]![0]!, 14);
    }

    /// <summary>Any other failure (a bug, bad input) still stops the run and keeps what was written.</summary>
    [Fact]
    public void A_failing_realization_stops_the_run_and_keeps_what_was_written()
    {
        var dir = Ensembles.TempDir();
        var f = Path.Combine(dir, "fail.jsonl");
        var m = Ensembles.Fermion();
        var failing = m with
        {
            Realize = (s, r, ct) => r == 4 ? LanguageExt.Prelude.FinFail<Solution>(new BadInput("--test", "broken")) : m.Realize(s, r, ct),
        };
        var o = Ensembles.Run(failing, N, Seed, Shard.All, f, 1);
        Assert.IsType<BadInput>(o.Error);
        Assert.Contains("realization 4", o.Error!.Message);
        Assert.Equal(4, o.Written);
        Assert.True(Ensembles.Run(m, N, Seed, Shard.All, f, 2).Complete);
        var (_, clean) = CleanRun();
        Assert.Equal(Ensembles.SortedFileLines(clean), Ensembles.SortedFileLines(f));
    }
}
