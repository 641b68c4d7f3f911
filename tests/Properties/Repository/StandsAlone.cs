using System.Text.RegularExpressions;

namespace Ness.Tests.Repository;

/// <summary>A clone of the repository is complete: every relative link in its markdown resolves, and no
/// file points outside the repository (to a sibling folder that only the developers' machines have).</summary>
public sealed class StandsAlone
{
    static readonly string Root = FindRoot();

    static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Sparse.sln"))) return d.FullName;
        throw new InvalidOperationException("repository root (Sparse.sln) not found above " + AppContext.BaseDirectory);
    }

    static readonly string[] Skipped = ["bin", "obj", ".git", "TestResults", "BenchmarkDotNet.Artifacts", "node_modules"];

    static IEnumerable<string> Files(params string[] patterns) =>
        patterns.SelectMany(p => Directory.EnumerateFiles(Root, p, SearchOption.AllDirectories))
            .Where(f => !Path.GetRelativePath(Root, f).Split(Path.DirectorySeparatorChar).Any(Skipped.Contains))
            .Distinct();

    // [text](target) and ![alt](target); the target ends at whitespace or ')'
    static readonly Regex Link = new(@"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+""[^""]*"")?\s*\)", RegexOptions.Compiled);

    [Fact]
    public void Every_relative_markdown_link_resolves()
    {
        var broken = new List<string>();
        var md = Files("*.md").ToList();
        Assert.NotEmpty(md);
        foreach (var f in md)
        {
            var text = File.ReadAllText(f);
            // links inside fenced code blocks are examples, not links
            text = Regex.Replace(text, "```.*?```", "", RegexOptions.Singleline);
            foreach (Match m in Link.Matches(text))
            {
                var target = m.Groups[1].Value;
                if (Regex.IsMatch(target, "^[a-zA-Z][a-zA-Z0-9+.-]*:") || target.StartsWith('#')) continue; // URL, anchor
                var path = Uri.UnescapeDataString(target.Split('#')[0]);
                var full = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(f)!, path));
                if (!full.StartsWith(Root, StringComparison.Ordinal))
                    broken.Add($"{Path.GetRelativePath(Root, f)}: '{target}' points outside the repository");
                else if (!File.Exists(full) && !Directory.Exists(full))
                    broken.Add($"{Path.GetRelativePath(Root, f)}: '{target}' does not exist");
            }
        }
        Assert.True(broken.Count == 0, "broken links:\n" + string.Join("\n", broken));
    }

    [Fact]
    public void No_file_points_to_the_developers_shared_folder()
    {
        var needle = ".." + "/shared";  // split so that this file does not match itself
        var offenders = Files("*.md", "*.cs", "*.csproj", "*.props", "*.sh", "*.sbatch", "*.py", "*.fsx", "run")
            .Where(f => File.ReadAllText(f).Contains(needle, StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(Root, f))
            .ToList();
        Assert.True(offenders.Count == 0, "files pointing outside the repository:\n" + string.Join("\n", offenders));
    }
}
