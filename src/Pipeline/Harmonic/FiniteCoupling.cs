using System.Collections.Immutable;
using System.Diagnostics;
using LanguageExt;
using Ness.Operators.Harmonic;
using Ness.Numerics.Quadratic;

namespace Ness.Pipeline.Harmonic;

/// <summary>
/// The exact NESS at finite bath coupling lambda, eq. (2.5)–(2.7), at any length: eq. (2.6) evaluated mode by mode
/// in the eigenbasis of the drift matrix A, found as the 2L roots z of det(z^2 + z Lambda + H) = 0 with
/// Lambda = lambda (|1&gt;&lt;1| + |L&gt;&lt;L|) (<see cref="DampedChain"/> of second order, <see cref="DampedModes"/>),
/// with damping rates and end amplitudes kept with full relative accuracy however small (~1e-40 at L = 70,
/// g = 0.1: far below what any dense double-precision solve of A C + C A^T + S S^T = 0 resolves, see
/// <see cref="ExactCovariance"/>). The profile is affine in (T1, TL): T(x) = T1 a_x + TL b_x with a, b the kinetic
/// temperatures for a unit bath at site 1 / site L alone (<see cref="BathResponse"/>), and a + b = 1 exactly
/// (equilibrium); the smaller of the two corrections is used, so T1 = TL gives the flat profile exactly.
/// The energy current is lambda (T1 − TL) a_L (Landauer form: the equilibrium identity gives
/// lambda (T(L) − TL) = lambda (T1 − TL) a_L), summed over all modes in log space: full relative accuracy
/// although it falls like e^{−L/xi}.
/// O(L^2) time, O(L) memory plus the eigenvector windows (~100 sites each at g = 0.1).
/// </summary>
public static class FiniteCoupling
{
    public const string Method = "finite-lambda: damped modes of A in log space (eq. 2.6), Aberth + twisted factorizations";

    /// <summary>The profile's error bound (error_estimate) may be at most this times max(T1, TL); the temperatures'
    /// imaginary parts and the windows' truncation likewise. The other thresholds are the shared mode certificate's
    /// (<see cref="ModeCertificate"/>).</summary>
    public const double Tolerance = ModeCertificate.MaxProfileError;

    /// <summary>Peak memory in bytes: O(L) work arrays plus eigenvector windows of ~100 sites per mode.</summary>
    public static double MemoryEstimate(int L) => 2 * L * 100 * 16.0 + 64.0 * 8 * L + 20e6;

    /// <summary>eq. (2.6)–(2.7) at bath coupling <paramref name="lambda"/> (<see cref="BathCoupling.Finite"/>): the profile, its certificate
    /// and the energy current.</summary>
    public static Fin<(TemperatureProfile Profile, EnergyCurrent Current)> Solve(HarmonicParameters p, double lambda)
    {
        var clock = Stopwatch.StartNew();
        var h = ChainHamiltonian.Of(p.Pinning, p.Coupling);
        var chain = new DampedChain(h.Diagonal, -p.Coupling, lambda, lambda, Dynamics.SecondOrder);
        double budget = MemoryBudget.Limit;
        return DampedModes.Solve(chain, budget).AsRefusal().Bind(set =>
        {
            double tModes = clock.Elapsed.TotalSeconds;
            return BathResponse.Of(set, budget).AsRefusal().Bind(resp => Observe(p, lambda, set, resp, tModes));
        });
    }

    static Fin<(TemperatureProfile, EnergyCurrent)> Observe(HarmonicParameters p, double lambda, ModeSet set, BathResponse resp, double tModes)
    {
        int L = p.Length;
        double t1 = p.TLeft, tL = p.TRight, tmax = Math.Max(t1, tL) > 0 ? Math.Max(t1, tL) : 1; // the scale of the checks (1 when both baths are at T = 0)
        var t = resp.Observable(t1, tL);

        // J = lambda (T1 - TL) a_L, a_L = 2 lambda C^(1)_{p_L p_L} = 2 lambda tau
        double drive = t1 - tL;
        double lnJ = Math.Log(Math.Abs(drive)) + 2 * Math.Log(lambda) + Math.Log(2) + resp.LogTransmission;
        double j = drive == 0 ? 0 : Math.Sign(drive) * Math.Exp(lnJ);

        // continuity: the bond-local current g <q_x p_{x+1}> on every bond against J (absolute, relative to g max T)
        double continuity = 0;
        for (int x = 0; x + 1 < L; x++)
        {
            double local = p.Coupling * (t1 * resp.BondFirst[x] + tL * resp.BondLast[x]).Real;
            continuity = Math.Max(continuity, Math.Abs(local - j));
        }
        double continuityRel = continuity / (p.Coupling * tmax);
        // the boundary form lambda (T1 - T(1)) against J (absolute, relative to lambda max T)
        double boundary = Math.Abs(lambda * (t1 - t[0]) - j) / (lambda * tmax);

        double bound = resp.DegeneracyBound + resp.EquilibriumError;
        var terms = new ModeCertificate.Terms(
            "finite lambda: the steady state cannot be certified: ", "the modes of A", "tr(Lambda) = 2 lambda",
            "T1 = TL must give a flat profile", "current_relative_error",
            [
                new("imaginary_error", resp.ImaginaryError, Tolerance, $"the temperatures have imaginary parts up to {resp.ImaginaryError:G3}"),
                new("error_estimate", tmax * bound, tmax * Tolerance,
                    $"the uncertainty of the mode frequencies and rates (tail sensitivity {set.Checks.TailSensitivity:G3}) makes the profile uncertain by up to {bound:G3} x max(T1, TL)"),
            ],
            new("current_continuity_error", continuityRel, ModeCertificate.MaxContinuityError,
                $"bond-local energy currents deviate from the transmission current by {continuityRel:G3} (relative to g max T)"),
            [
                new("boundary_current_error", boundary, ModeCertificate.MaxContinuityError,
                    $"lambda (T1 - T(1)) deviates from the transmission current by {boundary:G3} (relative to lambda max T)"),
            ],
            Tolerance);
        var cert = new Certificate(Method,
        [
            .. ModeCertificate.Checks(set, resp, drive, terms),
            new Number("degeneracy_bound", resp.DegeneracyBound),
            new Number("log10_min_damping", MinLogDamping(set) / Math.Log(10)),
            .. ModeCertificate.Numbers(set, tModes),
        ]);
        return cert.Verify(terms.Prefix).Map(c => (new TemperatureProfile([.. t], c),
            (EnergyCurrent)new EnergyCurrent.Finite(j, drive == 0 ? double.NegativeInfinity : lnJ)));
    }

    static double MinLogDamping(ModeSet set)
    {
        double m = double.PositiveInfinity;
        foreach (var mode in set.Modes) m = Math.Min(m, mode.LogGamma);
        return m;
    }
}
