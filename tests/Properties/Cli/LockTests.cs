using System.Diagnostics;
using Ness.Cli;
using Ness.Cli.Commands;

namespace Ness.Tests.Cli;

/// <summary>One writer per output: a second writer exits 4 at once naming the holder, or waits with --wait-lock;
/// a holder killed with kill -9 never blocks the next run; the same for reproduce's directory.</summary>
[Collection("Console")]
public class LockTests
{
    static readonly string[] Ensemble = ["ensemble", "fermion", "-L", "2", "--disorder", "1", "--seed", "5", "--realizations", "6", "--threads", "1"];

    [Fact]
    public void A_second_writer_exits_4_naming_the_holder_and_leaves_the_file_alone()
    {
        using var dir = NessProcess.TempDir();
        var path = Path.Combine(dir, "e.jsonl");
        using (var held = (OutputLock)OutputLock.Acquire(path, path + ".lock", "--out", false, TextWriter.Null))
        {
            var r = CliRun.Run([.. Ensemble, "--out", path]);
            Assert.Equal(Exit.Io, r.Code);
            Assert.Empty(r.Out);
            Assert.Contains($"pid {Environment.ProcessId} on host {Environment.MachineName}", r.Err);
            Assert.Contains("--wait-lock", r.Err);
            Assert.False(File.Exists(path));
        }
        // another file of the same directory (another shard) is not affected
        Assert.Equal(0, CliRun.Run([.. Ensemble, "--out", Path.Combine(dir, "other.jsonl")]).Code);
        Assert.False(File.Exists(path + ".lock"), "the lock file is removed when the lock is released");
    }

    [Fact]
    public async Task With_wait_lock_the_second_writer_waits_and_then_resumes()
    {
        using var dir = NessProcess.TempDir();
        var path = Path.Combine(dir, "e.jsonl");
        var held = (OutputLock)OutputLock.Acquire(path, path + ".lock", "--out", false, TextWriter.Null);
        var release = Task.Run(async () => { await Task.Delay(1000); held.Dispose(); });
        var clock = Stopwatch.StartNew();
        var r = CliRun.Run([.. Ensemble, "--out", path, "--wait-lock"]);
        await release;
        Assert.True(r.Code == 0, r.Err);
        Assert.True(clock.Elapsed.TotalSeconds >= 0.9, "it waited for the holder");
        Assert.Contains("waiting for", r.Err);
        Assert.Equal(6, File.ReadAllLines(path).Length);
    }

    [Fact]
    public void A_holder_killed_with_kill_9_never_blocks_the_next_run()
    {
        using var dir = NessProcess.TempDir();
        var path = Path.Combine(dir, "e.jsonl");
        var env = new Dictionary<string, string> { [NessProcess.DelayVariable] = "400" };
        var p = NessProcess.Start(dir, env, [.. Ensemble, "--out", path]);
        var clock = Stopwatch.StartNew();
        while (!(File.Exists(path) && Lines(path) >= 2) && clock.Elapsed.TotalSeconds < 60) Thread.Sleep(50);
        Assert.True(Lines(path) >= 2, "the child wrote two lines");
        p.Kill(); // SIGKILL: no handler runs, the holder file stays behind
        p.WaitForExit();
        var before = File.ReadAllBytes(path);
        Assert.True(File.Exists(path + ".lock"), "a stale lock file is left by kill -9");

        var r = CliRun.Run([.. Ensemble, "--out", path]);
        Assert.True(r.Code == 0, r.Err);
        var after = File.ReadAllBytes(path);
        var lines = File.ReadAllLines(path);
        Assert.Equal(6, lines.Length);
        Assert.Equal(6, lines.Select(l => System.Text.Json.Nodes.JsonNode.Parse(l)!["realization"]!.GetValue<long>()).Distinct().Count());
        int keep = Array.LastIndexOf(before, (byte)'\n') + 1; // whole lines written before the kill are kept byte for byte
        Assert.Equal(before[..keep], after[..keep]);
    }

    [Fact]
    public void Interrupting_a_run_that_waits_for_the_lock_exits_130()
    {
        using var dir = NessProcess.TempDir();
        var path = Path.Combine(dir, "e.jsonl");
        using var held = (OutputLock)OutputLock.Acquire(path, path + ".lock", "--out", false, TextWriter.Null);
        var p = NessProcess.Start(dir, null, [.. Ensemble, "--out", path, "--wait-lock"]);
        var err = new System.Text.StringBuilder();
        p.ErrorDataReceived += (_, e) => { lock (err) err.AppendLine(e.Data); };
        p.BeginErrorReadLine();
        var clock = Stopwatch.StartNew();
        while (!Contains(err, "waiting for") && clock.Elapsed.TotalSeconds < 60) Thread.Sleep(50);
        Assert.True(Contains(err, "waiting for"), err.ToString());
        using (var kill = Process.Start("kill", ["-INT", p.Id.ToString()])) kill.WaitForExit();
        Assert.True(p.WaitForExit(30_000));
        Assert.Equal(130, p.ExitCode);
        Assert.False(File.Exists(path) && new FileInfo(path).Length > 0);
    }

    static bool Contains(System.Text.StringBuilder sb, string s) { lock (sb) return sb.ToString().Contains(s); }

    /// <summary>Complete lines of a file another process is writing (read without taking a lock).</summary>
    static int Lines(string path)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return new StreamReader(fs).ReadToEnd().Count(c => c == '\n');
    }

    [Fact]
    public void Reproduce_refuses_a_directory_another_run_is_writing()
    {
        using var dir = NessProcess.TempDir();
        using var held = (OutputLock)OutputLock.Acquire(dir, Path.Combine(dir, ReproduceCommand.LockName), "--out", false, TextWriter.Null);
        var r = CliRun.Run("reproduce", "--figure", "1", "--out", dir, "--length", "4", "--realizations", "1");
        Assert.Equal(Exit.Io, r.Code);
        Assert.Empty(r.Out);
        Assert.Contains($"pid {Environment.ProcessId}", r.Err);
        Assert.DoesNotContain(Directory.GetFiles(dir), f => f.EndsWith(".png"));
    }
}
