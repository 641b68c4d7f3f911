using Ness.Operators.Harmonic;
using Ness.Pipeline;
using Ness.Pipeline.Lattice;

namespace Ness.Tests.Lattice;

public class BathsFileTests
{
    static readonly Box Box3 = new(4, 3, 2);

    static string Error(string[] lines, Box box) =>
        Baths.Parse("b.txt", lines, box).Match(_ => throw new Xunit.Sdk.XunitException("accepted"), e => e.Message);

    [Fact]
    public void Lines_give_sites_x_fastest_and_temperatures()
    {
        var b = Baths.Parse("b.txt", ["# x,y,z,T", "1,1,1,1.5", "", "4,3,2,2.5", " 2 , 3 , 1 , 0 "], Box3)
            .Match(x => x, e => throw new Xunit.Sdk.XunitException(e.Message));
        Assert.Equal([(0, 1.5), (23, 2.5), (9, 0.0)], b.Select(x => (x.Site, x.Temperature)));
    }

    [Fact]
    public void Duplicates_outside_sites_negative_temperatures_and_wrong_fields_are_bad_input_naming_the_line()
    {
        Assert.Contains("b.txt:2", Error(["1,1,1,1", "1,1,1,2"], Box3));
        Assert.Contains("listed twice", Error(["1,1,1,1", "1,1,1,2"], Box3));
        Assert.Contains("b.txt:1", Error(["5,1,1,1"], Box3));
        Assert.Contains("outside the box", Error(["0,1,1,1"], Box3));
        Assert.Contains("negative", Error(["1,1,1,2", "", "2,1,1,-1"], Box3));
        Assert.Contains("b.txt:3", Error(["1,1,1,2", "", "2,1,1,-1"], Box3));
        Assert.Contains("3 coordinates", Error(["1,1,2"], Box3));
        Assert.Contains("no bath", Error(["# nothing"], Box3));
        Assert.True(Baths.Parse("b.txt", ["1,1,1,x"], Box3).IsFail);
        Assert.All(new[] { ["1,1,1,1", "1,1,1,2"], new[] { "9,1,1,1" }, new[] { "1,1,1,-2" } },
            l => Assert.Equal(2, ((LanguageExt.Common.Expected)Baths.Parse("b", l, Box3).Match(_ => null!, e => e)).Code));
    }

    [Fact]
    public void Shapes_parse_and_bad_shapes_are_refused()
    {
        Assert.Equal(new Box(16, 16, 16), LatticeParameters.ParseShape("16x16x16").Match(b => b, _ => null!));
        Assert.Equal(new Box(64, 64, 1), LatticeParameters.ParseShape("64x64").Match(b => b, _ => null!));
        Assert.Equal(2, LatticeParameters.ParseShape("12").Match(b => b.Dimension == 1 ? 2 : 0, _ => 0));
        foreach (var bad in new[] { "", "x", "0x3", "1x5", "3x3x3x3", "4x-1", "200x200x200", "a" })
            Assert.True(LatticeParameters.ParseShape(bad).IsFail, bad);
    }
}
