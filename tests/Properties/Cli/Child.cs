using System.Diagnostics;

namespace Ness.Tests.Cli;

/// <summary>The built <c>ness</c> (ness.dll next to the test assembly) as a child process, for behaviour that is
/// about processes: locks held by another process, kill -9, memory limits of the runtime.</summary>
static class Child
{
    static readonly string NessDll = Path.Combine(AppContext.BaseDirectory, "ness.dll");

    public sealed record Result(int Code, string Stdout, string Stderr);

    public static Process Start(string dir, IDictionary<string, string>? env, params string[] args) => Start(dir, env, false, args);

    /// <summary>Starts ness; with <paramref name="stdin"/> its stdin is a pipe the caller writes (and closes).</summary>
    public static Process Start(string dir, IDictionary<string, string>? env, bool stdin, params string[] args)
    {
        Assert.True(File.Exists(NessDll), $"{NessDll} not found");
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(NessDll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (env is not null) foreach (var (k, v) in env) psi.Environment[k] = v;
        return Process.Start(psi)!;
    }

    public static Result Wait(Process p, int seconds = 60)
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

    public static Result Run(string dir, IDictionary<string, string>? env, params string[] args) => Wait(Start(dir, env, args));

    public static string TempDir()
    {
        var d = Path.Combine(Path.GetTempPath(), "ness-cli-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(d);
        return d;
    }
}
