using System.Diagnostics;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace Ness.Tests.Cli;

/// <summary>Write errors mid-ensemble: exit 4, the lines already written intact, and a rerun after space is freed
/// resumes with nothing duplicated and the earlier bytes unchanged. A small filesystem is a tmpfs mounted with
/// size= (needs root, as in CI); /dev/full fails every write.</summary>
public class DiskFullTests(ITestOutputHelper output)
{
    static readonly string[] Ensemble = ["ensemble", "fermion", "-L", "2", "--disorder", "1", "--seed", "11", "--realizations", "30", "--threads", "2"];

    static int Sh(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(psi)!;
            p.WaitForExit();
            return p.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception) { return -1; }
    }

    [Fact]
    public void A_full_disk_mid_ensemble_exits_4_keeps_whole_lines_and_resumes_byte_identical()
    {
        using var dir = NessProcess.TempDir();
        // 12 KiB: room for about ten lines of an L = 2 chain, far fewer than the 30 asked for
        if (Sh("mount", "-t", "tmpfs", "-o", "size=12k", "tmpfs", dir) != 0)
        {
            output.WriteLine("SKIPPED: cannot mount a small tmpfs here (needs root and mount permission); the /dev/full test still runs");
            return;
        }
        try
        {
            var path = Path.Combine(dir, "e.jsonl");
            var full = NessProcess.RunIn(dir, null, [.. Ensemble, "--out", path]);
            Assert.Equal(4, full.Code);
            Assert.Empty(full.Stdout);
            Assert.Contains("No space left on device", full.Stderr);
            Assert.Contains("rerun the same command to resume", full.Stderr);
            Assert.DoesNotContain("   at ", full.Stderr);
            var before = File.ReadAllBytes(path);
            Assert.True(before.Length > 0 && before[^1] == (byte)'\n', "only whole lines are kept");
            var first = File.ReadAllLines(path);
            Assert.InRange(first.Length, 1, 29);
            foreach (var l in first) Assert.NotNull(JsonNode.Parse(l)!["realization"]);

            Assert.Equal(0, Sh("mount", "-o", "remount,size=1m", dir)); // space freed
            var resumed = NessProcess.RunIn(dir, null, [.. Ensemble, "--out", path]);
            Assert.True(resumed.Code == 0, resumed.Stderr);
            var after = File.ReadAllBytes(path);
            Assert.Equal(before, after[..before.Length]);
            var r = File.ReadAllLines(path).Select(l => JsonNode.Parse(l)!["realization"]!.GetValue<long>()).ToList();
            Assert.Equal(Enumerable.Range(0, 30).Select(i => (long)i), r.Order());
        }
        finally
        {
            Sh("umount", dir);
        }
    }

    [Fact]
    public void Reproduce_on_a_full_disk_exits_4_and_resumes_once_there_is_space()
    {
        using var dir = NessProcess.TempDir();
        if (Sh("mount", "-t", "tmpfs", "-o", "size=40k", "tmpfs", dir) != 0)
        {
            output.WriteLine("SKIPPED: cannot mount a small tmpfs here (needs root and mount permission)");
            return;
        }
        try
        {
            string[] args = ["reproduce", "--figure", "3", "--out", Path.Combine(dir, "r"), "--length", "4", "--realizations", "30", "--threads", "2"];
            var full = NessProcess.RunIn(dir, null, args);
            Assert.Equal(4, full.Code);
            Assert.Empty(full.Stdout);
            Assert.Contains("No space left on device", full.Stderr);
            Assert.DoesNotContain("   at ", full.Stderr);
            Assert.Equal(0, Sh("mount", "-o", "remount,size=20m", dir));
            var resumed = NessProcess.RunIn(dir, null, args);
            Assert.True(resumed.Code == 0, resumed.Stderr);
            Assert.True((long)JsonNode.Parse(resumed.Stdout)!["realizations_resumed"]! > 0, "the realizations written before the failure are reused");
        }
        finally
        {
            Sh("umount", dir);
        }
    }

    [Fact]
    public void A_single_run_whose_stdout_is_full_exits_4()
    {
        if (!File.Exists("/dev/full") || !File.Exists("/bin/sh"))
        {
            output.WriteLine("SKIPPED: no /dev/full or /bin/sh on this system");
            return;
        }
        var ness = Path.Combine(AppContext.BaseDirectory, "ness.dll");
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        Assert.Equal(4, Sh("/bin/sh", "-c", $"'{dotnet}' '{ness}' fermion -L 2 --fields 1,1 > /dev/full"));
        Assert.Equal(4, Sh("/bin/sh", "-c", $"'{dotnet}' '{ness}' harmonic -L 3 --seed 1 --weak-coupling > /dev/full"));
    }

    [Fact]
    public void Writing_to_dev_full_exits_4_with_nothing_on_stdout()
    {
        if (!File.Exists("/dev/full"))
        {
            output.WriteLine("SKIPPED: no /dev/full on this system");
            return;
        }
        using var dir = NessProcess.TempDir();
        var r = NessProcess.RunIn(dir, null, [.. Ensemble, "--out", "/dev/full"]);
        Assert.Equal(4, r.Code);
        Assert.Empty(r.Stdout);
        Assert.Contains("No space left on device", r.Stderr);
        Assert.False(File.Exists("/dev/full.lock"));
    }
}
