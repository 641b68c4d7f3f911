using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace Ness.Pipeline.Ensemble;

/// <summary>
/// Disorder averages of one ensemble (<see cref="Aggregate.Run"/>): per-site statistics of the profile, of each
/// step-shape number and each scalar current (in first-seen order; a <see cref="Stat"/> over the lines where the
/// value is a number, null if none), and of ln|J| over the realizations with J ≠ 0 (null if none).
/// </summary>
/// <param name="Realizations">the realizations averaged, as sorted inclusive ranges (first, last)</param>
/// <param name="Parameters">the parameters shared by all lines, as written in them (see <see cref="EnsembleLine.ParametersOf"/>)</param>
public sealed record EnsembleAverage(
    string Model, int Count, ImmutableArray<(long First, long Last)> Realizations, JsonObject Parameters,
    ImmutableArray<Stat> Profile, ImmutableArray<(string Name, Stat? Stat)> Step,
    ImmutableArray<(string Name, Stat? Stat)> Current, Stat? LogCurrent)
{
    /// <summary>Per x-slice statistics of "profile_x" (boxes, --shape), empty for chains.</summary>
    public ImmutableArray<Stat> ProfileX { get; init; } = [];

    /// <summary>With several seeds (files that differ only in --seed): each seed's realizations as sorted inclusive
    /// ranges; <see cref="Realizations"/> is then the union of the realization numbers. Empty for one seed.</summary>
    public ImmutableArray<(long Seed, ImmutableArray<(long First, long Last)> Realizations)> BySeed { get; init; } = [];
}
