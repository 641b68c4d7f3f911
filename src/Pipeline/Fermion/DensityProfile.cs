using System.Collections.Immutable;
using Ness.Operators.Fermion;

namespace Ness.Pipeline.Fermion;

/// <summary>The density profile n_x = tr(rho n_x), x = 1..L (paper, Figures 6 and 7).</summary>
public static class DensityProfile
{
    public static ImmutableArray<double> Of(FermionState s)
    {
        int L = s.Model.Length;
        var n = new double[L];
        for (int N = 0; N <= L; N++)
        {
            var states = s.Model.Basis.Blocks[N];
            for (int a = 0; a < states.Length; a++)
            {
                double p = s.Rho[N][a, a].Real;
                for (int x = 1; x <= L; x++) n[x - 1] += p * FockBasis.Occupation(states[a], x);
            }
        }
        return [.. n];
    }
}
