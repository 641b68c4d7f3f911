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

    /// <summary>The responses to a unit bath at each end, site by site (<see cref="Sweep"/>), the transmission
    /// (<see cref="Transmission"/>) and their error bounds; refused when the pair matrices of the modes overlapping at one
    /// site exceed <paramref name="memoryBudget"/> bytes.</summary>
    public static Fin<BathResponse> Of(ModeSet set, double memoryBudget)
    {
        var f = new Factors(set);
        int L = set.Chain.Length;
        int cap = MaxOverlap(set.Modes, L);
        if (3.0 * cap * cap * 16 > memoryBudget)
            return new Refused($"--length {L}: {cap} modes overlap at one site; their pair matrices need " +
                               $"{3.0 * cap * cap * 16 / 1e9:F1} GB, more than the {memoryBudget / 1e9:F1} GB available");
        var sweep = new Sweep(f, cap, L);
        for (int x = 0; x < L; x++)
        {
            sweep.Enter(x);
            sweep.Site(x);
        }
        var (logT, tErr) = Transmission(f);
        double truncation = f.C1 > 0 ? Math.Abs(f.C1 * Math.Exp(logT) - sweep.First[L - 1]) : 0;
        return new BathResponse(sweep.First, sweep.Last, sweep.BondFirst, sweep.BondLast, logT, tErr,
            sweep.Equilibrium, sweep.Imaginary, sweep.Degeneracy, truncation);
    }

    /// <summary>The most modes whose eigenvector windows cover one site.</summary>
    static int MaxOverlap(DampedMode[] modes, int L)
    {
        var count = new int[L + 1];
        foreach (var md in modes) { count[md.Lo]++; count[md.Hi + 1]--; }
        int cap = 0;
        for (int x = 0, run = 0; x < L; x++) { run += count[x]; cap = Math.Max(cap, run); }
        return cap;
    }

    /// <summary>Per mode k: half its log rate h_k, sqrt(gamma_k), gamma_k, nu_k, the end factors f_k of each bath and the
    /// observable's factor pi_k, the relative uncertainties of its rate (dG), end amplitudes (d1, dL) and frequency (dNu),
    /// and those of its own (diagonal) terms per unit of their value for the bath at site 1 / L and the transmission;
    /// and the bounded Cauchy matrix <see cref="Chat"/> with its frequency derivative <see cref="Dfreq"/>.</summary>
    sealed class Factors
    {
        public readonly DampedChain Chain;
        public readonly DampedMode[] Modes;
        public readonly double C1, CL;
        public readonly double[] H, Sg, Gam, Nu, DG, D1, DL, DNu, Diag1, DiagL, DiagT;
        public readonly Complex[] F1, FL, Pi;

        public Factors(ModeSet set)
        {
            var c = Chain = set.Chain;
            var modes = Modes = set.Modes;
            int n = modes.Length;
            bool second = c.Kind == Dynamics.SecondOrder;
            C1 = (second ? 2 : 1) * c.DampLeft;
            CL = (second ? 2 : 1) * c.DampRight;
            H = new double[n]; Sg = new double[n]; Gam = new double[n]; Nu = new double[n];
            F1 = new Complex[n]; FL = new Complex[n]; Pi = new Complex[n];
            DG = new double[n]; D1 = new double[n]; DL = new double[n];
            DNu = new double[n]; // twice the accuracy of mode k's frequency
            Diag1 = new double[n]; DiagL = new double[n]; DiagT = new double[n];
            for (int k = 0; k < n; k++)
            {
                var m = modes[k];
                H[k] = 0.5 * m.LogGamma;
                Sg[k] = Math.Exp(H[k]);
                Gam[k] = Math.Exp(m.LogGamma);
                Nu[k] = m.Nu;
                DG[k] = Math.Max(1e-13, m.ShiftGamma);
                DNu[k] = 2 * m.Accuracy;
                D1[k] = Math.Max(1e-13, m.ShiftFirst) + 0.5 * DG[k];
                DL[k] = Math.Max(1e-13, m.ShiftLast) + 0.5 * DG[k];
                Pi[k] = second ? m.Z : Complex.One;
                F1[k] = C1 > 0 ? F(m, true, H[k]) : Complex.Zero;
                FL[k] = CL > 0 ? F(m, false, H[k]) : Complex.Zero;
                // a mode's own term in the response to bath s is w_k(x) a_s / (a_1 + a_L), a_s = Gamma_s |v_k(s)|^2: the rate
                // comes from the same end amplitudes (damping identity), so an error e_s of ln|v_k(s)| moves it by
                // 2 alpha_1 alpha_L (e_1 - e_L) relative to alpha_s: correlated, small where one bath dominates the mode
                double a1 = c.DampLeft > 0 ? Math.Log(c.DampLeft) + 2 * m.LogFirst : double.NegativeInfinity;
                double aL = c.DampRight > 0 ? Math.Log(c.DampRight) + 2 * m.LogLast : double.NegativeInfinity;
                double alpha1 = double.IsNegativeInfinity(aL) ? 1 : 1 / (1 + Math.Exp(aL - a1));
                double alphaL = double.IsNegativeInfinity(a1) ? 1 : 1 / (1 + Math.Exp(a1 - aL));
                double s1 = Math.Max(1e-13, m.ShiftFirst), sL = Math.Max(1e-13, m.ShiftLast);
                Diag1[k] = alphaL * 2 * (s1 + sL);
                DiagL[k] = alpha1 * 2 * (s1 + sL);
                // its own term in the transmission, ~ a_1 a_L / (a_1 + a_L): relative error 2 (alpha_L e_1 + alpha_1 e_L)
                DiagT[k] = 2 * (alphaL * s1 + alpha1 * sL);
            }
        }

        /// <summary>Ĉ_kl = sqrt(gamma_k gamma_l) / (kappa_k + conj kappa_l), |Ĉ| &lt;= 1/2, Ĉ_kk = 1/2.</summary>
        public Complex Chat(int k, int l)
        {
            if (k == l) return 0.5;
            if (H[k] > -340 && H[l] > -340) return Sg[k] * Sg[l] / new Complex(Gam[k] + Gam[l], Nu[k] - Nu[l]);
            double re = 2 * Math.Cosh(H[k] - H[l]);
            double d = Nu[k] - Nu[l];
            double im = d == 0 ? 0 : d * Math.Exp(-(H[k] + H[l]));
            if (!double.IsFinite(re) || !double.IsFinite(im)) return Complex.Zero;
            return 1 / new Complex(re, im);
        }

        /// <summary>D_kl = Ĉ_kl / (kappa_k + conj kappa_l) = dĈ_kl/d(i nu_l) (frequency sensitivity), 0 on the diagonal.</summary>
        public Complex Dfreq(int k, int l, Complex ch)
        {
            if (k == l || ch == Complex.Zero) return Complex.Zero;
            double a = Complex.Abs(ch);
            double lm = 2 * Math.Log(a) - H[k] - H[l];
            var u = ch / a;
            return u * u * Math.Exp(lm);
        }
    }

    /// <summary>
    /// The sweep over the sites: the modes active at site x (eigenvector windows covering it) hold slots of the pair
    /// matrices Ĉ_kl, D_kl and (gamma_k/(kappa_k + conj kappa_l)) Ĉ_kl, computed once per overlapping pair when the later
    /// mode enters (<see cref="Enter"/>); <see cref="Site"/> sums the site's responses, bond terms and first-order error
    /// bound over the active pairs.
    /// </summary>
    sealed class Sweep
    {
        readonly Factors f;
        readonly int cap;
        readonly List<int>[] starts;
        readonly Complex[] cm, dm, gm;
        readonly Stack<int> free;
        readonly List<(int K, int Slot)> active = [];
        // per active mode at the current site: its slot and factors
        readonly Complex[] u1, uL, q1, qL, p1, pL;
        readonly int[] slots;
        readonly double[] relG, nuAcc, dd1, ddL, rel1, relL;

        public readonly double[] First, Last;
        public readonly Complex[] BondFirst, BondLast;
        public double Equilibrium, Imaginary, Degeneracy;

        public Sweep(Factors f, int cap, int L)
        {
            this.f = f;
            this.cap = cap;
            starts = new List<int>[L];
            for (int x = 0; x < L; x++) starts[x] = [];
            for (int k = 0; k < f.Modes.Length; k++) starts[f.Modes[k].Lo].Add(k);
            cm = new Complex[cap * cap];
            dm = new Complex[cap * cap];
            gm = new Complex[cap * cap];
            free = new Stack<int>(Enumerable.Range(0, cap).Reverse());
            First = new double[L];
            Last = new double[L];
            BondFirst = new Complex[Math.Max(L - 1, 0)];
            BondLast = new Complex[Math.Max(L - 1, 0)];
            u1 = new Complex[cap]; uL = new Complex[cap]; q1 = new Complex[cap];
            qL = new Complex[cap]; p1 = new Complex[cap]; pL = new Complex[cap];
            slots = new int[cap];
            relG = new double[cap]; nuAcc = new double[cap]; dd1 = new double[cap];
            ddL = new double[cap]; rel1 = new double[cap]; relL = new double[cap];
        }

        /// <summary>Modes whose window ended before x free their slots; modes whose window starts at x take one and
        /// fill their pair entries with every active mode.</summary>
        public void Enter(int x)
        {
            var modes = f.Modes;
            for (int i = active.Count - 1; i >= 0; i--)
                if (modes[active[i].K].Hi < x) { free.Push(active[i].Slot); active.RemoveAt(i); }
            foreach (int k in starts[x])
            {
                int sk = free.Pop();
                active.Add((k, sk));
                foreach (var (l, sl) in active)
                {
                    var ch = f.Chat(k, l);
                    var cc = Complex.Conjugate(ch);
                    cm[sk * cap + sl] = ch;
                    cm[sl * cap + sk] = cc;
                    dm[sk * cap + sl] = f.Dfreq(k, l, ch);
                    dm[sl * cap + sk] = f.Dfreq(l, k, cc);
                    gm[sk * cap + sl] = k == l ? ch * ch : Scaled(ch, f.H[k] - f.H[l]) * ch;
                    gm[sl * cap + sk] = k == l ? ch * ch : Scaled(cc, f.H[l] - f.H[k]) * cc;
                }
            }
        }

        /// <summary>Site x: First[x], Last[x], the bond terms to x + 1, and the running maxima of the equilibrium defect,
        /// the imaginary parts and the first-order error bound.</summary>
        public void Site(int x)
        {
            int L = First.Length, m = Gather(x);
            double c1 = f.C1, cL = f.CL;
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
            First[x] = c1 * s1.Real;
            Last[x] = cL * sL.Real;
            Imaginary = Math.Max(Imaginary, Math.Max(Math.Abs(c1 * s1.Imaginary), Math.Abs(cL * sL.Imaginary)));
            Equilibrium = Math.Max(Equilibrium, Math.Abs(First[x] + Last[x] - 1));
            Degeneracy = Math.Max(Degeneracy, bound);
            if (x + 1 < L) { BondFirst[x] = c1 * b1; BondLast[x] = cL * bL; }
        }

        /// <summary>The active modes' slots and factors at site x (u = pi v f, q = v f, p = pi v(x+1) f per bath); their count.</summary>
        int Gather(int x)
        {
            int L = First.Length, m = active.Count;
            for (int i = 0; i < m; i++)
            {
                var (k, sk) = active[i];
                slots[i] = sk;
                relG[i] = f.DG[k];
                nuAcc[i] = f.DNu[k];
                dd1[i] = f.Diag1[k];
                ddL[i] = f.DiagL[k];
                rel1[i] = f.D1[k];
                relL[i] = f.DL[k];
                var v = f.Modes[k].At(x);
                var w = x + 1 < L ? f.Modes[k].At(x + 1) : Complex.Zero;
                u1[i] = f.Pi[k] * v * f.F1[k];
                uL[i] = f.Pi[k] * v * f.FL[k];
                q1[i] = v * f.F1[k];
                qL[i] = v * f.FL[k];
                p1[i] = f.Pi[k] * w * f.F1[k];
                pL[i] = f.Pi[k] * w * f.FL[k];
            }
            return m;
        }
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
    static (double Log, double RelativeError) Transmission(Factors f)
    {
        var (modes, pi, h, dNu, dG, d1, dL, diagT) = (f.Modes, f.Pi, f.H, f.DNu, f.DG, f.D1, f.DL, f.DiagT);
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
                var ch = f.Chat(k, l);
                var t = u[i] * ch * Complex.Conjugate(u[j]);
                r += ch * Complex.Conjugate(u[j]);
                abs += Complex.Abs(t);
                x += f.Dfreq(k, l, ch) * Complex.Conjugate(u[j]);
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
