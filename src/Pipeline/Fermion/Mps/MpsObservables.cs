using System.Collections.Immutable;
using Ness.Pipeline.Fermion.Mps.Tensors;

namespace Ness.Pipeline.Fermion.Mps;

/// <summary>Trace, density profile and bond currents of a steady state given as an MPS in
/// <see cref="LiouvilleBasis"/> (raw: not yet normalised to trace 1).</summary>
public sealed record MpsObservables(double Trace, ImmutableArray<double> Profile, ImmutableArray<double> Bonds)
{
    static readonly double[] X = [0, 0, 1, 0], Y = [0, 0, 0, 1];

    /// <summary>n_x = tr(rho n_x) / tr rho, and the bond current j_x = −2 J Im tr(rho a+_x a_{x+1}) / tr rho
    /// (section 3.2; as for the exact solvers, from the coherences). With B2 = σx/√2, B3 = σy/√2 one has
    /// Im tr(rho σ+_x σ−_{x+1}) = (c_23 − c_32)/2 in terms of the two-site reduced coefficients, so
    /// j_x = −J (c_23 − c_32).</summary>
    public static MpsObservables Of(MatrixProductState psi, double J)
    {
        var e = LiouvilleBasis.Identity;
        var left = Networks.LeftPartials(psi, e);
        var right = Networks.RightPartials(psi, e);
        int L = psi.Length;
        double tr = left[L][0];
        var n = new double[L];
        for (int x = 0; x < L; x++) n[x] = Networks.Insert(psi, left, right, x, LiouvilleBasis.Number) / tr;
        var j = new double[Math.Max(L - 1, 0)];
        for (int x = 0; x + 1 < L; x++)
            j[x] = -J * (Networks.Insert(psi, left, right, x, X, Y) - Networks.Insert(psi, left, right, x, Y, X)) / tr;
        return new MpsObservables(tr, [.. n], [.. j]);
    }
}
