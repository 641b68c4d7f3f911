using System.Collections.Immutable;
using Ness.Operators.Fermion;

namespace Ness.Pipeline.Fermion;

/// <summary>Particle currents of the steady state. Left = injected at site 1, right = extracted at
/// site L, bonds[x−1] = from site x to x + 1; in a steady state all are equal (current conservation).</summary>
public sealed record Currents(double Left, double Right, ImmutableArray<double> Bonds)
{
    /// <summary>Weak-coupling limit only (left, right and this are then J/eps, the current per unit coupling): the
    /// current to quote, null when the certificate cannot vouch for one digit of it.</summary>
    public double? PerCoupling { get; init; }

    /// <summary>Weak-coupling limit only: ln |J/eps| (finite also when J/eps underflows a double, e.g. e^-1000 at V = 0).</summary>
    public double? LnAbs { get; init; }

    /// <summary>
    /// Left and right from the boundary occupations (section 3.2, "Behavior of the stationary current"):
    /// J = g1p − (g1p + g1m) n_1 = −(gLp − (gLp + gLm) n_L). These lose digits to cancellation when J ≪ 1.
    /// The bond current comes from the hopping term: d n_x/dt|_bond x = i&lt;[H_F, n_x]&gt;|_bond x gives
    /// j_x = −2 J Im&lt;a+_x a_{x+1}&gt; = 2 J Im&lt;a+_{x+1} a_x&gt;, which is computed from coherences and keeps
    /// full relative accuracy; it is the current to quote for small J.
    /// </summary>
    public static Currents Of(FermionState s, ImmutableArray<double> n)
    {
        var p = s.Parameters;
        int L = p.Length;
        var bonds = new double[Math.Max(L - 1, 0)];
        var basis = s.Model.Basis;
        for (int N = 0; N <= L; N++)
        {
            var states = basis.Blocks[N];
            var rho = s.Rho[N];
            // <a+_x a_{x+1}> = sum_a rho[a, b] (a+_x a_{x+1})[b, a]
            for (int a = 0; a < states.Length; a++)
                foreach (var (x, b, sign) in basis.Hops(states[a]))
                    bonds[x - 1] += -2 * p.Hopping * sign * rho[a, b].Imaginary;
        }
        return Boundary(p.Rates, n, [.. bonds]);
    }

    /// <summary>The boundary currents from the end occupations (the one place they are computed):
    /// left = g1p − (g1p + g1m) n_1 injected at site 1, right = −(gLp − (gLp + gLm) n_L) extracted at site L.</summary>
    public static Currents Boundary(Rates r, IReadOnlyList<double> n, ImmutableArray<double> bonds) =>
        new(r.G1p - (r.G1p + r.G1m) * n[0], -(r.GLp - (r.GLp + r.GLm) * n[^1]), bonds);
}
