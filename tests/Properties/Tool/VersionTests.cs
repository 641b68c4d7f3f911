using System.Diagnostics;
using System.Text.RegularExpressions;
using Ness.Pipeline;

namespace Ness.Tests.Tool;

/// <summary><c>ness --version</c> prints the version of Directory.Build.props and the commit the build came from.</summary>
[Collection("Console")]
public class VersionTests
{
    /// <summary>The repository root (the folder holding Sparse.sln) above the test assembly.</summary>
    internal static string RepoRoot()
    {
        var d = new DirectoryInfo(AppContext.BaseDirectory);
        while (d is not null && !File.Exists(Path.Combine(d.FullName, "Sparse.sln"))) d = d.Parent;
        Assert.NotNull(d);
        return d!.FullName;
    }

    static string? GitHead(string dir)
    {
        try
        {
            var psi = new ProcessStartInfo("git", "rev-parse HEAD")
            { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = Process.Start(psi)!;
            string o = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            return p.ExitCode == 0 ? o : null;
        }
        catch (System.ComponentModel.Win32Exception) { return null; }   // no git on this machine
    }

    [Fact]
    public void Version_prints_the_props_version_and_the_commit()
    {
        var (code, stdout, stderr) = CliRun.Run("--version");
        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        Assert.Equal($"ness {BuildInfo.Text}{Environment.NewLine}", stdout);

        string props = File.ReadAllText(Path.Combine(RepoRoot(), "Directory.Build.props"));
        string version = Regex.Match(props, "<Version>([^<]+)</Version>").Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(version));
        Assert.Equal(version, BuildInfo.Version);
        Assert.StartsWith($"ness {version} (commit ", stdout);

        if (GitHead(RepoRoot()) is string head)
        {
            // built inside a git clone: the commit is HEAD's full hash, possibly marked ".dirty"
            Assert.True(BuildInfo.Commit.IsSome, "built in a git clone but no commit was stamped");
            string c = BuildInfo.Commit.IfNone("");
            Assert.Matches("^[0-9a-f]{40}(\\.dirty)?$", c);
            Assert.Equal(head, c[..40]);
        }
        else
        {
            Assert.True(BuildInfo.Commit.IsNone);
            Assert.Contains("commit unknown", stdout);
        }
    }
}
