using System.Numerics;

namespace Ness.Numerics.Quadratic;

/// <summary>
/// One mode of a <see cref="DampedChain"/>: the root z of det T(z), its damping rate gamma = Re kappa kept as a
/// logarithm (it may be far below the smallest double), the oscillation Nu = Im kappa, and the right eigenvector
/// v (= the left one: T is complex symmetric) on the window of sites [Lo, Lo + V.Length) where |v_x| &gt;= 1e-20,
/// scaled so that max |v_x| = 1. The end amplitudes are kept separately as logarithms and phases, whatever their size.
/// ShiftFirst, ShiftLast and ShiftGamma are the changes of ln(|v_1| / ||v||), ln(|v_L| / ||v||) and ln gamma when the
/// root's frequency moves by its accuracy <see cref="Accuracy"/> (<see cref="DampedModes.FrequencyAccuracy"/>): the relative
/// uncertainties they carry.
/// N = v^T T'(z) v is the normalization of the left/right pair (the residue of T(z)^-1 at z is v v^T / N).
/// </summary>
public sealed record DampedMode(
    Complex Z, double LogGamma, double Nu, int Lo, Complex[] V, Complex N,
    double LogFirst, Complex PhaseFirst, double LogLast, Complex PhaseLast, double Residual, double ShiftFirst, double ShiftLast,
    double ShiftGamma, double Accuracy)
{
    /// <summary>v_x on the window, 0 outside (below 1e-20 of the largest component).</summary>
    public Complex At(int x) => x >= Lo && x < Lo + V.Length ? V[x - Lo] : Complex.Zero;

    public int Hi => Lo + V.Length - 1;

    /// <summary>ln|v| and phase of v at an end site (first = site 1, last = site L).</summary>
    public (double Log, Complex Phase) End(bool first) => first ? (LogFirst, PhaseFirst) : (LogLast, PhaseLast);

    /// <summary>The mode with complex-conjugated data (second-order chains: z and conj z are both roots).</summary>
    public DampedMode Conjugate() => this with
    {
        Z = Complex.Conjugate(Z), Nu = -Nu, V = Array.ConvertAll(V, Complex.Conjugate), N = Complex.Conjugate(N),
        PhaseFirst = Complex.Conjugate(PhaseFirst), PhaseLast = Complex.Conjugate(PhaseLast),
    };
}
