using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Ness.Sparse.Factorization;
using Ness.Sparse.Ordering;
using Ness.Sparse.Storage;
using Xunit.Abstractions;

namespace Ness.Sparse.Tests;

public class AmdTests(ITestOutputHelper output)
{
    static readonly ColumnOrdering[] AmdOrderings =
        [ColumnOrdering.MinimumDegreeAtPlusA, ColumnOrdering.MinimumDegreeStS, ColumnOrdering.MinimumDegreeAtA];

    /// <summary>Random square patterns (sizes 1..300, some with full rows/columns to exercise the
    /// dense-node path) give a permutation for every AMD variant.</summary>
    [Property(MaxTest = 200)]
    public Property Amd_returns_a_permutation() =>
        Prop.ForAll(Arb.From(
            from n in Gen.Choose(1, 300)
            from d in Gen.Choose(0, 30)
            from full in Gen.Choose(0, 3)
            from s in Gen.Choose(0, int.MaxValue - 1)
            select (n, d, full, s),
            t => new[] { t with { n = Math.Max(1, t.n / 2) }, t with { d = t.d / 2 }, t with { full = 0 } }.Where(u => u != t)), t =>
        {
            var (n, dPercent, full, seed) = t;
            var r = new Random(seed);
            var coo = new CoordinateStorage(n, n, 16);
            // scale density so the average row has at most ~dPercent/100 * 30 entries
            double p = Math.Min(1.0, dPercent / 100.0 * 30.0 / n);
            for (int j = 0; j < n; j++)
                for (int i = 0; i < n; i++)
                    if (r.NextDouble() < p) coo.At(i, j, 1);
            for (int f = 0; f < full && n > 0; f++)
            {
                int k = r.Next(n);
                for (int i = 0; i < n; i++) { coo.At(i, k, 1); coo.At(k, i, 1); }
            }
            var A = CompressedColumnStorage.OfIndexed(coo);
            foreach (var o in AmdOrderings)
                if (!TestMatrices.IsPermutation(Amd.Generate(A, o), n)) return false;
            return true;
        });

    /// <summary>Quotient-graph garbage collection must not change the result: the ordering with the
    /// standard elbow room (which compacts on grids and random graphs) equals the one with ample room.</summary>
    [Property(MaxTest = 60)]
    public Property Compaction_does_not_change_the_ordering() =>
        Prop.ForAll(Arb.From(
            from n in Gen.Choose(2, 400)
            from deg in Gen.Choose(1, 12)
            from s in Gen.Choose(0, int.MaxValue - 1)
            select (n, deg, s),
            t => new[] { t with { n = Math.Max(2, t.n / 2) }, t with { deg = Math.Max(1, t.deg / 2) } }.Where(u => u != t)), t =>
        {
            var (n, deg, seed) = t;
            var r = new Random(seed);
            var coo = new CoordinateStorage(n, n, n * deg);
            for (int j = 0; j < n; j++)
            {
                coo.At(j, j, 1);
                for (int e = 0; e < deg; e++) coo.At(r.Next(n), j, 1);
            }
            var A = CompressedColumnStorage.OfIndexed(coo);
            Amd.PatternAPlusAT(A, out var cp, out var ci);
            var big = new int[ci.Length * 10];
            Array.Copy(ci, big, ci.Length);
            int dense = Math.Min(n - 2, (int)Math.Max(16, 10 * Math.Sqrt(n)));
            var p1 = Amd.Order(n, (int[])cp.Clone(), ci, dense);
            var p2 = Amd.Order(n, cp, big, dense);
            return TestMatrices.IsPermutation(p1, n) && p1.AsSpan().SequenceEqual(p2);
        });

    [Fact]
    public void Grid_3D_ordering_is_unchanged_by_compaction()
    {
        var A = TestMatrices.Grid3D(12);
        Amd.PatternAPlusAT(A, out var cp, out var ci);
        var big = new int[ci.Length * 10];
        Array.Copy(ci, big, ci.Length);
        int n = A.ColumnCount;
        int dense = Math.Min(n - 2, (int)Math.Max(16, 10 * Math.Sqrt(n)));
        Assert.Equal(Amd.Order(n, (int[])cp.Clone(), ci, dense), Amd.Order(n, cp, big, dense));
    }

    [Fact]
    public void Natural_is_identity()
    {
        var q = Amd.Generate(TestMatrices.Grid2D(3, 4), ColumnOrdering.Natural);
        Assert.Equal(TestMatrices.Identity(12), q);
    }

    static CompressedColumnStorage Symmetrize(int n, IEnumerable<(int a, int b)> edges, Complex diag)
    {
        var coo = new CoordinateStorage(n, n, 16);
        for (int i = 0; i < n; i++) coo.At(i, i, diag);
        foreach (var (a, b) in edges) { coo.At(a, b, -1); coo.At(b, a, -1); }
        return CompressedColumnStorage.OfIndexed(coo);
    }

    /// <summary>A random tree (randomly labelled) has a zero-fill elimination order (leaves first);
    /// minimum degree must find one: nnz(L) + nnz(U) = nnz(A) + n (unit diagonal of L).</summary>
    [Property(MaxTest = 100)]
    public Property Tree_is_ordered_without_fill() =>
        Prop.ForAll(Arb.From(
            from n in Gen.Choose(1, 400)
            from s in Gen.Choose(0, int.MaxValue - 1)
            select (n, s),
            t => t.n > 1 ? [t with { n = t.n / 2 }] : Array.Empty<(int n, int s)>()), t =>
        {
            var (n, seed) = t;
            var r = new Random(seed);
            var label = TestMatrices.Permutation(n, r);
            var edges = new List<(int, int)>();
            for (int v = 1; v < n; v++) edges.Add((label[v], label[r.Next(v)]));
            var A = Symmetrize(n, edges, n + 1);
            var lu = SparseLU.Create(A, ColumnOrdering.MinimumDegreeAtPlusA, 1e-3);
            return (lu.NonZerosCount == A.NonZerosCount + n)
                .Label($"nnz(L+U) = {lu.NonZerosCount}, nnz(A) + n = {A.NonZerosCount + n}");
        });

    /// <summary>Arrowhead with the hub first: natural order fills completely, AMD orders the hub last.</summary>
    [Fact]
    public void Arrowhead_hub_is_ordered_last()
    {
        int n = 50;
        var edges = Enumerable.Range(1, n - 1).Select(i => (0, i));
        var A = Symmetrize(n, edges, n + 1);
        var amd = SparseLU.Create(A, ColumnOrdering.MinimumDegreeAtPlusA, 1e-3);
        var nat = SparseLU.Create(A, ColumnOrdering.Natural, 1e-3);
        Assert.Equal(A.NonZerosCount + n, amd.NonZerosCount);
        Assert.Equal((long)n * n + n, nat.NonZerosCount);     // dense L and U
    }

    [Fact]
    public void Grid_30x30_amd_has_much_less_fill_than_natural()
    {
        var A = TestMatrices.Grid2D(30, 30);
        var nat = SparseLU.Create(A, ColumnOrdering.Natural, 1.0);
        var amd = SparseLU.Create(A, ColumnOrdering.MinimumDegreeAtPlusA, 1.0);
        var sts = SparseLU.Create(A, ColumnOrdering.MinimumDegreeStS, 1.0);
        output.WriteLine($"30x30 grid, nnz(A) = {A.NonZerosCount}: nnz(L+U) natural = {nat.NonZerosCount}, " +
            $"AMD(A+A') = {amd.NonZerosCount}, AMD(S'S) = {sts.NonZerosCount}");
        Assert.True(amd.NonZerosCount < nat.NonZerosCount);
        Assert.True(amd.NonZerosCount < 0.6 * nat.NonZerosCount, "AMD should save at least 40 % of the fill.");

        // and the factorization is still right
        var b = TestMatrices.RandomVector(A.ColumnCount, 1);
        var x = new Complex[b.Length];
        var r = new Complex[b.Length];
        amd.Solve(b, x);
        A.Multiply(x, r);
        for (int i = 0; i < r.Length; i++) r[i] -= b[i];
        Assert.True(TestMatrices.Norm(r) < 1e-12 * TestMatrices.Norm(b));
    }
}
