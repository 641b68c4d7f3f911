using System.Diagnostics;

namespace Ness.Tests;

/// <summary>Runs the built <c>ness</c> (ness.dll next to the test assembly) as a separate process.</summary>
public static class NessProcess
{
    static readonly string NessDll = Path.Combine(AppContext.BaseDirectory, "ness.dll");

    public sealed record Result(int Code, string Stdout, string Stderr);

    public static Process Start(IDictionary<string, string>? env, params string[] args)
    {
        Assert.True(File.Exists(NessDll), $"{NessDll} not found");
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(NessDll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (env is not null) foreach (var (k, v) in env) psi.Environment[k] = v;
        return Process.Start(psi)!;
    }

    public static Result Wait(Process p, int seconds = 120)
    {
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(seconds * 1000), $"ness did not finish within {seconds} s");
        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }

    public static Result Run(params string[] args) => Wait(Start(null, args));
}
