using System.Text.Json;

namespace Ness.Tests.Lattice;

/// <summary><c>ness harmonic --shape</c> in-process: the JSON contract (docs/lattice.md), bad input naming the flag
/// or the bath file's line (exit 2), the refusal (exit 3) and d = 1 against --length.</summary>
[Collection("Console")]
public class LatticeCliTests
{
    static (int Code, string Out, string Err) Run(params string[] args) => CliRun.Run(["harmonic", .. args]);

    [Fact]
    public void Json_has_shape_profile_per_site_slice_means_currents_and_certificate()
    {
        var (code, stdout, stderr) = Run("--shape", "4x3x2", "--seed", "3", "--coupling", "0.4", "--bath-coupling", "0.7");
        Assert.True(code == 0, stderr);
        var o = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal([4, 3, 2], o.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        var t = o.GetProperty("profile").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var tx = o.GetProperty("profile_x").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(24, t.Length);
        for (int x = 0; x < 4; x++)
            Assert.Equal(Enumerable.Range(0, 6).Average(s => t[x + 4 * s]), tx[x], 14);
        var j = o.GetProperty("current").GetProperty("into_baths").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(12, j.Length);   // the faces x = 1 and x = 4, 6 sites each
        Assert.Equal(j.Sum(), o.GetProperty("current").GetProperty("sum").GetDouble(), 15);
        Assert.True(Math.Abs(j.Sum()) < 1e-12 * j.Max(Math.Abs), $"currents sum to {j.Sum():G3}");
        var d = o.GetProperty("diagnostics");
        Assert.True(d.GetProperty("error_estimate").GetDouble() <= 1e-9 * 2);   // 1e-9 x max T_y (faces at 1, 2)
        Assert.True(d.GetProperty("equilibrium_error").GetDouble() <= 1e-9);
    }

    [Fact]
    public void Shape_NX_equals_length_NX()
    {
        foreach (var lambda in new[] { new[] { "--weak-coupling" }, ["--bath-coupling", "0.5"] })
        {
            var box = JsonDocument.Parse(Run(["--shape", "9", "--seed", "5", "--coupling", "0.3", .. lambda]).Out).RootElement;
            var chain = JsonDocument.Parse(Run(["--length", "9", "--seed", "5", "--coupling", "0.3", .. lambda]).Out).RootElement;
            var a = box.GetProperty("profile").EnumerateArray().Select(e => e.GetDouble());
            var b = chain.GetProperty("profile").EnumerateArray().Select(e => e.GetDouble());
            double diff = a.Zip(b, (x, y) => Math.Abs(x - y)).Max();
            Assert.True(diff <= 1e-12, $"{lambda[0]}: |--shape 9 - --length 9| = {diff:G3}");
        }
    }

    [Theory]
    [InlineData("--shape", "--shape", "0x3", "--seed", "1", "--weak-coupling")]
    [InlineData("--shape", "--shape", "3x3x3x3", "--seed", "1", "--weak-coupling")]
    [InlineData("--length", "--shape", "3x3", "--length", "3", "--seed", "1", "--weak-coupling")]
    [InlineData("--pinning", "--shape", "3x3", "--pinning", "1,1,1", "--weak-coupling")]
    [InlineData("--bath-coupling", "--shape", "3x3", "--seed", "1")]
    [InlineData("--temperatures", "--shape", "3x3", "--seed", "1", "--weak-coupling", "--baths", "/dev/null", "--temperatures", "1,2")]
    [InlineData("--baths", "--shape", "3x3", "--seed", "1", "--weak-coupling", "--baths", "/nonexistent/baths.txt")]
    public void Bad_input_exits_2_naming_the_flag(string flag, params string[] args)
    {
        var (code, stdout, stderr) = Run(args);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains(flag, stderr);
    }

    [Theory]
    [InlineData("1,1,1\n3,3,2\n1,1,1.5\n", "baths.txt:3", "listed twice")]
    [InlineData("1,1,1\n4,1,2\n", "baths.txt:2", "outside the box")]
    [InlineData("# x,y,T\n1,1,1\n3,1,-2\n", "baths.txt:3", "negative")]
    [InlineData("1,1,1,1\n", "baths.txt:1", "2 coordinates")]
    public void Bath_file_errors_exit_2_naming_the_file_and_line(string content, string where, string what)
    {
        var dir = Directory.CreateTempSubdirectory("ness-baths");
        try
        {
            var file = Path.Combine(dir.FullName, "baths.txt");
            File.WriteAllText(file, content);
            var (code, stdout, stderr) = Run("--shape", "3x3", "--seed", "1", "--weak-coupling", "--baths", file);
            Assert.Equal(2, code);
            Assert.Equal("", stdout);
            Assert.Contains(where, stderr);
            Assert.Contains(what, stderr);
        }
        finally { dir.Delete(true); }
    }

    /// <summary>A long strongly localized chain through the dense path (a bath file, so not the chain engine): the
    /// middle modes' weights at the ends (~1e-60) are below what dense eigenvectors resolve: exit 3, nothing printed,
    /// while the chain engine (--length, twisted factorizations) certifies the same chain.</summary>
    [Fact]
    public void Unresolvable_tails_are_refused_with_exit_3()
    {
        var dir = Directory.CreateTempSubdirectory("ness-baths");
        try
        {
            var file = Path.Combine(dir.FullName, "ends.txt");
            File.WriteAllText(file, "1,1\n60,2\n");
            var (code, stdout, stderr) = Run("--shape", "60", "--seed", "1", "--weak-coupling", "--baths", file);
            Assert.Equal(3, code);
            Assert.Equal("", stdout);
            Assert.Contains("estimated error of T", stderr);
            Assert.Equal(0, Run("--length", "60", "--seed", "1", "--weak-coupling").Code);
        }
        finally { dir.Delete(true); }
    }
}
