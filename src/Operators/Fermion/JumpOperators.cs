using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace Ness.Operators.Fermion;

/// <summary>
/// The four boundary jump operators of eq. (3.8), in the order of the rates (g1p, g1m, gLp, gLm):
/// c1 = sqrt(g1p) a+_1, c2 = sqrt(g1m) a_1, c3 = sqrt(gLp) a+_L, c4 = sqrt(gLm) a_L.
/// </summary>
public static class JumpOperators
{
    /// <summary>The site (1 or L) of jump k and whether it creates a particle.</summary>
    public static (int Site, bool Creates) Kind(int L, int k) => k switch
    {
        0 => (1, true), 1 => (1, false), 2 => (L, true), 3 => (L, false),
        _ => throw new ArgumentOutOfRangeException(nameof(k)),
    };

    /// <summary>The jumps on the full Fock space. <paramref name="spinPicture"/> drops the Jordan–Wigner
    /// strings (S+_x, S-_x); the steady state must not depend on it (the strings cancel in c rho c+).</summary>
    public static Matrix<Complex>[] Full(int L, ReadOnlySpan<double> rates, bool spinPicture = false)
    {
        var c = new Matrix<Complex>[4];
        for (int k = 0; k < 4; k++)
        {
            var (x, creates) = Kind(L, k);
            var a = spinPicture ? FermionOperators.Lowering(L, x) : FermionOperators.Annihilator(L, x);
            c[k] = Math.Sqrt(rates[k]) * (creates ? a.ConjugateTranspose() : a);
        }
        return c;
    }
}
