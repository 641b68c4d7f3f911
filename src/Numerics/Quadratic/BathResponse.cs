using System.Numerics;
using LanguageExt;

namespace Ness.Numerics.Quadratic;

/// <summary>
/// The steady state's response to each bath alone, at unit strength, from the modes of a damped chain.
/// With X = −kappa-diagonalized by right vectors v_k and left vectors v_k / N_k, the Lyapunov equation
/// X C + C X^H = −B (B = source at one end site s) is solved by
/// C_xy = sum_kl u_k(x) conj(u_l(y)) / (kappa_k + conj kappa_l), u_k(x) = pi_k v_k(x) v_k(s) / N_k,
/// pi_k the observable's factor (1 for a fermion amplitude or a position, z_k for a momentum). It is evaluated as
/// sum_kl û_k Ĉ_kl conj(û_l) with û_k = u_k / sqrt(gamma_k) and the bounded Cauchy matrix
/// Ĉ_kl = sqrt(gamma_k gamma_l) / (kappa_k + conj kappa_l) (|Ĉ| &lt;= 1/2, Ĉ_kk = 1/2), so that damping rates far
/// below the smallest double never appear alone. Per site, only modes whose eigenvector window covers the site enter.
/// First[x] = c_1 C^(1)_xx and Last[x] = c_L C^(L)_xx are the site observables for a unit bath at site 1 / site L
/// (c_s = Gamma_s for fermions, 2 lambda for oscillators); with both baths at the same temperature/occupation the
/// steady state is equilibrium, so First + Last = 1 exactly: its defect is the equilibrium check, which sees every
/// mode's damping rate at full weight (each mode contributes O(1) at its own sites, however weak its damping).
/// </summary>
public sealed record BathResponse(
    double[] First, double[] Last, Complex[] BondFirst, Complex[] BondLast,
    double LogTransmission, double TransmissionError,
    double EquilibriumError, double ImaginaryError, double DegeneracyBound, double TruncationError)
{
    const double Eps = 2.220446049250313e-16;

    /// <summary>The site observable with both baths on: value s1 of bath 1 and sL of bath L (occupations, temperatures)
    /// enter as s1 First + sL Last, written with the smaller of the two corrections, sL + (s1 − sL) First or
    /// s1 + (sL − s1) Last (First + Last = 1), so that s1 = sL gives exactly that value on every site.</summary>
    public double[] Observable(double s1, double sL)
    {
        var o = new double[First.Length];
        for (int x = 0; x < o.Length; x++)
            o[x] = First[x] <= Last[x] ? sL + (s1 - sL) * First[x] : s1 + (sL - s1) * Last[x];
        return o;
    }

    public static Fin<BathResponse> Of(ModeSet set, double memoryBudget)
    {
        var c = set.Chain;
        var modes = set.Modes;
        int n = modes.Length, L = c.Length;
        bool second = c.Kind == Dynamics.SecondOrder;
        double c1 = (second ? 2 : 1) * c.DampLeft, cL = (second ? 2 : 1) * c.DampRight;
        double scale = c.Scale();

        var h = new double[n];
        var sg = new double[n];
        var gam = new double[n];
        var nu = new double[n];
        var f1 = new Complex[n];
        var fL = new Complex[n];
        var pi = new Complex[n];
        // relative uncertainties of mode k's rate and of its end amplitudes (from its tail sensitivity)
        var dG = new double[n];
        var d1 = new double[n];
        var dL = new double[n];
        var dNu = new double[n]; // twice the accuracy of mode k's frequency
        // the diagonal (k = l) terms: their uncertainty, per unit of their value, for the bath at site 1 / site L
        var diag1 = new double[n];
        var diagL = new double[n];
        var diagT = new double[n];
        for (int k = 0; k < n; k++)
        {
            var m = modes[k];
            h[k] = 0.5 * m.LogGamma;
            sg[k] = Math.Exp(h[k]);
            gam[k] = Math.Exp(m.LogGamma);
            nu[k] = m.Nu;
            dG[k] = Math.Max(1e-13, m.ShiftGamma);
            dNu[k] = 2 * m.Accuracy;
            d1[k] = Math.Max(1e-13, m.ShiftFirst) + 0.5 * dG[k];
            dL[k] = Math.Max(1e-13, m.ShiftLast) + 0.5 * dG[k];
            pi[k] = second ? m.Z : Complex.One;
            f1[k] = c1 > 0 ? F(m, true, h[k]) : Complex.Zero;
            fL[k] = cL > 0 ? F(m, false, h[k]) : Complex.Zero;
            // a mode's own term in the response to bath s is w_k(x) a_s / (a_1 + a_L), a_s = Gamma_s |v_k(s)|^2: the rate
            // comes from the same end amplitudes (damping identity), so an error e_s of ln|v_k(s)| moves it by
            // 2 alpha_1 alpha_L (e_1 - e_L) relative to alpha_s: correlated, small where one bath dominates the mode
            double a1 = c.DampLeft > 0 ? Math.Log(c.DampLeft) + 2 * m.LogFirst : double.NegativeInfinity;
            double aL = c.DampRight > 0 ? Math.Log(c.DampRight) + 2 * m.LogLast : double.NegativeInfinity;
            double alpha1 = double.IsNegativeInfinity(aL) ? 1 : 1 / (1 + Math.Exp(aL - a1));
            double alphaL = double.IsNegativeInfinity(a1) ? 1 : 1 / (1 + Math.Exp(a1 - aL));
            double s1 = Math.Max(1e-13, m.ShiftFirst), sL = Math.Max(1e-13, m.ShiftLast);
            diag1[k] = alphaL * 2 * (s1 + sL);
            diagL[k] = alpha1 * 2 * (s1 + sL);
            // its own term in the transmission, ~ a_1 a_L / (a_1 + a_L): relative error 2 (alpha_L e_1 + alpha_1 e_L)
            diagT[k] = 2 * (alphaL * s1 + alpha1 * sL);
        }

        Complex Chat(int k, int l)
        {
            if (k == l) return 0.5;
            if (h[k] > -340 && h[l] > -340) return sg[k] * sg[l] / new Complex(gam[k] + gam[l], nu[k] - nu[l]);
            double re = 2 * Math.Cosh(h[k] - h[l]);
            double d = nu[k] - nu[l];
            double im = d == 0 ? 0 : d * Math.Exp(-(h[k] + h[l]));
            if (!double.IsFinite(re) || !double.IsFinite(im)) return Complex.Zero;
            return 1 / new Complex(re, im);
        }
        // D_kl = Ĉ_kl / (kappa_k + conj kappa_l) = dĈ_kl/d(i nu_l) (frequency sensitivity), 0 on the diagonal
        Complex Dfreq(int k, int l, Complex ch)
        {
            if (k == l || ch == Complex.Zero) return Complex.Zero;
            double a = Complex.Abs(ch);
            double lm = 2 * Math.Log(a) - h[k] - h[l];
            var u = ch / a;
            return u * u * Math.Exp(lm);
        }

        // active modes per site (eigenvector windows); the pair quantities Ĉ_kl, D_kl, (gamma_k/(kappa_k + conj kappa_l)) Ĉ_kl
        // are computed once per overlapping pair, when the later mode enters, into slot matrices of the active set
        var starts = new List<int>[L];
        for (int x = 0; x < L; x++) starts[x] = [];
        for (int k = 0; k < n; k++) starts[modes[k].Lo].Add(k);
        var count = new int[L + 1];
        foreach (var md in modes) { count[md.Lo]++; count[md.Hi + 1]--; }
        int cap = 0;
        for (int x = 0, run = 0; x < L; x++) { run += count[x]; cap = Math.Max(cap, run); }
        if (3.0 * cap * cap * 16 > memoryBudget)
            return new Refused($"--length {L}: {cap} modes overlap at one site; their pair matrices need " +
                                       $"{3.0 * cap * cap * 16 / 1e9:F1} GB, more than the {memoryBudget / 1e9:F1} GB available");
        var cm = new Complex[cap * cap];
        var dm = new Complex[cap * cap];
        var gm = new Complex[cap * cap];
        var free = new Stack<int>(Enumerable.Range(0, cap).Reverse());
        var active = new List<(int K, int Slot)>();

        var first = new double[L];
        var last = new double[L];
        var bondFirst = new Complex[Math.Max(L - 1, 0)];
        var bondLast = new Complex[Math.Max(L - 1, 0)];
        double eq = 0, imag = 0, degeneracy = 0;
        var u1 = new Complex[cap];
        var uL = new Complex[cap];
        var q1 = new Complex[cap];
        var qL = new Complex[cap];
        var p1 = new Complex[cap];
        var pL = new Complex[cap];
        var slots = new int[cap];
        var relG = new double[cap];
        var nuAcc = new double[cap];
        var dd1 = new double[cap];
        var ddL = new double[cap];
        var rel1 = new double[cap];
        var relL = new double[cap];
        for (int x = 0; x < L; x++)
        {
            for (int i = active.Count - 1; i >= 0; i--)
                if (modes[active[i].K].Hi < x) { free.Push(active[i].Slot); active.RemoveAt(i); }
            foreach (int k in starts[x])
            {
                int sk = free.Pop();
                active.Add((k, sk));
                foreach (var (l, sl) in active)
                {
                    var ch = Chat(k, l);
                    var cc = Complex.Conjugate(ch);
                    cm[sk * cap + sl] = ch;
                    cm[sl * cap + sk] = cc;
                    dm[sk * cap + sl] = Dfreq(k, l, ch);
                    dm[sl * cap + sk] = Dfreq(l, k, cc);
                    gm[sk * cap + sl] = k == l ? ch * ch : Scaled(ch, h[k] - h[l]) * ch;
                    gm[sl * cap + sk] = k == l ? ch * ch : Scaled(cc, h[l] - h[k]) * cc;
                }
            }
            int m = active.Count;
            for (int i = 0; i < m; i++)
            {
                var (k, sk) = active[i];
                slots[i] = sk;
                relG[i] = dG[k];
                nuAcc[i] = dNu[k];
                dd1[i] = diag1[k];
                ddL[i] = diagL[k];
                rel1[i] = d1[k];
                relL[i] = dL[k];
                var v = modes[k].At(x);
                var w = x + 1 < L ? modes[k].At(x + 1) : Complex.Zero;
                u1[i] = pi[k] * v * f1[k];
                uL[i] = pi[k] * v * fL[k];
                q1[i] = v * f1[k];
                qL[i] = v * fL[k];
                p1[i] = pi[k] * w * f1[k];
                pL[i] = pi[k] * w * fL[k];
            }
            Complex s1 = 0, sL = 0, b1 = 0, bL = 0;
            double bound = 0;
            for (int i = 0; i < m; i++)
            {
                int row = slots[i] * cap;
                Complex r1 = 0, rL = 0, t1 = 0, tL = 0, x1 = 0, xL = 0, z1 = 0, zL = 0;
                for (int j = 0; j < m; j++)
                {
                    int at = row + slots[j];
                    var ch = cm[at];
                    var cu1 = Complex.Conjugate(u1[j]);
                    var cuL = Complex.Conjugate(uL[j]);
                    r1 += ch * cu1;
                    rL += ch * cuL;
                    t1 += ch * Complex.Conjugate(p1[j]);
                    tL += ch * Complex.Conjugate(pL[j]);
                    var dk = dm[at];
                    x1 += dk * cu1;
                    xL += dk * cuL;
                    var gz = gm[at];
                    z1 += gz * cu1;
                    zL += gz * cuL;
                }
                s1 += u1[i] * r1;
                sL += uL[i] * rL;
                b1 += q1[i] * t1;
                bL += qL[i] * tL;
                // first-order error from the frequencies (|d nu_k| <= dNu_k), the rates and the end amplitudes (relative
                // rel_k): dS/dnu_k = 2 Im(u_k X_k), dS/dln gamma_k = -2 Re(u_k Z_k), dS/dln u_k = 2 Re(u_k R_k), over the
                // pairs l != k (Ĉ_kk = 1/2, Ĝ_kk = 1/4, D_kk = 0); the mode's own term |u_k|^2 / 2 with its correlated error
                var cu1i = Complex.Conjugate(u1[i]);
                var cuLi = Complex.Conjugate(uL[i]);
                var r1o = r1 - 0.5 * cu1i;
                var rLo = rL - 0.5 * cuLi;
                var z1o = z1 - 0.25 * cu1i;
                var zLo = zL - 0.25 * cuLi;
                bound += c1 * (nuAcc[i] * 2 * Math.Abs((u1[i] * x1).Imaginary) + 2 * (relG[i] * Math.Abs((u1[i] * z1o).Real) + rel1[i] * Complex.Abs(u1[i] * r1o))
                               + 0.5 * (u1[i] * cu1i).Real * dd1[i])
                       + cL * (nuAcc[i] * 2 * Math.Abs((uL[i] * xL).Imaginary) + 2 * (relG[i] * Math.Abs((uL[i] * zLo).Real) + relL[i] * Complex.Abs(uL[i] * rLo))
                               + 0.5 * (uL[i] * cuLi).Real * ddL[i]);
            }
            first[x] = c1 * s1.Real;
            last[x] = cL * sL.Real;
            imag = Math.Max(imag, Math.Max(Math.Abs(c1 * s1.Imaginary), Math.Abs(cL * sL.Imaginary)));
            eq = Math.Max(eq, Math.Abs(first[x] + last[x] - 1));
            degeneracy = Math.Max(degeneracy, bound);
            if (x + 1 < L) { bondFirst[x] = c1 * b1; bondLast[x] = cL * bL; }
        }

        var (logT, tErr) = Transmission(modes, pi, f1, Chat, Dfreq, h, dNu, dG, d1, dL, diagT, L);
        double truncation = c1 > 0 ? Math.Abs(c1 * Math.Exp(logT) - first[L - 1]) : 0;
        return new BathResponse(first, last, bondFirst, bondLast, logT, tErr, eq, imag, degeneracy, truncation);
    }

    /// <summary>ch e^{a} without overflow when ch is tiny (|ch e^a| &lt;= 1 here).</summary>
    static Complex Scaled(Complex ch, double a)
    {
        if (ch == Complex.Zero) return Complex.Zero;
        double m = Complex.Abs(ch);
        return ch / m * Math.Exp(Math.Log(m) + a);
    }

    /// <summary>f_k = v_k(s) / (N_k sqrt gamma_k) from logarithms (bounded by the damping identity).</summary>
    static Complex F(DampedMode m, bool first, double halfLogGamma)
    {
        var (lv, ph) = m.End(first);
        double an = Complex.Abs(m.N);
        double lf = lv - Math.Log(an) - halfLogGamma;
        return lf < -745 ? Complex.Zero : ph * (Complex.Conjugate(m.N) / an) * Math.Exp(lf);
    }

    /// <summary>
    /// ln tau with tau = C^(1)_LL (unit bath at site 1, observable at site L) summed over ALL modes with their end
    /// amplitudes in log space, so it keeps full relative accuracy however small (it is ~e^{-L/xi}); and a bound on
    /// its relative error. The current through the chain is a constant times tau.
    /// </summary>
    static (double Log, double RelativeError) Transmission(DampedMode[] modes, Complex[] pi, Complex[] f1,
        Func<int, int, Complex> chat, Func<int, int, Complex, Complex> dfreq, double[] h, double[] dNu, double[] dG, double[] d1, double[] dL, double[] diagT, int L)
    {
        int n = modes.Length;
        var lu = new double[n];
        double max = double.NegativeInfinity;
        for (int k = 0; k < n; k++)
        {
            var m = modes[k];
            double an = Complex.Abs(m.N);
            // ln|pi v_k(L) v_k(1) / (N sqrt gamma)|
            lu[k] = Math.Log(Complex.Abs(pi[k])) + m.LogLast + m.LogFirst - Math.Log(an) - 0.5 * m.LogGamma;
            if (double.IsFinite(lu[k])) max = Math.Max(max, lu[k]);
        }
        if (!double.IsFinite(max)) return (double.NegativeInfinity, 0);
        var keep = new List<int>();
        var u = new List<Complex>();
        double dropped = 0, total = 0;
        for (int k = 0; k < n; k++)
        {
            double e = lu[k] - max;
            if (!double.IsFinite(e)) continue;
            total += Math.Exp(e);
            if (e < -60) { dropped += Math.Exp(e); continue; }
            var m = modes[k];
            keep.Add(k);
            u.Add(pi[k] / Complex.Abs(pi[k]) * m.PhaseLast * m.PhaseFirst * (Complex.Conjugate(m.N) / Complex.Abs(m.N)) * Math.Exp(e));
        }
        Complex s = 0;
        double abs = 0, err = 0;
        for (int i = 0; i < keep.Count; i++)
        {
            Complex r = 0, x = 0, zz = 0;
            int k = keep[i];
            for (int j = 0; j < keep.Count; j++)
            {
                int l = keep[j];
                var ch = chat(k, l);
                var t = u[i] * ch * Complex.Conjugate(u[j]);
                r += ch * Complex.Conjugate(u[j]);
                abs += Complex.Abs(t);
                x += dfreq(k, l, ch) * Complex.Conjugate(u[j]);
                var gk = k == l ? ch : Scaled(ch, h[k] - h[l]);
                zz += gk * ch * Complex.Conjugate(u[j]);
            }
            s += u[i] * r;
            // u_k = v_k(L) v_k(1) / (N sqrt gamma): both end uncertainties, over the pairs l != k; the mode's own term
            // |u_k|^2 / 2 with its correlated error (the rate comes from the same end amplitudes)
            var cu = Complex.Conjugate(u[i]);
            var ro = r - 0.5 * cu;
            var zo = zz - 0.25 * cu;
            err += dNu[k] * 2 * Math.Abs((u[i] * x).Imaginary) + 2 * (dG[k] * Math.Abs((u[i] * zo).Real) + (d1[k] + dL[k]) * Complex.Abs(u[i] * ro))
                 + 0.5 * (u[i] * cu).Real * diagT[k];
        }
        double rel = (err + 4 * Eps * abs + dropped * total) / s.Real;
        return (2 * max + Math.Log(s.Real), rel);
    }
}
