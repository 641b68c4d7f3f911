using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using Ness.Operators.Fermion;

namespace Ness.Pipeline.Fermion;

/// <summary>
/// A steady state rho = sum_n rho_n of the q = 0 sector (block n: n particles), normalised to trace 1
/// and hermitized, with the Hermiticity error of the raw solution before hermitization.
/// </summary>
public sealed record FermionState(
    FermionParameters Parameters, SectorBlocks Model, IReadOnlyList<Matrix<Complex>> Rho,
    double RawHermiticityError, SolverReport Report)
{
    /// <summary>Normalises a raw null vector, given as blocks: rho → (rho + rho+)/2 / tr rho.</summary>
    public static FermionState FromRaw(FermionParameters p, SectorBlocks B, Matrix<Complex>[] raw, SolverReport report)
    {
        Complex tr = 0;
        foreach (var r in raw) tr += r.Trace();
        double herm = 0;
        var rho = new Matrix<Complex>[raw.Length];
        for (int n = 0; n < raw.Length; n++)
        {
            var r = raw[n] / tr;
            var rh = r.ConjugateTranspose();
            herm += Math.Pow((r - rh).FrobeniusNorm(), 2);
            rho[n] = 0.5 * (r + rh);
        }
        return new FermionState(p, B, rho, Math.Sqrt(herm), report);
    }
}
