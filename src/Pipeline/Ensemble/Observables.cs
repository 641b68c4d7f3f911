using System.Collections.Immutable;

namespace Ness.Pipeline.Ensemble;

/// <summary>
/// What an ensemble averages from one realization: the profile (density n_x or temperature T(x), site 1 first),
/// the step-shape numbers, the scalar currents and the transport current J whose logarithm is averaged
/// (ln|J| of the paper's Figure 8). For the fermion chain J is the bond current at the middle bond
/// (x = ⌈(L−1)/2⌉ of bonds 1..L−1), computed from coherences with full relative accuracy; the boundary
/// current "left" loses digits to cancellation when J ≪ 1 (docs/numerics.md). For the harmonic chain, which
/// reports no bond currents, J is the energy current (finite lambda) or J / lambda (weak coupling).
/// <see cref="LogTransport"/> is ln|J|, from the model's own logarithm where it gives one (full relative accuracy
/// where J itself underflows), else from J. Typed: the lines of a file are read into it at the file boundary
/// (the command line's reader), never parsed here.
/// </summary>
public sealed record Observables(
    ImmutableArray<double> Profile, ImmutableArray<Scalar> Step, ImmutableArray<Scalar> Current, double? TransportCurrent,
    double? LogTransport)
{
    /// <summary>The mean of T over each slice x = const of a box (the line's "profile_x", harmonic model with
    /// --shape), empty for chains.</summary>
    public ImmutableArray<double> ProfileX { get; init; } = [];

    /// <summary>The disorder of the realization, site 1 first: the fields h_x of the fermion chain, the pinning V_x of
    /// the harmonic chain or box.</summary>
    public ImmutableArray<double> Disorder { get; init; } = [];
}

/// <summary>One realization of an ensemble as read from its line: certified and observed, or refused by the numerics
/// with the reason (a refused draw is recorded and counted, never dropped: refusals correlate with strong
/// localization).</summary>
public abstract record Realization(long Index)
{
    /// <summary>A certified realization and what the ensemble averages of it.</summary>
    public sealed record Solved(long Index, Observables Observables) : Realization(Index);

    /// <summary>A realization the numerics refused (exit 3 of a single run), with its reason.</summary>
    public sealed record Refused(long Index, string Reason) : Realization(Index);
}
