using System.Numerics;

namespace Ness.Numerics.Quadratic;

/// <summary>
/// All roots of det T(z) = 0 for a <see cref="DampedChain"/> at once, by the Ehrlich–Aberth iteration
/// (Bini, Gemignani, Tisseur: the nonsymmetric tridiagonal eigenproblem): each root is corrected by
/// w_k = N_k / (1 − N_k sum_{j != k} 1/(z_k − z_j)), N_k = 1 / (d/dz ln det T(z_k)) from the twisted factorization.
/// The sum repels the approximations from each other, so no root is found twice; convergence is cubic from the
/// undamped chain's modes. Absolute accuracy ~ eps ||T|| (a root whose correction stagnates within 1000 eps ||T||
/// is left to the polishing): the tiny damping rates are fixed afterwards from the damping identity
/// (<see cref="DampedModes"/>). O(n^2) per sweep for n roots.
/// </summary>
public static class AberthRoots
{
    public const int MaxSweeps = 80;

    /// <summary>Refines <paramref name="z"/> in place. Returns the number of sweeps, or -1 if some root did not converge.</summary>
    public static int Refine(DampedChain c, Complex[] z, double scale)
    {
        int n = z.Length, L = c.Length;
        var dPlus = new Complex[L];
        var dMinus = new Complex[L];
        var done = new bool[n];
        var previous = new double[n];
        Array.Fill(previous, double.PositiveInfinity);
        double tol = 8 * 2.220446049250313e-16 * scale;
        for (int sweep = 1; sweep <= MaxSweeps; sweep++)
        {
            bool all = true;
            for (int k = 0; k < n; k++)
            {
                if (done[k]) continue;
                var ld = ComplexTwisted.LogDerivative(c, z[k], dPlus, dMinus);
                if (!Complex.IsFinite(ld)) { done[k] = true; continue; } // z_k is a root to the last bit
                var newton = 1 / ld;
                Complex s = 0;
                for (int j = 0; j < n; j++)
                    if (j != k) s += 1 / (z[k] - z[j]);
                var w = newton / (1 - newton * s);
                if (!Complex.IsFinite(w)) { done[k] = true; continue; }
                z[k] -= w;
                // converged, or stagnating at the rounding level of the log-derivative (a correction that no longer
                // halves, within 1000 tol: the root cycles between neighbours; the Newton polishing takes over)
                double a = Complex.Abs(w);
                if (a <= tol || (a <= 1e3 * tol && a >= 0.5 * previous[k])) done[k] = true; else all = false;
                previous[k] = a;
            }
            if (all) return sweep;
        }
        return -1;
    }
}
