using System.Collections.Immutable;
using System.Diagnostics;
using LanguageExt;
using Ness.Numerics;
using Ness.Numerics.Tridiagonal;

namespace Ness.Pipeline.Fermion.WeakCoupling;

/// <summary>
/// The free-fermion chain (V = 0) in the weak-coupling limit, the fermion twin of eq. (2.9): each one-body mode
/// phi_k of h = J (hopping) + diag(2 h_x) is an independent level filled by the two baths at rates
/// g1p a_k + gLp b_k and emptied at g1m a_k + gLm b_k (a_k = phi_k(1)^2, b_k = phi_k(L)^2), so
/// n_x = sum_k phi_k(x)^2 f_k with f_k = (g1p a_k + gLp b_k) / ((g1p + g1m) a_k + (gLp + gLm) b_k), and the current
/// J/eps = g1p (1 − n_1) − g1m n_1 = (g1p gLm − g1m gLp) sum_k a_k b_k / ((g1p + g1m) a_k + (gLp + gLm) b_k):
/// a sum of positive terms, full relative accuracy however small. Eigenvalues by Sturm bisection, ln phi_k(x)^2 by
/// twisted factorizations (<see cref="SturmBisection"/>, <see cref="TwistedEigenvector"/>, as eq. (2.9) of the
/// harmonic chain), everything in logarithms: O(L^2) time, O(L) memory.
/// </summary>
public static class FreeFermions
{
    public const string Method = "pauli-free: one-body modes by Sturm bisection + twisted-factorization log-eigenvectors";

    /// <summary>Largest tolerated |sum_k phi_k(x)^2 − 1|.</summary>
    public const double CompletenessTolerance = 1e-10;

    /// <summary>Eigenvalues closer than this many ulps of ||h|| cannot be told apart in double precision.</summary>
    public const double MinGapUlps = 16;

    public static Fin<FreeFermionState> Solve(FermionParameters p)
    {
        if (p.Interaction != 0) throw new ArgumentException("the one-body formula holds at V = 0 only", nameof(p));
        int L = p.Length;
        if (p.Hopping == 0 && L >= 2)
            return new SteadyStateNotUnique("--hopping 0: the sites do not exchange particles, each keeps its own population");
        var sw = Stopwatch.StartNew();
        var d = new double[L];
        for (int x = 0; x < L; x++) d[x] = 2 * p.Fields[x];
        // |phi_k(x)|^2 does not depend on the sign of the hopping (conjugation by diag((-1)^x))
        var h = new SymmetricTridiagonal([.. d], Math.Abs(p.Hopping));
        var (e, sweeps) = SturmBisection.Eigenvalues(h);
        var (minGap, at, ulps) = SpectralGap.Of(e);   // +inf ulps at L = 1
        if (ulps < MinGapUlps)
            return new NumericsRefused(
                $"weak coupling: one-body eigenvalues {at + 1} and {at + 2} (energy {e[at]:R}) are only {ulps:G3} ulps apart; " +
                "double precision cannot separate their modes (a mirror-symmetric field makes such pairs)");

        var g = p.Rates;
        double l1p = Log(g.G1p), lLp = Log(g.GLp), l1 = Log(g.G1p + g.G1m), lL = Log(g.GLp + g.GLm);
        // f_k and ln(a_k b_k / ((g1p + g1m) a_k + (gLp + gLm) b_k)) from la = ln a_k, lb = ln b_k
        var modes = EndWeightedModes.Of(h, e, (la, lb) =>
        {
            double lden = Lse(l1 + la, lL + lb);
            return (Math.Exp(Lse(l1p + la, lLp + lb) - lden), la + lb - lden);
        });
        var (num, den, term, maxResidual) = modes;
        double completeness = modes.Completeness;
        var n = new double[L];
        for (int x = 0; x < L; x++) n[x] = num[x] / den[x];
        if (!(completeness <= CompletenessTolerance))
            return new NumericsRefused($"weak coupling: the one-body eigenvectors are not complete (max_x |sum_k phi_k(x)^2 − 1| = " +
                $"{completeness:G3} > {CompletenessTolerance:G1}); the profile cannot be certified");
        // g1p gLm − g1m gLp with one rounding (the product g1m gLp split exactly by a fused multiply-add)
        double prod = g.G1m * g.GLp;
        double drive = Math.FusedMultiplyAdd(g.G1p, g.GLm, -prod) - Math.FusedMultiplyAdd(g.G1m, g.GLp, -prod);
        double lnJ = drive == 0 ? double.NegativeInfinity : Math.Log(Math.Abs(drive)) + LogSpace.Sum(term);
        double j = drive == 0 ? 0 : Math.Sign(drive) * Math.Exp(lnJ);
        return new FreeFermionState(p, [.. n], j, lnJ, completeness, maxResidual, minGap, ulps, sweeps, sw.Elapsed.TotalSeconds);
    }

    static double Log(double g) => g > 0 ? Math.Log(g) : double.NegativeInfinity;

    static double Lse(double a, double b)
    {
        double m = Math.Max(a, b);
        return double.IsNegativeInfinity(m) ? m : m + Math.Log(Math.Exp(a - m) + Math.Exp(b - m));
    }
}

/// <summary>The one-body weak-coupling state: profile, current per unit coupling J/eps and ln|J/eps|, the
/// eigenvector checks (completeness, largest twisted residual, smallest one-body gap and in ulps), Sturm sweeps.</summary>
public sealed record FreeFermionState(
    FermionParameters Parameters, ImmutableArray<double> Profile, double CurrentPerCoupling, double LnAbsCurrent,
    double CompletenessError, double MaxEigenvectorResidual, double MinGap, double MinGapUlps, long BisectionSweeps, double Seconds);
