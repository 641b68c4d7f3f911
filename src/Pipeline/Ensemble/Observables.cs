using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace Ness.Pipeline.Ensemble;

/// <summary>
/// What an ensemble averages from one realization: the profile (density n_x or temperature T(x), site 1 first),
/// the step-shape numbers, the scalar currents and the transport current J whose logarithm is averaged
/// (ln|J| of the paper's Figure 8). For the fermion chain J is the bond current at the middle bond
/// (x = ⌈(L−1)/2⌉ of bonds 1..L−1), computed from coherences with full relative accuracy; the boundary
/// current "left" loses digits to cancellation when J ≪ 1 (docs/numerics.md). For the harmonic chain, which
/// reports no bond currents, J is the energy current "left" (finite lambda) or "per_bath_coupling" (J / lambda at weak
/// coupling). <see cref="LogTransport"/> is ln|J|, from the line's "ln_abs" where it gives one (full relative accuracy
/// where J itself underflows), else from J.
/// </summary>
public sealed record Observables(
    ImmutableArray<double> Profile, ImmutableArray<Scalar> Step, ImmutableArray<Scalar> Current, double? TransportCurrent,
    double? LogTransport)
{
    /// <summary>The mean of T over each slice x = const of a box (the line's "profile_x", harmonic model with
    /// --shape), empty for chains.</summary>
    public ImmutableArray<double> ProfileX { get; init; } = [];

    /// <summary>The observables of one ensemble line (the edge where JSON becomes typed). Fails with a reason
    /// if "profile" is not an array of numbers.</summary>
    public static LanguageExt.Either<string, Observables> Of(JsonObject line)
    {
        if (Numbers(line["profile"]) is not double[] profile)
            return "\"profile\" is missing or not an array of numbers";
        var bonds = Numbers(line["current"]?["bonds"]);
        var current = Scalars(line["current"]);
        // "bonds": null means the solver could not certify the bond currents (MPS): then no transport current,
        // rather than the boundary current, which is less accurate still
        bool uncertified = line["current"] is JsonObject co && co.ContainsKey("bonds") && co["bonds"] is null;
        double? transport = bonds is { Length: > 0 } b
            ? b[(b.Length - 1) / 2]
            : uncertified ? null : current.FirstOrDefault(c => c.Name is "left" or "per_bath_coupling")?.Value;
        double? log = bonds is null && current.FirstOrDefault(c => c.Name == "ln_abs")?.Value is double la
            ? la
            : transport is double j && j != 0 ? Math.Log(Math.Abs(j)) : null;
        return new Observables([.. profile], Scalars(line["step"]), current, transport, log)
        {
            ProfileX = Numbers(line["profile_x"]) is double[] px ? [.. px] : [],
        };
    }

    /// <summary>The numeric scalar members of a JSON object, in order (arrays and objects skipped; a null or
    /// non-numeric value gives a null <see cref="Scalar.Value"/>).</summary>
    static ImmutableArray<Scalar> Scalars(JsonNode? node) =>
        node is JsonObject o
            ? [.. o.Where(kv => kv.Value is not JsonArray and not JsonObject).Select(kv => new Scalar(kv.Key, EnsembleLine.Number(kv.Value)))]
            : [];

    static double[]? Numbers(JsonNode? n)
    {
        if (n is not JsonArray a) return null;
        var x = new double[a.Count];
        for (int i = 0; i < a.Count; i++)
        {
            if (EnsembleLine.Number(a[i]) is not double d) return null;
            x[i] = d;
        }
        return x;
    }
}
