using System.Collections.Immutable;
using System.Numerics;
using LanguageExt;
using Ness.Numerics.Tridiagonal;

namespace Ness.Numerics.Quadratic;

/// <summary>Certification numbers of a mode set.</summary>
public sealed record ModeChecks(
    int AberthSweeps, double MaxResidual, double DampingSumError, double MinSeparation, double TailSensitivity,
    int PolishIterations, long WindowEntries);

/// <summary>All modes of a damped chain with their checks.</summary>
public sealed record ModeSet(DampedChain Chain, DampedMode[] Modes, ModeChecks Checks);

/// <summary>
/// The modes of a <see cref="DampedChain"/> with full relative accuracy in their damping rates and end amplitudes:
/// <list type="number">
/// <item>the undamped chain's eigenvalues (Sturm bisection) and end weights |psi_k(1)|^2, |psi_k(L)|^2 (twisted
/// factorizations in log space) give one starting root per mode (first order: E_k + i w_k/2; second order: both roots
/// of z^2 + w_k z + omega_k^2, w_k = sum of the end dampings times the end weights);</item>
/// <item>Ehrlich–Aberth refines all roots at once (<see cref="AberthRoots"/>);</item>
/// <item>each root is polished by Rayleigh-functional Newton steps z − gamma_r / (v^T T'(z) v) on its complex
/// twisted eigenvector, and its damping rate is replaced by the exact identity
/// gamma = sum_x Gamma_x |v_x|^2 / (2 ||v||^2) (end sites only), evaluated in log space, until both are stationary.</item>
/// </list>
/// Refuses (exit 3) when a root does not converge, two roots coincide, or the mode count is wrong.
/// Time O(L^2) (bisection, Aberth sweeps, O(L) per polishing step); memory O(L) plus the eigenvector windows.
/// </summary>
public static class DampedModes
{
    const double Eps = 2.220446049250313e-16;

    /// <summary>Window cut: components below this fraction of the largest are dropped.</summary>
    public const double WindowCut = 1e-20;

    /// <summary>Absolute accuracy of a mode's frequency, in ulps of its scale: the backward error of the polished root
    /// (Newton stops when its step is below 8 ulps of the chain's scale, i.e. at the rounding level of T(z)).
    /// First order: the chain's scale (<see cref="DampedChain.Scale"/>). Second order, per mode: the twisted factorization
    /// is backward stable with relative errors on the entries of T(z) = z^2 + z Lambda + H, so the root moves by at most
    /// eps sum_x |v_x|^2 (|H_xx| + 2|b| + |z|^2 + |z| Lambda_x) / |v^T T'(z) v| = eps (max|H_xx| + 2|b| + |z|^2 + 2|z| gamma)
    /// ||v||^2 / |N| (damping identity): the bath coupling enters only through the mode's own rate, so a strongly damped
    /// end (lambda = 1e3) does not blur the frequencies of the middle modes.</summary>
    public const double FrequencyAccuracy = 2;

    public static Fin<ModeSet> Solve(DampedChain c, double memoryBudget)
    {
        int L = c.Length;
        if (c.OffDiagonal == 0 && L > 1)
            return new Decoupled("the chain is decoupled (zero hopping/coupling): the inner sites never see the baths");
        double scale = c.Scale();
        var z = StartingRoots(c);
        int sweeps = AberthRoots.Refine(c, z, scale);
        if (sweeps < 0)
            return new Refused($"the Aberth iteration for the {z.Length} modes of the damped chain did not converge in {AberthRoots.MaxSweeps} sweeps");

        // second order: roots come in conjugate pairs; polish the upper ones and the real ones, conjugate the rest
        double realCut = 1e-6 * scale;
        var todo = new List<Complex>();
        int upper = 0, lower = 0;
        foreach (var r in z)
        {
            if (c.Kind == Dynamics.SecondOrder && r.Imaginary < -realCut) { lower++; continue; }
            if (c.Kind == Dynamics.SecondOrder && r.Imaginary > realCut) upper++;
            todo.Add(c.Kind == Dynamics.SecondOrder && Math.Abs(r.Imaginary) <= realCut ? new Complex(r.Real, 0) : r);
        }
        if (upper != lower)
            return new Refused($"the second-order chain has {upper} roots above the real axis but {lower} below; " +
                                       "the modes cannot be paired (near an overdamping transition)");

        var dPlus = new Complex[L];
        var dMinus = new Complex[L];
        var logAbs = new double[L];
        var phase = new Complex[L];
        var modes = new List<DampedMode>(z.Length);
        long entries = 0;
        int maxIter = 0;
        foreach (var r0 in todo)
        {
            var (m, iters) = Polish(c, r0, scale, dPlus, dMinus, logAbs, phase);
            if (m is null)
                return new Refused($"the mode near z = {r0} of the damped chain did not converge under Newton polishing");
            entries += m.V.Length;
            if (entries * 16.0 * 2 > memoryBudget)
                return new Refused($"--length {L}: the eigenvector windows need more than {memoryBudget / 1e9:F1} GB " +
                                           "(the chain is too weakly localized for its length on this machine)");
            maxIter = Math.Max(maxIter, iters);
            modes.Add(m);
            if (c.Kind == Dynamics.SecondOrder && m.Z.Imaginary != 0) { modes.Add(m.Conjugate()); entries += m.V.Length; }
        }
        int expected = c.Kind == Dynamics.FirstOrder ? L : 2 * L;
        if (modes.Count != expected)
            return new Refused($"found {modes.Count} modes of the damped chain, expected {expected}");

        // the exact sum of the damping rates: trace of Gamma/2 (first order) or of Lambda (second order)
        double gsum = 0;
        foreach (var m in modes) gsum += Math.Exp(m.LogGamma);
        double exact = (c.DampLeft + c.DampRight) * (c.Kind == Dynamics.FirstOrder ? 0.5 : 1.0);
        double dampingSumError = Math.Abs(gsum - exact) / exact;

        double minSep = MinSeparation(modes);
        if (!(minSep > 64 * Eps * scale))
            return new Refused($"two modes of the damped chain coincide to {minSep:G3} (below the resolution of double precision): " +
                                       "a mirror-symmetric or otherwise degenerate chain, whose eigenvectors double precision cannot separate");
        double maxRes = 0, tail = 0;
        foreach (var m in modes) { maxRes = Math.Max(maxRes, m.Residual); tail = Math.Max(tail, m.ShiftGamma); }
        return new ModeSet(c, [.. modes], new ModeChecks(sweeps, maxRes, dampingSumError, minSep, tail, maxIter, entries));
    }

    /// <summary>One starting root per mode from the undamped chain (eigenvalues by Sturm bisection, end weights by
    /// twisted factorizations in log space).</summary>
    public static Complex[] StartingRoots(DampedChain c)
    {
        int L = c.Length;
        var h = new SymmetricTridiagonal(c.Diagonal, Math.Abs(c.OffDiagonal) > 0 ? Math.Abs(c.OffDiagonal) : 1);
        var (e, _) = SturmBisection.Eigenvalues(h);
        var dp = new double[L];
        var dm = new double[L];
        var lp = new double[L];
        var z = new List<Complex>(2 * L);
        for (int k = 0; k < L; k++)
        {
            double w;
            if (L == 1) w = c.Damping(0);
            else
            {
                TwistedEigenvector.LogSquares(h, e[k], dp, dm, lp);
                w = c.DampLeft * Math.Exp(lp[0]) + c.DampRight * Math.Exp(lp[L - 1]);
            }
            if (c.Kind == Dynamics.FirstOrder) z.Add(new Complex(e[k], 0.5 * w));
            else
            {
                var s = Complex.Sqrt(new Complex(w * w - 4 * e[k], 0));
                z.Add((-w + s) / 2);
                z.Add((-w - s) / 2);
            }
        }
        return [.. z];
    }

    static (DampedMode? Mode, int Iterations) Polish(
        DampedChain c, Complex z, double scale, Complex[] dPlus, Complex[] dMinus, double[] logAbs, Complex[] phase)
    {
        int L = c.Length;
        bool identity = c.IdentityApplies(z, scale);
        bool realRoot = c.Kind == Dynamics.SecondOrder && z.Imaginary == 0;
        double logGamma = Math.Log(Math.Max(c.Kappa(z).Real, double.Epsilon));
        var previous = Complex.NaN;
        for (int it = 1; it <= 40; it++)
        {
            var (r, gammaR) = ComplexTwisted.Vector(c, z, dPlus, dMinus, logAbs, phase);
            var (max, logNorm2, nScaled, logEnds) = Measure(c, z, logAbs, phase);
            // Newton step on the Rayleigh functional: v^T T v = gamma_r (v_r = 1), v^T T' v = nScaled e^{2 max}
            var step = gammaR * Math.Exp(-2 * max) / nScaled;
            var zNew = z - step;
            double newLogGamma;
            if (identity)
            {
                newLogGamma = logEnds - Math.Log(2) - logNorm2;
                zNew = c.WithDamping(zNew, Math.Exp(newLogGamma));
            }
            else newLogGamma = Math.Log(Math.Max(c.Kappa(zNew).Real, double.Epsilon));
            if (realRoot) zNew = new Complex(zNew.Real, 0);
            double dlg = Math.Abs(newLogGamma - logGamma);
            // stationary, or cycling between neighbouring doubles (the rate then moves by what the tail sensitivity
            // reports: at |ln gamma| ~ 1000 one ulp of the frequency moves ln gamma by ~1e-13)
            bool small = Complex.Abs(step) <= 8 * Eps * scale;
            bool converged = small && (dlg <= 1e-13 || zNew == previous);
            previous = z;
            z = zNew;
            logGamma = newLogGamma;
            if (!Complex.IsFinite(z)) return (null, it);
            if (converged || it == 40)
            {
                if (!converged && !(Complex.Abs(step) <= 1e3 * Eps * scale && dlg <= 1e-10))
                    return (null, it);
                return (Build(c, z, logGamma, scale, dPlus, dMinus, logAbs, phase), it);
            }
        }
        return (null, 40);
    }

    /// <summary>max ln|v|, ln ||v||^2, v^T T' v scaled by e^{-2 max}, and ln sum_x Gamma_x |v_x|^2 (the damping identity's numerator).</summary>
    static (double Max, double LogNorm2, Complex NScaled, double LogEnds) Measure(DampedChain c, Complex z, double[] logAbs, Complex[] phase)
    {
        int L = c.Length;
        double max = double.NegativeInfinity;
        for (int x = 0; x < L; x++) max = Math.Max(max, logAbs[x]);
        double norm = 0;
        Complex n = 0;
        for (int x = 0; x < L; x++)
        {
            double e = logAbs[x] - max;
            if (e < -370) continue;
            double a = Math.Exp(e);
            norm += a * a;
            var v = phase[x] * a;
            n += c.Deriv(x, z) * v * v;
        }
        double logNorm2 = 2 * max + Math.Log(norm);
        // ln(DampLeft |v_1|^2 + DampRight |v_L|^2) without underflow
        double l1 = c.DampLeft > 0 ? Math.Log(c.DampLeft) + 2 * logAbs[0] : double.NegativeInfinity;
        double l2 = c.DampRight > 0 ? Math.Log(c.DampRight) + 2 * logAbs[L - 1] : double.NegativeInfinity;
        double hi = Math.Max(l1, l2);
        double logEnds = hi + Math.Log(Math.Exp(l1 - hi) + Math.Exp(l2 - hi));
        return (max, logNorm2, n, logEnds);
    }

    static DampedMode Build(DampedChain c, Complex z, double logGamma, double scale,
        Complex[] dPlus, Complex[] dMinus, double[] logAbs, Complex[] phase)
    {
        int L = c.Length;
        var (r, gammaR) = ComplexTwisted.Vector(c, z, dPlus, dMinus, logAbs, phase);
        var (max, logNorm2, nScaled, logEnds) = Measure(c, z, logAbs, phase);
        // the accuracy of the frequency, from the polished root and its vector
        double dz = FrequencyAccuracy * Eps * ModeScale(c, z, logGamma, scale, max, logNorm2, nScaled);
        var polished = z;
        // the rate from the damping identity on this very vector: the end amplitudes and the rate then agree exactly,
        // so each mode's contributions to the two unit-bath responses sum to its weight whatever the tails' errors
        // (a polishing 2-cycle would otherwise pair the rate of one double with the vector of its neighbour)
        if (c.IdentityApplies(z, scale))
        {
            logGamma = logEnds - Math.Log(2) - logNorm2;
            z = c.WithDamping(z, Math.Exp(logGamma));
        }
        double first = logAbs[0], last = logAbs[L - 1];
        var phaseFirst = phase[0];
        var phaseLast = phase[L - 1];
        double cut = Math.Log(WindowCut);
        int lo = 0, hi = L - 1;
        while (logAbs[lo] - max < cut) lo++;
        while (logAbs[hi] - max < cut) hi--;
        var v = new Complex[hi - lo + 1];
        for (int x = lo; x <= hi; x++) v[x - lo] = phase[x] * Math.Exp(logAbs[x] - max);
        // relative residual ||T v|| / (scale ||v||) with v_r = 1
        double residual = Complex.Abs(gammaR) / (scale * Math.Exp(0.5 * logNorm2));

        // tail sensitivity: the end amplitudes (relative to the norm) at a root moved by its accuracy
        // (from the polished root; the work arrays are reused: everything needed from the mode's own vector is read above)
        var shifted = polished + (c.Kind == Dynamics.FirstOrder ? new Complex(dz, 0) : new Complex(0, dz));
        ComplexTwisted.Vector(c, shifted, dPlus, dMinus, logAbs, phase);
        var (_, sNorm, _, _) = Measure(c, shifted, logAbs, phase);
        double s1 = logAbs[0] - 0.5 * sNorm, s2 = logAbs[L - 1] - 0.5 * sNorm;
        double d1 = Math.Abs(first - 0.5 * logNorm2 - s1), d2 = Math.Abs(last - 0.5 * logNorm2 - s2);
        // ln gamma = ln(G_1 |v_1|^2 + G_L |v_L|^2) - ln ||v||^2: its shift is the weighted mean of 2 d1 and 2 d2
        double w1 = c.DampLeft > 0 ? Math.Log(c.DampLeft) + 2 * first : double.NegativeInfinity;
        double w2 = c.DampRight > 0 ? Math.Log(c.DampRight) + 2 * last : double.NegativeInfinity;
        double wm = Math.Max(w1, w2);
        double a1 = Math.Exp(w1 - wm), a2 = Math.Exp(w2 - wm);
        double dg = (a1 + a2) > 0 ? 2 * (a1 * d1 + a2 * d2) / (a1 + a2) : 0;
        double nu = c.Kappa(z).Imaginary;
        return new DampedMode(z, logGamma, nu, lo, v, nScaled,
            first - max, phaseFirst, last - max, phaseLast, residual, d1, d2, dg, dz);
    }

    /// <summary>The scale of a mode's frequency error (<see cref="FrequencyAccuracy"/>): the chain's at first order,
    /// (max|H_xx| + 2|b| + |z|^2 + 2|z| gamma) ||v||^2 / |N| at second order, from the mode's vector as
    /// <see cref="Measure"/> gives it (max ln|v_x|, ln ||v||^2, N e^{-2 max}).</summary>
    static double ModeScale(DampedChain c, Complex z, double logGamma, double scale, double max, double logNorm2, Complex nScaled)
    {
        if (c.Kind == Dynamics.FirstOrder) return scale;
        double a = Complex.Abs(z);
        double entries = c.MaxDiagonal + 2 * Math.Abs(c.OffDiagonal) + a * a + 2 * a * Math.Exp(logGamma);
        // ||v||^2 / |N| with N = nScaled e^{2 max}
        double ratio = Math.Exp(logNorm2 - 2 * max) / Complex.Abs(nScaled);
        return entries * ratio;
    }

    static double MinSeparation(List<DampedMode> modes)
    {
        var zs = modes.Select(m => m.Z).OrderBy(q => q.Real).ThenBy(q => q.Imaginary).ToArray();
        double min = double.PositiveInfinity;
        for (int i = 0; i < zs.Length; i++)
            for (int j = i + 1; j < zs.Length && zs[j].Real - zs[i].Real < min; j++)
                min = Math.Min(min, Complex.Abs(zs[j] - zs[i]));
        return min;
    }
}
