using System.Collections.Immutable;
using System.Numerics;

namespace Ness.Numerics.Quadratic;

/// <summary>How the chain's amplitudes evolve: first order (free fermions, X = i h − Gamma/2) or second order
/// (pinned oscillators, q'' = −H q − Lambda q').</summary>
public enum Dynamics { FirstOrder, SecondOrder }

/// <summary>
/// A boundary-damped tridiagonal chain: a real symmetric tridiagonal matrix (diagonal d_x, constant off-diagonal b)
/// damped only at its two end sites, with rates <see cref="DampLeft"/> at site 1 and <see cref="DampRight"/> at site L
/// (both on site 1 when L = 1). Its modes are the roots z of det T(z) = 0:
/// <list type="bullet">
/// <item>first order (free fermions): T(z) = h + i Gamma/2 − z, z = E + i gamma; a mode decays like e^{−kappa t},
/// kappa = −i z = gamma − i E (X = i h − Gamma/2 = i (h + i Gamma/2) has eigenvalues −kappa);</item>
/// <item>second order (harmonic chain, eq. 2.5): T(z) = z^2 + z Lambda + H (the quadratic eigenproblem of the drift
/// matrix A: A (v, z v) = z (v, z v)), z = −gamma + i omega, kappa = −z.</item>
/// </list>
/// In both, T(z) is complex symmetric, so left and right eigenvectors coincide, and v^H T(z) v = 0 gives the exact
/// damping identity gamma = sum_x Gamma_x |v_x|^2 / (2 ||v||^2) (second order: for complex z), which keeps full
/// relative accuracy however small gamma is, as long as the end amplitudes v_1, v_L do.
/// </summary>
public sealed record DampedChain(ImmutableArray<double> Diagonal, double OffDiagonal, double DampLeft, double DampRight, Dynamics Kind)
{
    public int Length => Diagonal.Length;

    /// <summary>max_x |d_x|, computed once per chain.</summary>
    public double MaxDiagonal { get; } = MaxAbs(Diagonal);

    static double MaxAbs(ImmutableArray<double> d)
    {
        double m = 0;
        foreach (var x in d) m = Math.Max(m, Math.Abs(x));
        return m;
    }

    /// <summary>Damping rate on site x (0-based): DampLeft on the first site, DampRight on the last.</summary>
    public double Damping(int x) =>
        (x == 0 ? DampLeft : 0) + (x == Length - 1 ? DampRight : 0);

    /// <summary>The diagonal entry T(z)_xx.</summary>
    public Complex Diag(int x, Complex z) => Kind == Dynamics.FirstOrder
        ? new Complex(Diagonal[x] - z.Real, 0.5 * Damping(x) - z.Imaginary)
        : Diagonal[x] + z * z + z * Damping(x);

    /// <summary>dT(z)_xx / dz (the off-diagonal does not depend on z).</summary>
    public Complex Deriv(int x, Complex z) => Kind == Dynamics.FirstOrder ? -Complex.One : 2 * z + Damping(x);

    /// <summary>The decay exponent kappa of a mode (Re kappa = gamma &gt; 0 for a damped mode).</summary>
    public Complex Kappa(Complex z) => Kind == Dynamics.FirstOrder ? new Complex(z.Imaginary, -z.Real) : -z;

    /// <summary>The root z with damping rate gamma (given as ln gamma) replacing the one in <paramref name="z"/>.</summary>
    public Complex WithDamping(Complex z, double gamma) => Kind == Dynamics.FirstOrder
        ? new Complex(z.Real, gamma)
        : new Complex(-gamma, z.Imaginary);

    /// <summary>Whether the damping identity applies to the root z: always at first order; at second order only to
    /// oscillating modes (Im z != 0); overdamped modes have large rates and take the root's own real part.</summary>
    public bool IdentityApplies(Complex z, double scale) =>
        Kind == Dynamics.FirstOrder || Math.Abs(z.Imaginary) > 1e-6 * scale;

    /// <summary>Largest |entry| of the undamped matrix plus the dampings: the scale of absolute root errors.</summary>
    public double Scale()
    {
        double m = MaxDiagonal + 2 * Math.Abs(OffDiagonal) + DampLeft + DampRight;
        return Kind == Dynamics.FirstOrder ? m : Math.Sqrt(m) + DampLeft + DampRight;
    }
}
