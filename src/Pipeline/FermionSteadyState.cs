using System.Collections.Immutable;
using System.Numerics;
using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Ness.Pipeline.Fermion;

namespace Ness.Pipeline;

/// <summary>What <c>FermionChain.SteadyState</c> computes beyond the profile, currents and certificate.</summary>
[Flags]
public enum FermionExtras
{
    None = 0,
    /// <summary>The density matrix rho = sum_n rho_n, one block per particle number n.</summary>
    DensityMatrix = 1,
    /// <summary>The one-body correlation matrix G_xy = &lt;a+_x a_y&gt; (<see cref="OneBodyCorrelations"/>).</summary>
    Correlations = 2,
}

/// <summary>
/// A certified NESS of the fermion chain. <see cref="Plan"/>: the method that solved it and its options;
/// <see cref="Profile"/>[x−1] = n_x; <see cref="Currents"/>: left, right and the bond currents; <see cref="Step"/>: the
/// step metrics of Table 1; <see cref="Certificate"/>: the checks it passed (residual, trace and Hermiticity errors,
/// smallest eigenvalue, the solver's own checks) and the solver's numbers (a state failing a check is never returned).
/// <see cref="DensityMatrix"/>[n] is the block of rho with n particles in the basis
/// <c>Ness.Operators.Fermion.FockBasis.Create(L).Blocks[n]</c> (bit x−1 of a state = n_x); <see cref="Correlations"/>
/// is G_xy = &lt;a+_x a_y&gt; (index 0 = site 1). Both are None unless requested.
/// </summary>
public sealed record FermionSteadyState(
    FermionParameters Parameters, FermionPlan Plan, ImmutableArray<double> Profile, Currents Currents, StepMetrics Step,
    Certificate Certificate, Option<IReadOnlyList<Matrix<Complex>>> DensityMatrix, Option<Matrix<Complex>> Correlations);
