using System.Collections.Immutable;
using Ness.Numerics.Quadratic;

namespace Ness.Pipeline;

/// <summary>
/// The certificate every quadratic solve shares (the free-fermion chain, <see cref="Fermion.GaussianSolver"/>, and the
/// harmonic chain at finite lambda, <see cref="Harmonic.FiniteCoupling"/>): both solve a Lyapunov equation in the
/// modes of a damped chain (<see cref="DampedModes"/>, <see cref="BathResponse"/>), so the same checks vouch for
/// both, in this order: the modes are eigenpairs, their damping rates sum to the trace of the damping, equal baths
/// give the flat (equilibrium) profile, the rounding of the modes moves the profile little, the current's relative
/// error is small, the bond-local currents equal the transmission current, and the eigenvector windows lose little
/// of the profile. Thresholds (docs/quadratic.md says why each): beside each check below.
/// </summary>
public static class ModeCertificate
{
    /// <summary>Largest relative eigen-residual of a mode.</summary>
    public const double MaxModeResidual = 1e-12;

    /// <summary>Largest relative defect of sum_k gamma_k = tr(damping) / 2.</summary>
    public const double MaxDampingSumError = 1e-10;

    /// <summary>Largest defect of the equilibrium identity (the two unit-bath responses sum to 1 on every site).</summary>
    public const double MaxEquilibriumError = 1e-10;

    /// <summary>Largest first-order bound on the profile's error from the accuracy of the mode frequencies and rates
    /// (relative to the larger bath value: max f for fermions, max(T1, TL) for oscillators).</summary>
    public const double MaxProfileError = 1e-9;

    /// <summary>Largest bound on the current's relative error (docs/quadratic.md: the transmission sum keeps
    /// ~1e-10 relative accuracy, so 1e-8 leaves room for the bound's pessimism).</summary>
    public const double MaxTransmissionError = 1e-8;

    /// <summary>Largest deviation of the bond-local currents from the transmission current (relative to the scale
    /// of the current: |J| max f, or g max T).</summary>
    public const double MaxContinuityError = 1e-10;

    /// <summary>The model's words in the refusals and the model-specific checks.</summary>
    /// <param name="Prefix">start of every refusal, e.g. "gaussian solver: the steady state cannot be certified: "</param>
    /// <param name="Modes">"the damped modes", "the modes of A"</param>
    /// <param name="DampingTrace">what the rates must sum to: "(Gamma_1 + Gamma_L)/2"</param>
    /// <param name="Equilibrium">the equilibrium identity in the model's terms</param>
    /// <param name="TransmissionName">the JSON name of the current's error bound</param>
    /// <param name="Profile">the check on the profile's error bound (the model decides its scale and name)</param>
    /// <param name="Continuity">the continuity check (the model decides its scale)</param>
    /// <param name="Extra">model checks between continuity and truncation (e.g. the boundary current)</param>
    /// <param name="TruncationLimit">largest loss of the profile to the eigenvector windows</param>
    public sealed record Terms(
        string Prefix, string Modes, string DampingTrace, string Equilibrium, string TransmissionName,
        ImmutableArray<Check> Profile, Check Continuity, ImmutableArray<Check> Extra, double TruncationLimit);

    /// <summary>The shared checks, in the order above (<paramref name="drive"/> = 0: no current, no current check).</summary>
    public static ImmutableArray<Check> Checks(ModeSet set, BathResponse resp, double drive, Terms t)
    {
        var ch = set.Checks;
        return [
            new("max_mode_residual", ch.MaxResidual, MaxModeResidual,
                $"largest relative eigen-residual of {t.Modes} {ch.MaxResidual:G3} > {MaxModeResidual:G1}"),
            new("damping_sum_error", ch.DampingSumError, MaxDampingSumError,
                $"the damping rates do not sum to {t.DampingTrace}: relative error {ch.DampingSumError:G3}"),
            new("equilibrium_error", resp.EquilibriumError, MaxEquilibriumError,
                $"equilibrium check ({t.Equilibrium}) failed by {resp.EquilibriumError:G3}"),
            .. t.Profile,
            new(t.TransmissionName, resp.TransmissionError, drive != 0 ? MaxTransmissionError : double.PositiveInfinity,
                $"the current's relative error bound {resp.TransmissionError:G3} exceeds {MaxTransmissionError:G1}"),
            t.Continuity,
            .. t.Extra,
            new("window_truncation_error", resp.TruncationError, t.TruncationLimit,
                $"eigenvector windows truncate the profile by {resp.TruncationError:G3}"),
        ];
    }

    /// <summary>The numbers of the mode computation every quadratic solve reports.</summary>
    public static ImmutableArray<Fact> Numbers(ModeSet set, double secondsModes)
    {
        var ch = set.Checks;
        return [
            new Number("min_mode_separation", ch.MinSeparation),
            new Number("tail_sensitivity", ch.TailSensitivity),
            new Number("window_entries", ch.WindowEntries),
            new Number("aberth_sweeps", ch.AberthSweeps),
            new Number("polish_iterations", ch.PolishIterations),
            new Number("seconds_modes", secondsModes),
        ];
    }
}
