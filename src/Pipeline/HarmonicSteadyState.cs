using System.Collections.Immutable;
using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Ness.Pipeline.Harmonic;

namespace Ness.Pipeline;

/// <summary>
/// A certified NESS of the pinned harmonic chain. <see cref="Temperatures"/>[x−1] = T(x) = &lt;p_x^2&gt;;
/// <see cref="Step"/>: width and midpoint of the step (Figure 3); <see cref="Current"/>: the energy current
/// (J at finite lambda; J / lambda at weak coupling, where it vanishes with lambda); <see cref="Certificate"/>: the
/// method that computed the profile and the checks it passed; <see cref="Seconds"/>: wall time of the solve.
/// <see cref="Covariance"/> (on request, finite lambda only) is the 2L x 2L NESS covariance &lt;X X^T&gt; of eq. (2.6)
/// in the coordinates X = (q_1..q_L, p_1..p_L).
/// </summary>
public sealed record HarmonicSteadyState(
    HarmonicParameters Parameters, ImmutableArray<double> Temperatures, StepShape Step, EnergyCurrent Current,
    Certificate Certificate, Option<Matrix<double>> Covariance, double Seconds)
{
    /// <summary>How the profile was computed (<see cref="Certificate.Method"/>).</summary>
    public string Method => Certificate.Method;
}
