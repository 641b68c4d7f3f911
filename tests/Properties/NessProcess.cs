using System.Diagnostics;

namespace Ness.Tests;

/// <summary>Runs the built <c>ness</c> (ness.dll next to the test assembly) as a separate process, for behaviour
/// that is about processes: shards, locks held by another process, kill -9, signals, pipes, memory limits.</summary>
public static class NessProcess
{
    static readonly string NessDll = Path.Combine(AppContext.BaseDirectory, "ness.dll");

    /// <summary>ness with the test seams (tests/NessTestHost), started instead of ness.dll when the environment of
    /// the child has <see cref="Host.DelayVariable"/>.</summary>
    static readonly string HostDll = Path.Combine(AppContext.BaseDirectory, "ness-test-host.dll");

    /// <summary>Delay in ms before every realization of an ensemble or <c>reproduce</c> (the test host only).</summary>
    public const string DelayVariable = Host.DelayVariable;

    public sealed record Result(int Code, string Stdout, string Stderr);

    public static Process Start(IDictionary<string, string>? env, params string[] args) => Start(null, env, false, args);

    public static Process Start(string? dir, IDictionary<string, string>? env, params string[] args) => Start(dir, env, false, args);

    /// <summary>Starts ness in <paramref name="dir"/> (or the current directory); with <paramref name="stdin"/> its
    /// stdin is a pipe the caller writes (and closes).</summary>
    public static Process Start(string? dir, IDictionary<string, string>? env, bool stdin, params string[] args)
    {
        var dll = env is not null && env.ContainsKey(DelayVariable) ? HostDll : NessDll;
        Assert.True(File.Exists(dll), $"{dll} not found");
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin,
            UseShellExecute = false,
        };
        if (dir is not null) psi.WorkingDirectory = dir;
        psi.ArgumentList.Add(dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (env is not null) foreach (var (k, v) in env) psi.Environment[k] = v;
        return Process.Start(psi)!;
    }

    /// <summary>Waits for the process; one that outlives <paramref name="seconds"/> is killed and the test fails.</summary>
    public static Result Wait(Process p, int seconds = 120)
    {
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(seconds * 1000))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"ness did not finish within {seconds} s");
        }
        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }

    public static Result Run(params string[] args) => Wait(Start(null, null, false, args));

    public static Result RunIn(string dir, IDictionary<string, string>? env, params string[] args) => Wait(Start(dir, env, args), 60);

    /// <summary>A fresh directory, deleted on dispose: <c>using var dir = NessProcess.TempDir();</c>.</summary>
    public static Scratch TempDir() => new("ness-cli-");
}
