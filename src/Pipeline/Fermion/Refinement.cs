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
/// computed in double by the solver's own method (preconditioned FGMRES with L applied in double-double and rounded,
/// <c>PackedLiouvillianDoubleDouble</c>; or the sparse LU), and rho ← rho + e in
/// double-double. Each step multiplies the error by about u κ (κ: the amplification of a residual into the profile)
/// until it reaches u² κ; it converges while u κ &lt; 1.
/// <para>Certificate. The change max_x |tr(n_x (rho + e)) / tr(rho + e) − tr(n_x rho) / tr rho| of the normalized profile by a
/// correction e (which may carry any multiple of the steady state, the null space of L) estimates the forward error of the
/// profile of the iterate it corrects (e is the solution of the error equation with the exact residual, to relative
/// accuracy u κ and to what the correction's own solve left); the state returned includes that correction, so the last
/// one's change is reported as <c>profile_error_estimate</c>, or 10 times the profile error the correction estimates it
/// left (<see cref="Need"/>) where that is larger. A Krylov correction is solved only as far as the targets need
/// (<see cref="Need"/>), not to a residual norm: the residual of a state rounded to double is noise in every mode, and
/// the continuity defect and the profile are what is certified. The continuity defect sum_x |tr(n_x L rho)| / |j| of the returned state is
/// computed from its double-double residual: it bounds the disagreement of its currents.</para>
/// </summary>
public static class Refinement
{
    /// <summary>The smallest estimate reported: the rounding of the returned state to double and of the profile's sums of
    /// populations (a few units of u = 1.1e-16 each).</summary>
    public const double RoundingFloor = 1e-15;

    /// <summary>Doubles held at sector dimension D by <see cref="Run"/> and its iterate: the iterate and its residual in
    /// double-double (8 D) and the rounded residual in planar form (2 D). The correction's own vectors are the method's
    /// (the Krylov solver's: <c>KrylovSolver.CorrectionWorkspace</c> and the solve's FGMRES vectors).</summary>
    public static double Workspace(long D) => 10.0 * D;

    /// <summary>When to stop: the profile's estimated error below <paramref name="ProfileTarget"/> and the continuity
    /// defect below <paramref name="CurrentTarget"/> of the current, or after <paramref name="MaxSteps"/> corrections.
    /// A correction whose profile change is not below half the previous one while above the target ends the refinement
    /// (u κ is not small enough). With the profile within its target, a correction after the first that does not halve
    /// the continuity defect ends it too, and one that raised the defect is taken back: the currents are then resolved as
    /// far as double-double resolves them (docs/numerics.md). The targets are the goals of issue 22 (an estimate
    /// ≤ 1e-10, bond currents agreeing to 1e-10 relative: the continuity defect bounds their spread).</summary>
    public sealed record Settings(double ProfileTarget = 1e-10, double CurrentTarget = 1e-10, int MaxSteps = 6)
    {
        public static readonly Settings Default = new();

        /// <summary>Whether a double-precision result with this estimated profile error and continuity defect asks for
        /// refinement.</summary>
        public bool Asks(double profileError, double currentDefect) =>
            !(profileError <= ProfileTarget) || !(currentDefect <= CurrentTarget);
    }

    /// <summary>The share of the profile target a correction leaves as estimated remaining error
    /// (<see cref="Need.Profile"/>: 1e-13 at the default target, so that the refined profile is good to ~1e-12, the
    /// accuracy issue 22 asks against the exact solvers; at h = 10 the continuity defect binds long before it), and the
    /// factor on that estimate in the certificate: the preconditioner's estimate of an error was measured up to 4.3 times
    /// below the actual error (docs/numerics.md).</summary>
    public const double RemainingShare = 1e-3, RemainingFactor = 10;

    /// <summary>The share of the continuity target a correction aims at (<see cref="Need.Defect"/>): its defect, evaluated
    /// in double on R = −(r + L e), is that of the double-double residual of rho + e to a few units of u relative (e is
    /// small), which the next step measures.</summary>
    public const double DefectShare = 0.9;

    /// <summary>What a correction e of the iterate rho must reach, with R = −(r + L e) the residual of rho + e (the
    /// correction system's own residual): the relative residual <paramref name="Tau"/> (the old rule, floored at what
    /// double precision can reach), or else both of: the continuity defect sum_x |tr(n_x R)| below
    /// <paramref name="Defect"/> (absolute, in the scale of rho), and the profile error the preconditioner's estimate
    /// M^-1 R leaves in the normalized profile, max_x |tr(n_x z) − p_x tr z| with z = M^-1 R, below
    /// <paramref name="Profile"/> (absolute). <paramref name="Trace"/>: tr rho; <paramref name="Densities"/>: the profile
    /// p_x = tr(n_x rho) / tr rho.</summary>
    public sealed record Need(double Tau, double Defect, double Profile, double Trace, double[] Densities);

    /// <summary>A correction e (planar full blocks) with L e ≈ −r for the residual r, to what <paramref name="need"/>
    /// asks where the method is iterative; the iterations it took, and the profile error it estimates is left
    /// (<see cref="Need"/>, relative to tr rho; 0 for an exact solve).</summary>
    public delegate (double[] Re, double[] Im, long Iterations, double Remaining) Correction(double[] rRe, double[] rIm, Need need);

    /// <summary>What a refinement reached. <paramref name="Reached"/>: both targets met.</summary>
    public sealed record Outcome(int Steps, bool Reached, string Reason, double ProfileErrorEstimate, double CurrentDefect,
        double RelativeResidual, long Iterations, double Seconds, double ResidualSeconds, ImmutableArray<double> Changes)
    {
        /// <summary>The refinement's facts for the certificate (the estimate and the continuity defect are placed by the
        /// solver), with why it stopped short of its targets when it did (a result the gate still accepts); <paramref name="timings"/> false leaves out the two wall-clock times (the direct solver's output is
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
            if (!Reached) yield return new Note("refinement_stopped", Reason);
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
        var nx = new double[L];
        var bonds = new double[Math.Max(L - 1, 1)];
        var changes = ImmutableArray.CreateBuilder<double>();
        var rRe = new double[D]; var rIm = new double[D];
        double est = initialEstimate, before = double.NaN, beforeEst = double.NaN;   // the defect and estimate before the last correction
        double[] lastRe = [], lastIm = [];                                            // the last correction
        long iterations = 0;
        // the residual y = L(x) in double-double, the profile nx of x, its continuity defect and relative residual
        (double SignedTrace, double Defect, double Current, double Residual) Measure()
        {
            ddClock.Start();
            op.ApplyDoubleDouble(x, y, threads);
            ddClock.Stop();
            double signedTrace = op.DensitiesPlanar(x.ReHi, nx);
            var (defect, current) = Defect(op, hopping, x, y, n, bonds, Math.Abs(signedTrace));
            return (signedTrace, defect, current, Math.Sqrt(Norm2(y.ReHi) + Norm2(y.ImHi)) / (lNorm * Math.Sqrt(Norm2(x.ReHi) + Norm2(x.ImHi))));
        }
        for (int k = 0; ; k++)
        {
            var (signedTrace, defect, current, residual) = Measure();
            double trace = Math.Abs(signedTrace);
            int kept = k;
            Outcome Done(bool reached, string reason) => new(kept, reached, reason, Math.Max(est, RoundingFloor), defect, residual, iterations,
                clock.Elapsed.TotalSeconds, ddClock.Elapsed.TotalSeconds, changes.ToImmutable());
            if (k > 0 && est <= s.ProfileTarget && defect <= s.CurrentTarget) return Done(true, "");
            if (k > 1 && est <= s.ProfileTarget && !(defect <= 0.5 * before))
            {
                // the last correction did not halve the continuity defect (L = 10, J = 0.3, V = 0, h = 40: J ~ 1e-23, whose
                // balance at sites 1 and L rests on O(1) populations that double-double holds to ~1e-33); one that raised
                // it is taken back
                string said = $"the continuity defect stopped falling: {before:E1} before the last correction, {defect:E1} after it";
                if (!(defect > before)) return Done(false, said + " (kept)");
                for (int i = 0; i < D; i++) { lastRe[i] = -lastRe[i]; lastIm[i] = -lastIm[i]; }
                x.Add(lastRe, lastIm);
                (_, defect, _, residual) = Measure();
                (est, kept) = (beforeEst, k - 1);
                return Done(false, said + $" (taken back: {defect:E1})");
            }
            if (k == s.MaxSteps)
                return Done(false, $"after {k} refinement steps the estimated profile error is {est:E1} and the continuity defect {defect:E1} " +
                                   $"(targets {s.ProfileTarget:E0}, {s.CurrentTarget:E0})");
            // the correction's relative residual: what the targets ask, but not below the floor u κ of double
            // precision (estimated by the previous contraction, or 1e-2 of the initial estimate), which it cannot reach
            double want = Math.Min(s.ProfileTarget / est, s.CurrentTarget / defect);
            double floor = changes.Count >= 2 ? 0.1 * changes[^1] / changes[^2] : 1e-2 * est;
            double tau = Math.Clamp(double.IsNaN(want) ? 1e-14 : 0.1 * want, double.IsNaN(floor) ? 1e-14 : Math.Clamp(floor, 1e-14, 1e-2), 1e-2);
            for (int i = 0; i < D; i++) { rRe[i] = -y.ReHi[i]; rIm[i] = -y.ImHi[i]; }
            var need = new Need(tau, DefectShare * s.CurrentTarget * current, RemainingShare * s.ProfileTarget * trace, trace,
                Array.ConvertAll(nx, v => v / signedTrace));
            var (eRe, eIm, it, remaining) = correct(rRe, rIm, need);
            iterations += it;
            // the certificate: the change the correction made to the normalized profile, n(x + e) / tr(x + e) − n(x) / tr x
            // (the error of the iterate it corrects; e may carry any multiple of the steady state, the null space of L,
            // which only rescales), but not below what it estimates it left (a correction stopped by Need)
            double te = op.DensitiesPlanar(eRe, n);
            for (int i = 0; i < L; i++) n[i] = (n[i] * signedTrace - nx[i] * te) / (signedTrace * (signedTrace + te));
            double change = Math.Max(MaxAbs(n), double.IsNaN(remaining) ? 0 : RemainingFactor * remaining);
            changes.Add(change);
            if (k > 0 && change > s.ProfileTarget && !(change <= 0.5 * est))
            {
                est = Math.Max(est, change);
                return Done(false, $"refinement does not converge: the profile change of a correction went from {changes[^2]:E1} " +
                                   $"to {change:E1} (the error is amplified beyond 1/u, docs/numerics.md)");
            }
            x.Add(eRe, eIm);
            (before, beforeEst, lastRe, lastIm) = (defect, est, eRe, eIm);
            est = change;
        }
    }

    /// <summary>sum_x |tr(n_x R)| / |mean bond current| with R = L(x) in double-double (rounded), and that |current|; a
    /// current below 1e-25 tr x (equilibrium) counts as 1e-25 tr x.</summary>
    static (double Defect, double Current) Defect(BlockLiouvillian op, double hopping, DoubleDoubleBlocks x, DoubleDoubleBlocks y, double[] n, double[] bonds,
        double trace)
    {
        int L = op.Length;
        if (L < 2) return (0, 0);
        op.DensitiesPlanar(y.ReHi, n);
        double defect = 0;
        foreach (var v in n) defect += Math.Abs(v);
        op.BondCurrentsPlanar(x.ImHi, hopping, bonds);
        double mean = 0;
        foreach (var j in bonds) mean += j;
        mean /= L - 1;
        double current = Math.Max(Math.Abs(mean), 1e-25 * trace);
        return (defect == 0 ? 0 : defect / current, current);
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
