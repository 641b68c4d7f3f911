using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Ness.Tests.Repository;

/// <summary>Effects at the edge and one-way dependencies (issue 19): only src/Cli reads the environment or writes the
/// console; every environment variable it reads is in the table "Environment" of docs/interface.md and every row of
/// that table is read; project references go Cli → Pipeline → {Operators, Numerics, Sparse}, and Cli names neither
/// Sparse nor Numerics.</summary>
public sealed class EffectsAtTheEdge
{
    static readonly string Root = FindRoot();

    static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Sparse.sln"))) return d.FullName;
        throw new InvalidOperationException("repository root (Sparse.sln) not found above " + AppContext.BaseDirectory);
    }

    static IEnumerable<string> Sources(string project) =>
        Directory.EnumerateFiles(Path.Combine(Root, "src", project), "*.cs", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(Root, f).Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj"));

    /// <summary>The code of a file without its comments (doc comments may name Console in prose).</summary>
    static string Code(string file) => Regex.Replace(File.ReadAllText(file), @"//[^\n]*|/\*.*?\*/", "", RegexOptions.Singleline);

    [Theory]
    [InlineData("Pipeline")]
    [InlineData("Numerics")]
    [InlineData("Operators")]
    [InlineData("Sparse")]
    public void Libraries_read_no_environment_and_write_no_console(string project)
    {
        var effect = new Regex(@"\bConsole\s*\.|\bEnvironment\s*\.\s*(GetEnvironmentVariable|GetEnvironmentVariables|SetEnvironmentVariable|Exit)\b");
        var offenders = Sources(project).Where(f => effect.IsMatch(Code(f))).Select(f => Path.GetRelativePath(Root, f)).ToList();
        Assert.True(offenders.Count == 0, $"src/{project} reads the environment or writes the console:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void The_environment_table_lists_exactly_the_variables_the_command_line_reads()
    {
        var read = Sources("Cli").SelectMany(f => Regex.Matches(Code(f), "\"((?:NESS|SLURM)_[A-Z_]+)\"").Select(m => m.Groups[1].Value))
            .ToHashSet();
        Assert.Contains("NESS_BLAS", read);   // the scan sees the variables at all
        var doc = File.ReadAllText(Path.Combine(Root, "docs", "interface.md"));
        int start = doc.IndexOf("### Environment", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/interface.md has no section \"### Environment\"");
        int end = doc.IndexOf("\n#", start + 1, StringComparison.Ordinal);
        var table = doc[start..(end < 0 ? doc.Length : end)];
        var documented = Regex.Matches(table, @"^\| `([A-Z_]+)`", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToHashSet();
        Assert.True(read.SetEquals(documented),
            $"read but not documented: {string.Join(", ", read.Except(documented))}; documented but not read: {string.Join(", ", documented.Except(read))}");
    }

    static string[] References(string csproj) =>
        XDocument.Load(Path.Combine(Root, csproj)).Descendants("ProjectReference")
            .Select(e => Path.GetFileNameWithoutExtension(e.Attribute("Include")!.Value)).Order().ToArray();

    [Fact]
    public void Project_references_go_one_way()
    {
        Assert.Equal(["Pipeline"], References("src/Cli/Cli.csproj"));
        Assert.Equal(["Numerics", "Operators", "Sparse"], References("src/Pipeline/Pipeline.csproj"));
        Assert.Empty(References("src/Numerics/Numerics.csproj"));
        Assert.Empty(References("src/Operators/Operators.csproj"));
        Assert.Empty(References("src/Sparse/Sparse.csproj"));
        var named = Sources("Cli").Where(f => Regex.IsMatch(Code(f), @"\bNess\.(Sparse|Numerics)\b"))
            .Select(f => Path.GetRelativePath(Root, f)).ToList();
        Assert.True(named.Count == 0, "src/Cli names Ness.Sparse or Ness.Numerics (route through Pipeline):\n" + string.Join("\n", named));
    }
}
