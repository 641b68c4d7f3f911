using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Ness.Sparse.Storage;
using MComplex = MathNet.Numerics.LinearAlgebra.Complex;

namespace Ness.Sparse.Tests;

public class StorageTests
{
    [Fact]
    public void OfIndexed_sums_duplicates_and_sorts_rows()
    {
        var coo = new CoordinateStorage(3, 2, 1);
        coo.At(2, 0, 1);
        coo.At(0, 0, 2);
        coo.At(2, 0, new Complex(0, 3));
        coo.At(1, 1, 4);
        coo.At(1, 1, -4);                       // explicit zero is kept as a stored entry
        var A = CompressedColumnStorage.OfIndexed(coo);
        Assert.Equal(3, A.NonZerosCount);
        Assert.Equal(new[] { 0, 2, 3 }, A.ColumnPointers);
        Assert.Equal(new[] { 0, 2, 1 }, A.RowIndices[..3]);
        Assert.Equal(new Complex(1, 3), A.Values[1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => coo.At(3, 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => coo.At(0, -1, 1));
    }

    [Fact]
    public void OfTriplets_matches_dense()
    {
        var A = CompressedColumnStorage.OfTriplets(2, 3, [0, 1, 1, 0], [2, 0, 0, 1], [1, 2, 3, 4]);
        var expected = new Complex[,] { { 0, 4, 1 }, { 5, 0, 0 } };
        Assert.Equal(expected, A.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            CompressedColumnStorage.OfTriplets(2, 3, [2], [0], [1]));
    }

    static Gen<(int m, int n, int d, int seed)> Shapes =>
        from m in Gen.Choose(0, 25)
        from n in Gen.Choose(0, 25)
        from d in Gen.Choose(0, 60)
        from s in Gen.Choose(0, int.MaxValue - 1)
        select (m, n, d, s);

    /// <summary>Smaller shapes and sparser patterns, same seed.</summary>
    static IEnumerable<(int m, int n, int d, int seed)> ShrinkShape((int m, int n, int d, int seed) t)
    {
        if (t.m > 0) yield return t with { m = t.m / 2 };
        if (t.n > 0) yield return t with { n = t.n / 2 };
        if (t.d > 0) yield return t with { d = t.d / 2 };
    }

    static CompressedColumnStorage RandomMatrix(int m, int n, int d, int seed)
    {
        var r = new Random(seed);
        var coo = new CoordinateStorage(m, n, 8);
        for (int j = 0; j < n; j++)
            for (int i = 0; i < m; i++)
                if (r.Next(100) < d) coo.At(i, j, new Complex(r.NextDouble() - 0.5, r.NextDouble() - 0.5));
        return CompressedColumnStorage.OfIndexed(coo);
    }

    [Property(MaxTest = 100)]
    public Property Products_transpose_and_sum_agree_with_dense() =>
        Prop.ForAll(Arb.From(Shapes, ShrinkShape), t =>
        {
            var (m, n, d, seed) = t;
            var A = RandomMatrix(m, n, d, seed);
            var B = RandomMatrix(m, n, d, seed + 1);
            var DA = MComplex.DenseMatrix.OfArray(A.ToArray());
            var DB = MComplex.DenseMatrix.OfArray(B.ToArray());
            var x = TestMatrices.RandomVector(n, seed);
            var z = TestMatrices.RandomVector(m, seed + 2);
            var y = new Complex[m];
            A.Multiply(x, y);
            var yRef = (DA * MComplex.DenseVector.OfArray(x)).ToArray();
            var w = new Complex[n];
            A.TransposeMultiply(z, w);
            var wRef = (DA.Transpose() * MComplex.DenseVector.OfArray(z)).ToArray();
            bool ok = TestMatrices.RelativeError(y, yRef) < 1e-14 && TestMatrices.RelativeError(w, wRef) < 1e-14;
            ok &= DA.Transpose().Equals(MComplex.DenseMatrix.OfArray(A.Transpose().ToArray()));
            ok &= DA.ConjugateTranspose().Equals(MComplex.DenseMatrix.OfArray(A.ConjugateTranspose().ToArray()));
            var S = A.Add(B);
            ok &= (DA + DB - MComplex.DenseMatrix.OfArray(S.ToArray())).FrobeniusNorm() < 1e-14;
            var S2 = A.Add(new Complex(2, 1), -1, B);
            ok &= (DA * new Complex(2, 1) - DB - MComplex.DenseMatrix.OfArray(S2.ToArray())).FrobeniusNorm() < 1e-13;
            // sorted, duplicate-free columns
            foreach (var M in new[] { A, A.Transpose(), S })
                for (int j = 0; j < M.ColumnCount; j++)
                    for (int p = M.ColumnPointers[j] + 1; p < M.ColumnPointers[j + 1]; p++)
                        ok &= M.RowIndices[p - 1] < M.RowIndices[p];
            return ok;
        });

    [Fact]
    public void Dimension_mismatches_are_rejected()
    {
        var A = CompressedColumnStorage.CreateIdentity(3);
        Assert.Throws<ArgumentException>(() => A.Multiply(new Complex[2], new Complex[3]));
        Assert.Throws<ArgumentException>(() => A.TransposeMultiply(new Complex[3], new Complex[4]));
        Assert.Throws<ArgumentException>(() => A.Add(new CompressedColumnStorage(3, 2, 0)));
    }
}

public class GrowthTests
{
    [Fact]
    public void Growth_is_geometric_and_oversize_requests_throw_OutOfMemory()
    {
        Assert.Equal(166, Ness.Sparse.Storage.Growth.Next(100, 101));
        Assert.Equal(5000, Ness.Sparse.Storage.Growth.Next(100, 5000));
        Assert.Equal(Array.MaxLength, Ness.Sparse.Storage.Growth.Next(Array.MaxLength - 10, Array.MaxLength - 5));
        Assert.Throws<OutOfMemoryException>(() => Ness.Sparse.Storage.Growth.Next(Array.MaxLength, (long)Array.MaxLength + 1));
    }
}
