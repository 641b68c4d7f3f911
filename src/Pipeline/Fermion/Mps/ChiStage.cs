namespace Ness.Pipeline.Fermion.Mps;

/// <summary>
/// The certificate of one bond dimension: the largest bond reached, the sweeps done and the local problem
/// they solved (Galerkin or MinimalResidual), the relative residual
/// ||L rho||_F / (||L||_est ||rho||_F), the trace of the raw solution (tr = 1 is one of the equations solved),
/// the largest truncation error of the last sweep, the largest change of the profile from the previous chi
/// (null at the first chi), the change of the profile in the last sweep, the relative spread of the bond
/// currents (max − min)/|mean|, and the time spent.
/// </summary>
public sealed record ChiStage(
    int Chi, int MaxBond, int Sweeps, string Local, double RelativeResidual, double RawTraceError, double TruncationError,
    double? ProfileChange, double SweepChange, double CurrentSpread, double Seconds);
