using System.Collections.Immutable;
using FsCheck;
using FsCheck.Fluent;
using Ness.Operators.Harmonic;
using Ness.Pipeline.Lattice;

namespace Ness.Tests.Lattice;

/// <summary>A small box with physical parameters: shape (d = 1..3, at most 12 sites), pinning in [1, 2], coupling g in
/// [0.2, 1], a bath set (the faces, or a random nonempty subset of the geometric boundary) with temperatures in
/// [0, 3], and a bath coupling lambda in [0.1, 2].</summary>
public sealed record SmallBox(int NX, int NY, int NZ, double[] Pinning, double G, (int Site, double T)[] Baths, double Lambda)
{
    public Box Box => new(NX, NY, NZ);

    public override string ToString() =>
        $"SmallBox({Box}, g={G:R}, lambda={Lambda:R}, V=[{string.Join(",", Pinning.Select(v => v.ToString("R")))}], " +
        $"baths=[{string.Join(" ", Baths.Select(b => $"{b.Site}:{b.T:R}"))}])";

    public LatticeParameters Parameters(bool weak, double? lambda = null, (int Site, double T)[]? baths = null) =>
        LatticeParameters.Create(Box, G, weak ? LanguageExt.Option<double>.None : lambda ?? Lambda, weak, [1, 2],
                LanguageExt.Option<ImmutableArray<Bath>>.Some([.. (baths ?? Baths).Select(b => new Bath(b.Site, b.T))]), Pinning, LanguageExt.Option<double[]>.None,
                LanguageExt.Option<long>.None)
            .Match(p => p, e => throw new Xunit.Sdk.XunitException(e.Message));
}

public static class LatticeGen
{
    static Gen<double> Uniform(int lo, int hi, double scale) => Gen.Choose(lo, hi).Select(i => i * scale);

    static readonly (int, int, int)[] Shapes =
        [(2, 1, 1), (3, 1, 1), (5, 1, 1), (8, 1, 1), (2, 2, 1), (3, 2, 1), (2, 3, 1), (3, 3, 1), (4, 3, 1), (2, 2, 2), (3, 2, 2)];

    public static Gen<SmallBox> Boxes =>
        from s in Gen.Elements(Shapes)
        let box = new Box(s.Item1, s.Item2, s.Item3)
        from v in Gen.ArrayOf(Uniform(1000, 2000, 1e-3), box.Sites)
        from g in Uniform(20, 100, 1e-2)
        from faces in Gen.Elements(true, false)
        from subset in Gen.ArrayOf(Gen.Elements(true, false), box.Sites)
        from temps in Gen.ArrayOf(Uniform(0, 300, 1e-2), box.Sites)
        from t1 in Uniform(0, 300, 1e-2)
        from t2 in Uniform(0, 300, 1e-2)
        from lambda in Uniform(10, 200, 1e-2)
        select new SmallBox(s.Item1, s.Item2, s.Item3, v, g, BathSet(box, faces, subset, temps, t1, t2), lambda);

    static (int, double)[] BathSet(Box box, bool faces, bool[] subset, double[] temps, double t1, double t2)
    {
        if (faces) return [.. Baths.Faces(box, t1, t2).Select(b => (b.Site, b.Temperature))];
        var set = Enumerable.Range(0, box.Sites).Where(i => box.OnBoundary(i) && subset[i]).Select(i => (i, temps[i])).ToArray();
        return set.Length > 0 ? set : [(0, t1), (box.Sites - 1, t2)];
    }

    /// <summary>Pinning rounded to one decimal, faces at (1, 2), lambda 1.</summary>
    public static IEnumerable<SmallBox> Shrink(SmallBox b)
    {
        var round = b.Pinning.Select(v => Math.Round(v, 1)).ToArray();
        if (!round.SequenceEqual(b.Pinning)) yield return b with { Pinning = round };
        if (Math.Round(b.G, 1) != b.G && Math.Round(b.G, 1) >= 0.2) yield return b with { G = Math.Round(b.G, 1) };
        if (b.Lambda != 1) yield return b with { Lambda = 1 };
        var faces = Baths.Faces(b.Box, 1, 2).Select(x => (x.Site, x.Temperature)).ToArray();
        if (!faces.SequenceEqual(b.Baths)) yield return b with { Baths = faces };
    }

    public static Arbitrary<SmallBox> Arbitrary() => Arb.From(Boxes, Shrink);
}

/// <summary>The Arbitrary registered for <see cref="SmallBox"/> parameters of properties.</summary>
public static class LatticeArbitraries
{
    public static Arbitrary<SmallBox> SmallBox() => LatticeGen.Arbitrary();
}
