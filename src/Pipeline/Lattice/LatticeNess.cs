using System.Collections.Immutable;
using System.Diagnostics;
using LanguageExt;

namespace Ness.Pipeline.Lattice;

/// <summary>A certified NESS of the harmonic model on a box: T(x) per site (x fastest) and its mean over each
/// x-slice, the energy current into each bath and their sum (zero to rounding), method and certificate.</summary>
public sealed record LatticeSteadyState(
    LatticeParameters Parameters, ImmutableArray<double> Profile, ImmutableArray<double> ProfileX,
    ImmutableArray<double> BathCurrents, double CurrentSum, string Method, ImmutableArray<Gate> Certificate, double Seconds);

/// <summary>The lattice pipeline: parameters → memory check → eq. (2.10) or eq. (2.6) → slice means and currents.
/// The method is chosen here, in one place: weak coupling by the dense eigendecomposition of H, finite lambda by
/// Bartels–Stewart on the drift matrix (<see cref="LatticeSpectral"/> without OpenBLAS).</summary>
public static class LatticeNess
{
    /// <summary>Peak memory estimate in bytes of the solve <paramref name="p"/> asks for.</summary>
    public static double MemoryEstimate(LatticeParameters p) =>
        p.WeakCoupling ? LatticeWeakCoupling.MemoryEstimate(p.Sites) : LatticeFiniteCoupling.MemoryEstimate(p.Sites);

    public static Fin<LatticeSteadyState> Run(LatticeParameters p, int threads = 1)
    {
        var clock = Stopwatch.StartNew();
        return
            from _ in MemoryBudget.Check(
                $"--shape {p.Box}: the {(p.WeakCoupling ? "weak-coupling profile (dense eigendecomposition of the n x n H)" : "finite-lambda covariance (Schur form of the 2n x 2n drift matrix)")}",
                MemoryEstimate(p), p.WeakCoupling ? "use a smaller box" : "use a smaller box or --weak-coupling")
            from s in p.WeakCoupling ? LatticeWeakCoupling.Solve(p, threads) : LatticeFiniteCoupling.Solve(p, threads)
            select new LatticeSteadyState(p, s.Temperatures, SliceMeans(p, s.Temperatures), s.BathCurrents,
                s.BathCurrents.Sum(), s.Method, s.Certificate, clock.Elapsed.TotalSeconds);
    }

    /// <summary>profile_x: the mean of T over each slice x = const (NY NZ sites each).</summary>
    public static ImmutableArray<double> SliceMeans(LatticeParameters p, ImmutableArray<double> t)
    {
        var b = p.Box;
        var m = new double[b.NX];
        for (int i = 0; i < t.Length; i++) m[i % b.NX] += t[i];
        for (int x = 0; x < b.NX; x++) m[x] /= b.NY * b.NZ;
        return [.. m];
    }
}
