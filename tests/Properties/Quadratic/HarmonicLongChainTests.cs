using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Ness.Pipeline;
using Ness.Pipeline.Harmonic;
using Ness.Tests.Harmonic;

namespace Ness.Tests.Quadratic;

/// <summary>
/// The finite-lambda NESS of long localized harmonic chains (<see cref="FiniteCoupling"/>: the damped-mode engine), where
/// the middle modes' damping (~1e-40 at L = 70) is far below what a dense double-precision solver resolves: the
/// physics it must respect at any length, and its agreement with the dense spectral solve of eq. (2.6)
/// (<see cref="ExactCovariance"/>) on short chains, where that one certifies.
/// The solver may refuse a chain (exit 3: a resonant pair whose eigenvectors double precision cannot keep
/// orthogonal, a mode at the overdamping transition); such a draw is discarded (FsCheck's <c>When</c>), and a property
/// whose draws are mostly refused fails with "arguments exhausted": refusals stay rare or the test is red. How rare is
/// measured in docs/quadratic.md.
/// </summary>
[Properties(Arbitrary = [typeof(HarmonicArbitraries)])]
public class HarmonicLongChainTests
{
    /// <summary>A long chain in the paper's regime: L = 10..120, g in [0.05, 0.3], pinning in [1, 2], lambda
    /// log-uniform in [1e-3, 1e3] (the command's range), T1, TL in [0, 3].</summary>
    public static Arbitrary<CoupledChain> LongChains() =>
        Arb.From(
            from l in Gen.Choose(10, 120)
            from v in Gen.ArrayOf(Gen.Choose(1000, 2000).Select(i => i * 1e-3), l)
            from g in Gen.Choose(5, 30).Select(i => i * 1e-2)
            from t1 in Gen.Choose(0, 300).Select(i => i * 1e-2)
            from tL in Gen.Choose(0, 300).Select(i => i * 1e-2)
            from e in Gen.Choose(-30, 30).Select(i => Math.Pow(10, i * 0.1))
            select new CoupledChain(new Chain(v, g, t1, tL), e),
            cc => HarmonicGen.Shrink(cc.Chain).Where(c => c.Pinning.Length >= 10).Select(c => cc with { Chain = c }));

    /// <summary>The certified solve, or None where the solver refuses.</summary>
    static Solved? Solve(HarmonicParameters p) =>
        FiniteCoupling.Solve(p, ((BathCoupling.Finite)p.Bath).Lambda).Match(
            s => new Solved(s.Profile.Temperatures.ToArray(), Check(s.Profile, "error_estimate"), Check(s.Profile, "equilibrium_error"), s.Current,
                Check(s.Profile, "current_relative_error")),
            _ => (Solved?)null);

    sealed record Solved(double[] T, double Error, double Equilibrium, EnergyCurrent Current, double CurrentError);

    static double Check(TemperatureProfile t, string name) => t.Certificate.Value(name).IfNone(double.NaN);

    /// <summary>Equal bath temperatures on long chains across the whole lambda range: the responses to the two unit baths
    /// sum to 1 on every site within the certificate's 1e-10 (each mode's weight entering at full size however weakly it is
    /// damped), and the profile is exactly flat.</summary>
    [Property(MaxTest = 40)]
    public Property Equilibrium_is_certified_and_flat_on_long_chains() =>
        Prop.ForAll(LongChains(), cc =>
        {
            var s = Solve(cc.Chain.Finite(cc.Lambda, cc.Chain.T1, cc.Chain.T1));
            return (s is not null && s.Equilibrium <= ModeCertificate.MaxEquilibriumError && s.T.All(x => x == cc.Chain.T1))
                .When(s is not null).Label($"equilibrium_error = {s?.Equilibrium:E2}");
        });

    /// <summary>Positivity: each bath alone contributes a covariance, whose diagonal is &gt;= 0, and the two sum to the
    /// equilibrium; so T(x) lies between T1 and TL on every site (within the certified error).</summary>
    [Property(MaxTest = 40)]
    public Property Profile_lies_between_the_bath_temperatures() =>
        Prop.ForAll(LongChains(), cc =>
        {
            var c = cc.Chain;
            var s = Solve(c.Finite(cc.Lambda));
            if (s is null) return false.When(false);
            double lo = Math.Min(c.T1, c.TL) - s.Error - 1e-15, hi = Math.Max(c.T1, c.TL) + s.Error + 1e-15;
            return s.T.All(x => x >= lo && x <= hi).Label($"T in [{s.T.Min():R}, {s.T.Max():R}], error estimate {s.Error:E2}");
        });

    /// <summary>Mirror symmetry: the reversed chain with swapped baths gives the reversed profile, within the sum of the
    /// two computations' own error estimates (the certificate must not promise more than it delivers).</summary>
    [Property(MaxTest = 40)]
    public Property Mirror_symmetry_within_the_certified_error() =>
        Prop.ForAll(LongChains(), cc =>
        {
            var c = cc.Chain;
            var a = Solve(c.Finite(cc.Lambda));
            var m = Solve(new Chain([.. c.Pinning.Reverse()], c.G, c.TL, c.T1).Finite(cc.Lambda));
            if (a is null || m is null) return false.When(false);
            int L = a.T.Length;
            double d = Enumerable.Range(0, L).Max(x => Math.Abs(a.T[x] - m.T[L - 1 - x]));
            return (d <= a.Error + m.Error + 1e-14 * Math.Max(c.T1, c.TL)).Label($"max |T - mirror| = {d:E2}, error estimates {a.Error:E2} + {m.Error:E2}");
        });

    /// <summary>lambda -> 0 tends to eq. (2.9) on long chains: the finite-lambda correction is O(lambda) (lambda small
    /// against the level spacing of modes that overlap), so T(1e-6) is closer to eq. (2.9) than T(1e-5) by about 10x.</summary>
    [Property(MaxTest = 20)]
    public Property Small_lambda_tends_to_eq_2_9_on_long_chains() =>
        Prop.ForAll(LongChains(), cc =>
        {
            var c = cc.Chain with { T1 = 1, TL = 2 };
            var weak = HarmonicGen.Profile(c.Weak());
            var (s5, s6) = (Solve(c.Finite(1e-5)), Solve(c.Finite(1e-6)));
            if (s5 is null || s6 is null) return false.When(false);
            double e5 = Diff(s5.T, weak), e6 = Diff(s6.T, weak);
            return (e6 <= 0.2 * e5 + 1e-9).Label($"|T(1e-5) - T(2.9)| = {e5:E2}, |T(1e-6) - T(2.9)| = {e6:E2}");
        });

    /// <summary>The weak-coupling current J / lambda = (T1 − TL) sum_k psi_k(1)^2 psi_k(L)^2 / (psi_k(1)^2 + psi_k(L)^2) is the
    /// lambda -> 0 limit of the exact current J(lambda) / lambda (two independent computations: log-eigenvectors of H
    /// against the damped modes of A), compared as logarithms (the current is ~e^{-L/xi}, far below the smallest
    /// double at L = 120): the deviation shrinks ~10x from lambda = 1e-5 to 1e-6, down to the exact currents' own certified
    /// relative errors ("current_relative_error", up to ~1e-9 at L = 120; a draw whose O(lambda) term is already below it
    /// at 1e-5 sits on that floor at both lambdas: CI run of stop 20, 2.03e-10 then 2.00e-10 under a bound of 1.4e-9 each).</summary>
    [Property(MaxTest = 20)]
    public Property Weak_coupling_current_is_the_small_lambda_limit() =>
        Prop.ForAll(LongChains(), cc =>
        {
            var c = cc.Chain with { T1 = 1, TL = 2 };
            var w = HarmonicChain.SteadyState(c.Weak()).Match(s => s.Current, e => throw new Xunit.Sdk.XunitException(e.Message));
            var (s5, s6) = (Solve(c.Finite(1e-5)), Solve(c.Finite(1e-6)));
            if (s5 is null || s6 is null) return false.When(false);
            double e5 = Math.Abs(s5.Current.LogAbs - Math.Log(1e-5) - w.LogAbs), e6 = Math.Abs(s6.Current.LogAbs - Math.Log(1e-6) - w.LogAbs);
            double floor = s5.CurrentError + s6.CurrentError + 1e-10;   // the certified errors, and the log sum's rounding
            return (w is EnergyCurrent.PerBathCoupling && w.Value <= 0 && e6 <= 0.2 * e5 + floor)
                .Label($"ln(J/lambda): |d| at 1e-5 = {e5:E2}, at 1e-6 = {e6:E2}, certified current errors {s5.CurrentError:E2} + {s6.CurrentError:E2}");
        });

    /// <summary>On short chains (L &lt;= 6, lambda in [0.1, 2]) the damped-mode engine agrees with the dense spectral
    /// solve of eq. (2.6) (MathNet eigendecomposition of the drift matrix) to 1e-10; both certify every such chain.</summary>
    [Property(MaxTest = 40)]
    public Property Agrees_with_the_dense_spectral_solve_on_short_chains(CoupledChain cc)
    {
        var p = cc.Chain.Finite(cc.Lambda);
        var dense = ExactCovariance.Profile(p).Match(t => t.Temperatures.ToArray(), e => throw new Xunit.Sdk.XunitException(e.Message));
        var s = Solve(p) ?? throw new Xunit.Sdk.XunitException("the damped-mode engine refused a short chain");
        double d = Diff(s.T, dense);
        return (d <= 1e-10 * Math.Max(1, Math.Max(cc.Chain.T1, cc.Chain.TL))).Label($"max |T - T_dense| = {d:E2}");
    }

    static double Diff(double[] a, double[] b) => a.Zip(b).Max(t => Math.Abs(t.Item1 - t.Item2));
}
