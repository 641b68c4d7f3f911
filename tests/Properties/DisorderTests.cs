using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Ness.Pipeline;

namespace Ness.Tests;

/// <summary>The documented disorder generator: same (seed, realization), same values everywhere.</summary>
public class DisorderTests
{
    /// <summary>Values from an independent implementation of the documented algorithm (Python integers,
    /// SplitMix64 as written in Disorder's doc comment): the generator is machine- and runtime-independent.</summary>
    [Fact]
    public void MatchesAnIndependentImplementationOfTheDocumentedAlgorithm()
    {
        Assert.Equal([-1.3567720752987515, -2.5176798635745516, -6.942184837878045, -3.408351051828409],
            Disorder.Uniform(1, 0, 4, -10, 10));
        Assert.Equal([1.3361235399349223, 1.1930976065589094, 1.0256988836635288],
            Disorder.Uniform(-7, 123456789, 3, 1, 2));
    }

    [Property(MaxTest = 50)]
    public Property ValuesLieInTheRangeAndRealizationsDiffer() =>
        Prop.ForAll(Gen.Choose(-1000, 1000).ToArbitrary(), Gen.Choose(0, 1000).ToArbitrary(), (seed, r) =>
        {
            var a = Disorder.Uniform(seed, r, 16, -3, 5);
            var b = Disorder.Uniform(seed, r + 1, 16, -3, 5);
            return a.All(x => x >= -3 && x < 5) && !a.SequenceEqual(b) && a.SequenceEqual(Disorder.Uniform(seed, r, 16, -3, 5));
        });
}
