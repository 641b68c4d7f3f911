using System.Diagnostics;
using System.Numerics;
using Ness.Sparse.Factorization;
using Ness.Sparse.Ordering;
using Ness.Sparse.Storage;
using Xunit.Abstractions;

namespace Ness.Sparse.Tests;

/// <summary>
/// Fill and time of AMD(A + Aᵀ) + LU on model problems; prints the numbers. The full measurement
/// (3D grid 20³, best of 3) runs only with NESS_SPARSE_MEASURE=1:
/// <c>NESS_SPARSE_MEASURE=1 dotnet test -c Release --filter Category=Measure --logger "console;verbosity=detailed"</c>;
/// otherwise a 12³ grid, once. Also checks the residual, so the numbers belong to a correct factorization.
/// </summary>
[Trait("Category", "Measure")]
public class FillMeasurements(ITestOutputHelper output)
{
    static readonly bool Full = Environment.GetEnvironmentVariable("NESS_SPARSE_MEASURE") == "1";

    void Measure(string name, CompressedColumnStorage A, ColumnOrdering ordering)
    {
        // best of 3 when measuring (the machine is shared); CPU time of this process alongside
        SparseLU lu = null!;
        double total = double.MaxValue, cpu = double.MaxValue;
        for (int rep = 0; rep < (Full ? 3 : 1); rep++)
        {
            var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            lu = SparseLU.Create(A, ordering, 1.0);
            double t = sw.Elapsed.TotalSeconds;
            cpu = Math.Min(cpu, (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds);
            total = Math.Min(total, t);
        }
        var sw2 = Stopwatch.StartNew();
        int n = A.ColumnCount;
        var b = TestMatrices.RandomVector(n, 11);
        var x = new Complex[n];
        var r = new Complex[n];
        sw2.Restart();
        lu.Solve(b, x);
        double tsolve = sw2.Elapsed.TotalSeconds;
        A.Multiply(x, r);
        for (int i = 0; i < n; i++) r[i] -= b[i];
        double res = TestMatrices.Norm(r) / TestMatrices.Norm(b);
        // complex multiply-adds of the left-looking column solves: Σ over U(i,k), i < k, of nnz(L(:,i)) - 1
        long madds = 0;
        int[] lp = lu.L.ColumnPointers, up = lu.U.ColumnPointers, ui = lu.U.RowIndices;
        for (int k = 0; k < n; k++)
            for (int p = up[k]; p < up[k + 1] - 1; p++) madds += lp[ui[p] + 1] - lp[ui[p]] - 1;
        output.WriteLine($"{name}: n = {n}, nnz(A) = {A.NonZerosCount}, {ordering}: nnz(L) = {lu.LowerNonZerosCount}, " +
            $"nnz(U) = {lu.UpperNonZerosCount}, nnz(L+U) = {lu.NonZerosCount} (fill ratio {lu.FillRatio:F1}); " +
            $"order {lu.OrderingTime.TotalSeconds:F3} s, factor {lu.FactorizationTime.TotalSeconds:F3} s, " +
            $"wall (best) {total:F3} s, solve {tsolve * 1e3:F1} ms, residual {res:E1}, process CPU {cpu:F3} s, {madds / 1e6:F0} M complex multiply-adds");
        Assert.True(res < 1e-10);
    }

    [Fact]
    public void Grid2D_100x100() => Measure("2D 5-point 100x100", TestMatrices.Grid2D(100, 100), ColumnOrdering.MinimumDegreeAtPlusA);

    [Fact]
    public void Grid3D() => Measure(Full ? "3D 7-point 20^3" : "3D 7-point 12^3", TestMatrices.Grid3D(Full ? 20 : 12),
        ColumnOrdering.MinimumDegreeAtPlusA);
}
