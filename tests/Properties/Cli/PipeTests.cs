using System.Text.Json.Nodes;

namespace Ness.Tests.Cli;

/// <summary><c>ness ensemble ... | ness aggregate -</c>: the ensemble writes its lines to stdout when there is no
/// --out (progress stays on stderr), and aggregate reads stdin for "-".</summary>
[Collection("Console")]
public class PipeTests
{
    static readonly string[] Ensemble = ["ensemble", "harmonic", "-L", "12", "--weak-coupling", "--seed", "3", "--realizations", "8", "--threads", "1"];

    /// <summary>The aggregate without its provenance block (which names the build, the same for both).</summary>
    static string Numbers(string json)
    {
        var o = JsonNode.Parse(json)!.AsObject();
        o.Remove("provenance");
        return o.ToJsonString();
    }

    [Fact]
    public async Task Ensemble_piped_into_aggregate_equals_aggregate_of_the_file()
    {
        using var dir = NessProcess.TempDir();
        var file = Path.Combine(dir, "e.jsonl");
        var written = NessProcess.RunIn(dir, null, [.. Ensemble, "--out", file]);
        Assert.True(written.Code == 0, written.Stderr);
        var fromFile = NessProcess.RunIn(dir, null, "aggregate", file);
        Assert.Equal(0, fromFile.Code);

        var producer = NessProcess.Start(dir, null, Ensemble);
        var consumer = NessProcess.Start(dir, null, true, "aggregate", "-");
        var errors = producer.StandardError.ReadToEndAsync();
        var pump = Task.Run(() =>
        {
            producer.StandardOutput.BaseStream.CopyTo(consumer.StandardInput.BaseStream);
            consumer.StandardInput.Close();
        });
        var piped = NessProcess.Wait(consumer, 60);
        await pump;
        Assert.True(producer.WaitForExit(60_000));
        Assert.Equal(0, producer.ExitCode);
        Assert.True(piped.Code == 0, piped.Stderr);
        Assert.Equal(Numbers(fromFile.Stdout), Numbers(piped.Stdout));
        Assert.Equal(8, (int)JsonNode.Parse(piped.Stdout)!["count"]!);
        Assert.Contains("ensemble: 8/8 done", await errors); // progress on stderr, not in the pipe
    }

    [Fact]
    public void Without_out_stdout_holds_only_the_lines()
    {
        var r = CliRun.Run(Ensemble);
        Assert.True(r.Code == 0, r.Err);
        var lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(8, lines.Length);
        Assert.All(lines, l => Assert.NotNull(JsonNode.Parse(l)!["realization"]));
        Assert.Contains("8 realization(s) in stdout", r.Err);
    }

    [Fact]
    public void Aggregate_dash_reads_stdin_and_refuses_it_twice()
    {
        var lines = CliRun.Run(Ensemble).Out;
        using var dir = NessProcess.TempDir();
        var file = Path.Combine(dir, "e.jsonl");
        File.WriteAllText(file, lines);
        var fromStdin = CliRun.RunWithStdin(lines, "aggregate", "-");
        var fromFile = CliRun.Run("aggregate", file);
        Assert.True(fromStdin.Code == 0, fromStdin.Err);
        Assert.Equal(Numbers(fromFile.Out), Numbers(fromStdin.Out));
        var twice = CliRun.RunWithStdin(lines, "aggregate", "-", "-");
        Assert.Equal(2, twice.Code);
        Assert.Contains("given twice", twice.Err);
        var empty = CliRun.RunWithStdin("", "aggregate", "-");
        Assert.Equal(2, empty.Code);
        Assert.Empty(empty.Out);
    }
}
