using System.Collections.Immutable;
using System.Diagnostics;
using LanguageExt;
using Ness.Operators.Fermion;

namespace Ness.Pipeline.Fermion;

/// <summary>
/// Mixed-precision iterative refinement of a steady state (GMRES-IR, Carson and Higham, SIAM J. Sci. Comput. 39
/// (2017) and 40 (2018); docs/numerics.md): rho is kept as an unevaluated sum of two doubles
/// (<see cref="DoubleDoubleBlocks"/>), its residual r = L(rho) is evaluated in double-double
/// (<see cref="BlockLiouvillian.ApplyDoubleDouble"/>) and rounded to double, the correction e solving L e = −r is
/// computed in double by the solver's own method (preconditioned FGMRES, or the sparse LU), and rho ← rho + e in
/// double-double. Each step multiplies the error by about u κ (κ: the amplification of a residual into the profile)
/// until it reaches u² κ; it converges while u κ &lt; 1.
/// <para>Certificate. The profile change max_x |tr(n_x e)| / tr rho of a correction estimates the forward error of the
/// profile of the iterate it corrects (e is the solution of the error equation with the exact residual, to relative
/// accuracy u κ); the state returned includes that correction, so the last one's change is reported as
/// <c>profile_error_estimate</c>. The continuity defect sum_x |tr(n_x L rho)| / |j| of the returned state is
/// computed from its double-double residual: it bounds the disagreement of its currents.</para>
/// </summary>
public static class Refinement
{
    /// <summary>The smallest estimate reported: the rounding of the returned state to double and of the profile's sums of
    /// populations (a few units of u = 1.1e-16 each).</summary>
    public const double RoundingFloor = 1e-15;

    /// <summary>Doubles held at sector dimension D: the iterate and its residual in double-double (8 D), the rounded
    /// residual and the correction in planar form (4 D), and the solver's packed right-hand side and correction (2 D).</summary>
    public static double Workspace(long D) => 14.0 * D;

    /// <summary>When to stop: the profile's estimated error below <paramref name="ProfileTarget"/> and the continuity
    /// defect below <paramref name="CurrentTarget"/> of the current, or after <paramref name="MaxSteps"/> corrections.
    /// A correction whose profile change is not below half the previous one while above the target ends the refinement
    /// (u κ is not small enough).</summary>
    public sealed record Settings(double ProfileTarget = 1e-11, double CurrentTarget = 1e-11, int MaxSteps = 6)
    {
        public static readonly Settings Default = new();

        /// <summary>Whether a double-precision result with this estimated profile error and continuity defect asks for
        /// refinement.</summary>
        public bool Asks(double profileError, double currentDefect) =>
            !(profileError <= ProfileTarget) || !(currentDefect <= CurrentTarget);
    }

    /// <summary>A correction e (planar full blocks) with L e ≈ −r for the residual r, to relative residual
    /// <paramref name="tau"/> where the method is iterative, and the iterations it took.</summary>
    public delegate (double[] Re, double[] Im, long Iterations) Correction(double[] rRe, double[] rIm, double tau);

    /// <summary>What a refinement reached. <paramref name="Reached"/>: both targets met.</summary>
    public sealed record Outcome(int Steps, bool Reached, string Reason, double ProfileErrorEstimate, double CurrentDefect,
        double RelativeResidual, long Iterations, double Seconds, double ResidualSeconds, ImmutableArray<double> Changes)
    {
        /// <summary>The refinement's facts for the certificate (the estimate and the continuity defect are placed by the
        /// solver); <paramref name="timings"/> false leaves out the two wall-clock times (the direct solver's output is
        /// otherwise identical between identical runs).</summary>
        public IEnumerable<Fact> Facts(bool timings = true)
        {
            yield return new Number("refinement_steps", Steps);
            yield return new Flag("refinement_reached", Reached);
            yield return new Number("refinement_iterations", Iterations);
            if (timings)
            {
                yield return new Number("refinement_seconds", Seconds);
                yield return new Number("refinement_dd_residual_seconds", ResidualSeconds);
            }
            yield return new Number("refined_relative_residual", RelativeResidual);
        }
    }

    /// <summary>Refines <paramref name="x"/> in place. <paramref name="initialEstimate"/> is the estimated profile error
    /// of x before (NaN when unknown); <paramref name="lNorm"/> ||L||_est for the relative residual.</summary>
    public static Outcome Run(BlockLiouvillian op, double hopping, double lNorm, DoubleDoubleBlocks x, Correction correct,
        double initialEstimate, Settings s, int threads = 1)
    {
        var clock = Stopwatch.StartNew();
        var ddClock = new Stopwatch();
        int L = op.Length, D = op.Dimension;
        var y = DoubleDoubleBlocks.Create(D);
        var n = new double[L];
        var bonds = new double[Math.Max(L - 1, 1)];
        var changes = ImmutableArray.CreateBuilder<double>();
        var rRe = new double[D]; var rIm = new double[D];
        double est = initialEstimate;
        long iterations = 0;
        for (int k = 0; ; k++)
        {
            ddClock.Start();
            op.ApplyDoubleDouble(x, y, threads);
            ddClock.Stop();
            double trace = Math.Abs(op.DensitiesPlanar(x.ReHi, n));
            double defect = Defect(op, hopping, x, y, n, bonds, trace);
            double residual = Math.Sqrt(Norm2(y.ReHi) + Norm2(y.ImHi)) / (lNorm * Math.Sqrt(Norm2(x.ReHi) + Norm2(x.ImHi)));
            Outcome Done(bool reached, string reason) => new(k, reached, reason, Math.Max(est, RoundingFloor), defect, residual, iterations,
                clock.Elapsed.TotalSeconds, ddClock.Elapsed.TotalSeconds, changes.ToImmutable());
            if (k > 0 && est <= s.ProfileTarget && defect <= s.CurrentTarget) return Done(true, "");
            if (k == s.MaxSteps)
                return Done(false, $"after {k} refinement steps the estimated profile error is {est:E1} and the continuity defect {defect:E1} " +
                                   $"(targets {s.ProfileTarget:E0}, {s.CurrentTarget:E0})");
            // the correction's relative residual: what the targets ask, but not below the floor u κ of double
            // precision (estimated by the previous contraction, or 1e-2 of the initial estimate), which it cannot reach
            double want = Math.Min(s.ProfileTarget / est, s.CurrentTarget / defect);
            double floor = changes.Count >= 2 ? 0.1 * changes[^1] / changes[^2] : 1e-2 * est;
            double tau = Math.Clamp(double.IsNaN(want) ? 1e-14 : 0.1 * want, double.IsNaN(floor) ? 1e-14 : Math.Clamp(floor, 1e-14, 1e-2), 1e-2);
            for (int i = 0; i < D; i++) { rRe[i] = -y.ReHi[i]; rIm[i] = -y.ImHi[i]; }
            var (eRe, eIm, it) = correct(rRe, rIm, tau);
            iterations += it;
            op.DensitiesPlanar(eRe, n);
            double change = MaxAbs(n) / trace;
            changes.Add(change);
            if (k > 0 && change > s.ProfileTarget && !(change <= 0.5 * est))
            {
                est = Math.Max(est, change);
                return Done(false, $"refinement does not converge: the profile change of a correction went from {changes[^2]:E1} " +
                                   $"to {change:E1} (the error is amplified beyond 1/u, docs/numerics.md)");
            }
            x.Add(eRe, eIm);
            est = change;
        }
    }

    /// <summary>sum_x |tr(n_x R)| / |mean bond current| with R = L(x) in double-double (rounded); a current below
    /// 1e-25 tr x (equilibrium) counts as 1e-25 tr x.</summary>
    static double Defect(BlockLiouvillian op, double hopping, DoubleDoubleBlocks x, DoubleDoubleBlocks y, double[] n, double[] bonds,
        double trace)
    {
        int L = op.Length;
        if (L < 2) return 0;
        op.DensitiesPlanar(y.ReHi, n);
        double defect = 0;
        foreach (var v in n) defect += Math.Abs(v);
        op.BondCurrentsPlanar(x.ImHi, hopping, bonds);
        double mean = 0;
        foreach (var j in bonds) mean += j;
        mean /= L - 1;
        return defect == 0 ? 0 : defect / Math.Max(Math.Abs(mean), 1e-25 * trace);
    }

    static double Norm2(double[] v)
    {
        double s = 0;
        foreach (var a in v) s += a * a;
        return s;
    }

    static double MaxAbs(double[] v)
    {
        double m = 0;
        foreach (var a in v) m = Math.Max(m, Math.Abs(a));
        return m;
    }
}
