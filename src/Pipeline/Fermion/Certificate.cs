using System.Numerics;
using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Ness.Operators.Fermion;

namespace Ness.Pipeline.Fermion;

/// <summary>
/// Certification of a steady state: ||L rho||_F (absolute, for tr rho = 1) and relative to
/// ||L||_est ||rho||_F with ||L||_est of <see cref="SectorLiouvillian.NormEstimate"/>; |tr rho − 1|; the Hermiticity
/// error of the raw solution; and the smallest eigenvalue of rho (blockwise). A state that fails the
/// bounds below is refused (exit 3), never printed.
/// </summary>
public static class Certificate
{
    public const double MaxRelativeResidual = 1e-10;
    public const double MaxTraceError = 1e-12;
    public const double MaxHermiticityError = 1e-8;
    public const double MinEigenvalueFloor = -1e-9;

    public static Fin<Diagnostics> Of(FermionState s)
    {
        var B = s.Model;
        var K = SectorLiouvillian.EffectiveHamiltonian(B);
        var R = SectorLiouvillian.Apply(B, K, [.. s.Rho]);
        double res = 0, rhoNorm = 0, minEig = double.PositiveInfinity;
        Complex tr = 0;
        for (int n = 0; n <= B.Length; n++)
        {
            res += Math.Pow(R[n].FrobeniusNorm(), 2);
            rhoNorm += Math.Pow(s.Rho[n].FrobeniusNorm(), 2);
            tr += s.Rho[n].Trace();
            var evd = s.Rho[n].Evd(Symmetricity.Hermitian);
            foreach (var e in evd.EigenValues) minEig = Math.Min(minEig, e.Real);
        }
        res = Math.Sqrt(res);
        double lNorm = SectorLiouvillian.NormEstimate(B);
        double rel = res / (lNorm * Math.Sqrt(rhoNorm));
        double trErr = (tr - 1).Magnitude;
        var d = new Diagnostics(s.Report.Solver, B.Dimension, res, rel, trErr, s.RawHermiticityError, minEig,
            s.Report.Seconds, s.Report.Statistics);
        if (!(rel <= MaxRelativeResidual))
            return new NumericsRefused($"steady state not certified: relative residual {rel:E2} > {MaxRelativeResidual:E0} (solver {d.Solver})");
        if (!(trErr <= MaxTraceError))
            return new NumericsRefused($"steady state not certified: trace error {trErr:E2} > {MaxTraceError:E0}");
        if (!(s.RawHermiticityError <= MaxHermiticityError))
            return new NumericsRefused($"steady state not certified: Hermiticity error {s.RawHermiticityError:E2} > {MaxHermiticityError:E0}");
        if (!(minEig >= MinEigenvalueFloor))
            return new NumericsRefused($"steady state not certified: smallest eigenvalue of rho {minEig:E2} < {MinEigenvalueFloor:E0}");
        return d;
    }
}
