using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using Ness.Sparse.Storage;
using MComplex = MathNet.Numerics.LinearAlgebra.Complex;

namespace Ness.Sparse.Tests;

/// <summary>Kinds of random test systems.</summary>
public enum SystemKind
{
    /// <summary>Column diagonally dominant.</summary>
    DiagonallyDominant,
    /// <summary>Diagonally dominant, then rows randomly permuted: the diagonal is mostly zero, pivoting is essential.</summary>
    RowPermutedDominant,
    /// <summary>Random values on a random pattern plus a random permutation (structurally nonsingular), no dominance.</summary>
    General,
}

/// <summary>Recipe for one random sparse system; the matrix is built deterministically from it.</summary>
public sealed record SystemSpec(int N, int DensityPercent, SystemKind Kind, int Seed)
{
    public override string ToString() => $"n={N} density={DensityPercent}% {Kind} seed={Seed}";
}

public static class TestMatrices
{
    /// <summary>Sizes 1..60, density 0..40 %, all kinds.</summary>
    public static Gen<SystemSpec> Specs =>
        from n in Gen.Choose(1, 60)
        from d in Gen.Choose(0, 40)
        from k in Gen.Choose(0, 2).Select(i => (SystemKind)i)
        from s in Gen.Choose(0, int.MaxValue - 1)
        select new SystemSpec(n, d, k, s);

    /// <summary><see cref="Specs"/> with a shrinker: a failing system is reported at the smallest size, density and
    /// simplest kind that still fail (the seed is kept, so a smaller spec is the same recipe on fewer columns).</summary>
    public static Arbitrary<SystemSpec> SpecArb => Arb.From(Specs, Shrink);

    public static IEnumerable<SystemSpec> Shrink(SystemSpec s)
    {
        if (s.N > 1) yield return s with { N = s.N / 2 };
        if (s.N > 1) yield return s with { N = s.N - 1 };
        if (s.DensityPercent > 0) yield return s with { DensityPercent = s.DensityPercent / 2 };
        if (s.Kind != SystemKind.DiagonallyDominant) yield return s with { Kind = SystemKind.DiagonallyDominant };
    }

    static Complex RandomComplex(Random r) => new(2 * r.NextDouble() - 1, 2 * r.NextDouble() - 1);

    /// <summary>Builds the matrix described by the spec.</summary>
    public static CompressedColumnStorage Build(SystemSpec s)
    {
        var r = new Random(s.Seed);
        int n = s.N;
        var coo = new CoordinateStorage(n, n, 4 * n);
        var colSum = new double[n];
        double density = s.DensityPercent / 100.0;
        var rows = new List<(int i, int j, Complex v)>();
        for (int j = 0; j < n; j++)
            for (int i = 0; i < n; i++)
                if (i != j && r.NextDouble() < density)
                {
                    var v = RandomComplex(r);
                    rows.Add((i, j, v));
                    colSum[j] += v.Magnitude;
                }
        switch (s.Kind)
        {
            case SystemKind.DiagonallyDominant:
            case SystemKind.RowPermutedDominant:
            {
                var perm = s.Kind == SystemKind.RowPermutedDominant ? Permutation(n, r) : Identity(n);
                foreach (var (i, j, v) in rows) coo.At(perm[i], j, v);
                for (int j = 0; j < n; j++)
                {
                    var phase = Complex.FromPolarCoordinates(1, 2 * Math.PI * r.NextDouble());
                    coo.At(perm[j], j, (colSum[j] + 0.5 + r.NextDouble()) * phase);
                }
                break;
            }
            case SystemKind.General:
            {
                foreach (var (i, j, v) in rows) coo.At(i, j, v);
                var perm = Permutation(n, r);
                for (int j = 0; j < n; j++) coo.At(perm[j], j, RandomComplex(r));
                break;
            }
        }
        return CompressedColumnStorage.OfIndexed(coo);
    }

    public static int[] Identity(int n)
    {
        var p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        return p;
    }

    public static int[] Permutation(int n, Random r)
    {
        var p = Identity(n);
        for (int i = n - 1; i > 0; i--)
        {
            int k = r.Next(i + 1);
            (p[i], p[k]) = (p[k], p[i]);
        }
        return p;
    }

    public static Complex[] RandomVector(int n, int seed)
    {
        var r = new Random(seed);
        var v = new Complex[n];
        for (int i = 0; i < n; i++) v[i] = RandomComplex(r);
        return v;
    }

    public static MComplex.DenseMatrix ToDense(CompressedColumnStorage A) =>
        MComplex.DenseMatrix.OfArray(A.ToArray());

    public static double Norm(ReadOnlySpan<Complex> v)
    {
        double s = 0;
        foreach (var z in v) s += z.Real * z.Real + z.Imaginary * z.Imaginary;
        return Math.Sqrt(s);
    }

    public static double RelativeError(ReadOnlySpan<Complex> x, ReadOnlySpan<Complex> reference)
    {
        var d = new Complex[x.Length];
        for (int i = 0; i < x.Length; i++) d[i] = x[i] - reference[i];
        double nr = Norm(reference);
        return nr == 0 ? Norm(d) : Norm(d) / nr;
    }

    /// <summary>5-point Laplacian on an nx×ny grid (4 on the diagonal, -1 to neighbours).</summary>
    public static CompressedColumnStorage Grid2D(int nx, int ny)
    {
        int n = nx * ny;
        var coo = new CoordinateStorage(n, n, 5 * n);
        int Id(int x, int y) => x + nx * y;
        for (int y = 0; y < ny; y++)
            for (int x = 0; x < nx; x++)
            {
                int k = Id(x, y);
                coo.At(k, k, 4);
                if (x > 0) coo.At(k, Id(x - 1, y), -1);
                if (x < nx - 1) coo.At(k, Id(x + 1, y), -1);
                if (y > 0) coo.At(k, Id(x, y - 1), -1);
                if (y < ny - 1) coo.At(k, Id(x, y + 1), -1);
            }
        return CompressedColumnStorage.OfIndexed(coo);
    }

    /// <summary>7-point Laplacian on an m×m×m grid (6 on the diagonal, -1 to neighbours).</summary>
    public static CompressedColumnStorage Grid3D(int m)
    {
        int n = m * m * m;
        var coo = new CoordinateStorage(n, n, 7 * n);
        int Id(int x, int y, int z) => x + m * (y + m * z);
        for (int z = 0; z < m; z++)
            for (int y = 0; y < m; y++)
                for (int x = 0; x < m; x++)
                {
                    int k = Id(x, y, z);
                    coo.At(k, k, 6);
                    if (x > 0) coo.At(k, Id(x - 1, y, z), -1);
                    if (x < m - 1) coo.At(k, Id(x + 1, y, z), -1);
                    if (y > 0) coo.At(k, Id(x, y - 1, z), -1);
                    if (y < m - 1) coo.At(k, Id(x, y + 1, z), -1);
                    if (z > 0) coo.At(k, Id(x, y, z - 1), -1);
                    if (z < m - 1) coo.At(k, Id(x, y, z + 1), -1);
                }
        return CompressedColumnStorage.OfIndexed(coo);
    }

    public static bool IsPermutation(int[] p, int n)
    {
        if (p.Length != n) return false;
        var seen = new bool[n];
        foreach (int i in p)
        {
            if ((uint)i >= (uint)n || seen[i]) return false;
            seen[i] = true;
        }
        return true;
    }
}
