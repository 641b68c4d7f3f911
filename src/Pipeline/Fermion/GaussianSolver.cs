using System.Collections.Immutable;
using System.Diagnostics;
using LanguageExt;
using Ness.Numerics.Quadratic;

namespace Ness.Pipeline.Fermion;

/// <summary>
/// The exact steady state of the free-fermion chain (V = 0; paper, section 3: "at V = 0 the system is mapped to
/// non-interacting fermions"). The state is Gaussian: G_kl = &lt;a+_k a_l&gt; solves the Lyapunov equation
/// X G + G X^H = −Gamma_plus, X = i h − Gamma/2, h = J (hopping) + diag(2 h_x), Gamma = diag(g1p + g1m, 0, …, gLp + gLm),
/// Gamma_plus = diag(g1p, 0, …, gLp). It is solved in the eigenbasis of the damped chain (<see cref="DampedModes"/>,
/// <see cref="BathResponse"/>), which keeps full relative accuracy in the exponentially small damping rates:
/// G = f_1 A + f_L B with A, B the responses to a unit bath at site 1 / site L (f_s = g_sp / (g_sp + g_sm)), and
/// A + B = 1 (equilibrium). n_x = G_xx is written as f_L + (f_1 − f_L) A_xx or f_1 + (f_L − f_1) B_xx, whichever
/// correction is smaller, so equal bath occupations give the flat profile exactly.
/// The current is the same on every bond (continuity): j = (g1p gLm − gLp g1m) C^(1)_LL, C^(1) the covariance of a
/// unit source at site 1 (the Landauer form), summed over all modes in log space, so it keeps full relative accuracy
/// however small; the bond-local values −2 J Im G_{x,x+1} are computed as well and their largest deviation from j is
/// the certificate current_continuity_error. O(L^2) time, O(L) memory plus the eigenvector windows.
/// </summary>
public static class GaussianSolver
{
    /// <summary>Longest chain: O(L^2) time (L = 10,000 takes minutes).</summary>
    public const int MaxLength = 100_000;

    /// <summary>Typical peak memory in bytes: O(L) work arrays plus eigenvector windows of ~100 sites (strong
    /// disorder; weakly localized chains need more, and are refused with exit 3 if beyond the machine).</summary>
    public static double MemoryEstimate(int L) => L * 4000.0 + 50e6;

    /// <summary>The exact Gaussian steady state of <paramref name="p"/>: the profile, the currents and the certificate
    /// (<see cref="ModeCertificate"/>, with the memory budget of the plan's options).</summary>
    public static Fin<FermionSolution> Run(FermionParameters p)
    {
        var clock = Stopwatch.StartNew();
        var r = p.Rates;
        int L = p.Length;
        var d = new double[L];
        for (int x = 0; x < L; x++) d[x] = 2 * p.Fields[x];
        var chain = new DampedChain([.. d], p.Hopping, r.G1p + r.G1m, r.GLp + r.GLm, Dynamics.FirstOrder);
        double budget = MemoryBudget.Limit;
        return DampedModes.Solve(chain, budget).AsRefusal().Bind(set =>
        {
            double tModes = clock.Elapsed.TotalSeconds;
            return BathResponse.Of(set, budget).AsRefusal().Bind(resp => Observe(p, set, resp, clock, tModes));
        });
    }

    static Fin<FermionSolution> Observe(FermionParameters p, ModeSet set, BathResponse resp, Stopwatch clock, double tModes)
    {
        var r = p.Rates;
        int L = p.Length;
        double gam1 = r.G1p + r.G1m, gamL = r.GLp + r.GLm;
        double fL = gamL > 0 ? r.GLp / gamL : r.G1p / gam1;
        double f1 = gam1 > 0 ? r.G1p / gam1 : fL;
        var n = resp.Observable(f1, fL);

        double drive = r.G1p * r.GLm - r.GLp * r.G1m;
        double lnJ = Math.Log(Math.Abs(drive)) + resp.LogTransmission;
        double j = Math.Sign(drive) * Math.Exp(lnJ);
        var bonds = new double[Math.Max(L - 1, 0)];
        double continuity = 0;
        for (int x = 0; x + 1 < L; x++)
        {
            bonds[x] = j;
            double local = -2 * p.Hopping * (f1 * resp.BondFirst[x] + fL * resp.BondLast[x]).Imaginary;
            continuity = Math.Max(continuity, Math.Abs(local - j));
        }
        double currentScale = Math.Max(Math.Abs(p.Hopping), 1e-300) * Math.Max(f1, fL);
        double continuityRel = continuity / currentScale;
        var current = Currents.Boundary(r, n, [.. bonds]);
        double minOcc = n.Min(v => Math.Min(v, 1 - v));

        var terms = new ModeCertificate.Terms(
            "gaussian solver: the steady state cannot be certified: ", "the damped modes", "(Gamma_1 + Gamma_L)/2",
            "equal bath occupations must give a flat profile", "transmission_relative_error",
            [
                new("degeneracy_bound", resp.DegeneracyBound, ModeCertificate.MaxProfileError,
                    $"the uncertainty of the mode frequencies and rates (tail sensitivity {set.Checks.TailSensitivity:G3}) makes the profile uncertain by up to {resp.DegeneracyBound:G3}"),
            ],
            new("current_continuity_error", continuityRel, ModeCertificate.MaxContinuityError,
                $"bond-local currents deviate from the transmission current by {continuityRel:G3} (relative to |J| max f)"),
            [],
            MaxTruncationError);
        var cert = new Certificate("gaussian",
        [
            new Number("dimension", L),
            .. ModeCertificate.Checks(set, resp, drive, terms),
            new Number("imaginary_error", resp.ImaginaryError),
            new Number("min_occupation_margin", minOcc),
            new Number("seconds", clock.Elapsed.TotalSeconds),
            .. ModeCertificate.Numbers(set, tModes),
            new Number("ln_abs_current", drive == 0 ? double.NegativeInfinity : lnJ),
        ]);
        return cert.Verify(terms.Prefix).Map(c => new FermionSolution([.. n], current, c));
    }

    /// <summary>Largest loss of the profile to the eigenvector windows (absolute, occupations are at most 1).</summary>
    public const double MaxTruncationError = 1e-10;
}
