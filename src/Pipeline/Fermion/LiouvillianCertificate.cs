using System.Numerics;
using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Ness.Operators.Fermion;

namespace Ness.Pipeline.Fermion;

/// <summary>
/// Certification of a density matrix: ||L rho||_F (absolute, for tr rho = 1) and relative to
/// ||L||_est ||rho||_F with ||L||_est of <see cref="SectorLiouvillian.NormEstimate"/>; |tr rho − 1|; the Hermiticity
/// error of the raw solution; and the smallest eigenvalue of rho (blockwise); then the solver's own facts. A state
/// that fails a check is refused (exit 3), never printed.
/// </summary>
public static class LiouvillianCertificate
{
    public const double MaxRelativeResidual = 1e-10;
    public const double MaxTraceError = 1e-12;
    public const double MaxHermiticityError = 1e-8;
    public const double MinEigenvalueFloor = -1e-9;

    public static Fin<Certificate> Of(FermionState s)
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
        var c = new Certificate(s.Report.Solver,
        [
            new Number("dimension", B.Dimension),
            new Number("residual", res),
            new Check("relative_residual", rel, MaxRelativeResidual,
                $"relative residual {rel:E2} > {MaxRelativeResidual:E0} (solver {s.Report.Solver})"),
            new Check("trace_error", trErr, MaxTraceError, $"trace error {trErr:E2} > {MaxTraceError:E0}"),
            new Check("hermiticity_error", s.RawHermiticityError, MaxHermiticityError,
                $"Hermiticity error {s.RawHermiticityError:E2} > {MaxHermiticityError:E0}"),
            new Check("min_eigenvalue", minEig, MinEigenvalueFloor,
                $"smallest eigenvalue of rho {minEig:E2} < {MinEigenvalueFloor:E0}", AtLeast: true),
            new Number("seconds", s.Report.Seconds),
            .. s.Report.Facts,
        ]);
        return c.Verify("steady state not certified: ");
    }
}
