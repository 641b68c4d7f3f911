using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Ness.Pipeline.Harmonic;

namespace Ness.Tests.Harmonic;

/// <summary>Physical properties of the NESS temperature profile, both methods, on short random chains.</summary>
public class HarmonicPropertyTests
{
    static double MaxDiff(double[] a, double[] b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Max();

    static Property ForChains(Func<Chain, bool> body, int maxLength = 8) =>
        Prop.ForAll(HarmonicGen.Chains(maxLength).ToArbitrary(), body);

    static Property ForChainsAndLambda(Func<Chain, double, bool> body) =>
        Prop.ForAll(HarmonicGen.Chains(6, 30).ToArbitrary(), HarmonicGen.BathCouplings.ToArbitrary(), body);

    [Property(MaxTest = 60)]
    public Property Equilibrium_is_flat_at_weak_coupling() =>
        ForChains(c => HarmonicGen.Profile(c.Weak(c.T1, c.T1)).All(t => Math.Abs(t - c.T1) <= 1e-12 * Math.Max(1, c.T1)), 40);

    [Property(MaxTest = 30)]
    public Property Equilibrium_is_flat_at_finite_lambda() =>
        ForChainsAndLambda((c, lam) => HarmonicGen.Profile(c.Finite(lam, c.T1, c.T1)).All(t => Math.Abs(t - c.T1) <= 1e-10 * Math.Max(1, c.T1)));

    [Property(MaxTest = 60)]
    public Property Weak_profile_is_affine_in_the_temperatures_and_between_them() =>
        ForChains(c =>
        {
            var a = HarmonicGen.Profile(c.Weak(1, 0));
            var b = HarmonicGen.Profile(c.Weak(0, 1));
            var t = HarmonicGen.Profile(c.Weak());
            var affine = a.Zip(b, (x, y) => c.T1 * x + c.TL * y).ToArray();
            double lo = Math.Min(c.T1, c.TL), hi = Math.Max(c.T1, c.TL);
            return MaxDiff(t, affine) <= 1e-12 * Math.Max(1, hi) && t.All(x => x >= lo && x <= hi);
        }, 40);

    [Property(MaxTest = 30)]
    public Property Finite_profile_is_affine_in_the_temperatures_and_between_them() =>
        ForChainsAndLambda((c, lam) =>
        {
            var a = HarmonicGen.Profile(c.Finite(lam, 1, 0));
            var b = HarmonicGen.Profile(c.Finite(lam, 0, 1));
            var t = HarmonicGen.Profile(c.Finite(lam));
            var affine = a.Zip(b, (x, y) => c.T1 * x + c.TL * y).ToArray();
            double lo = Math.Min(c.T1, c.TL), hi = Math.Max(c.T1, c.TL), tol = 1e-10 * Math.Max(1, hi);
            return MaxDiff(t, affine) <= tol && t.All(x => x >= lo - tol && x <= hi + tol);
        });

    [Property(MaxTest = 60)]
    public Property Mirror_symmetry_at_weak_coupling() =>
        ForChains(c =>
        {
            var t = HarmonicGen.Profile(c.Weak());
            var mirror = new Chain([.. c.Pinning.Reverse()], c.G, c.TL, c.T1);
            var m = HarmonicGen.Profile(mirror.Weak());
            return MaxDiff(t, [.. m.Reverse()]) <= 1e-12 * Math.Max(1, Math.Max(c.T1, c.TL));
        }, 40);

    [Property(MaxTest = 30)]
    public Property Mirror_symmetry_at_finite_lambda() =>
        ForChainsAndLambda((c, lam) =>
        {
            var t = HarmonicGen.Profile(c.Finite(lam));
            var mirror = new Chain([.. c.Pinning.Reverse()], c.G, c.TL, c.T1);
            var m = HarmonicGen.Profile(mirror.Finite(lam));
            return MaxDiff(t, [.. m.Reverse()]) <= 1e-10 * Math.Max(1, Math.Max(c.T1, c.TL));
        });

    [Property(MaxTest = 30)]
    public Property Energy_current_left_equals_right() =>
        ForChainsAndLambda((c, lam) =>
            HarmonicNess.Run(c.Finite(lam)).Match(
                r => Math.Abs(r.Current!.Left - r.Current.Right) <= 1e-10 * lam * Math.Max(1, Math.Max(c.T1, c.TL)),
                e => throw new Xunit.Sdk.XunitException(e.Message)));

    /// <summary>Finite lambda -> 0 approaches eq. (2.9): the correction is O(lambda / level spacing).</summary>
    [Property(MaxTest = 20)]
    public Property Small_lambda_approaches_weak_coupling() =>
        Prop.ForAll(HarmonicGen.Chains(5, 50).ToArbitrary(), c =>
        {
            var weak = HarmonicGen.Profile(c.Weak(1, 2));
            var near = HarmonicGen.Profile(c.Finite(1e-3, 1, 2));
            var nearer = HarmonicGen.Profile(c.Finite(1e-4, 1, 2));
            double e1 = MaxDiff(near, weak), e2 = MaxDiff(nearer, weak);
            return (e2 <= 1e-2 && e2 <= 0.2 * e1 + 1e-8).Label($"|T(1e-3) - T(2.9)| = {e1:G3}, |T(1e-4) - T(2.9)| = {e2:G3}");
        });
}
