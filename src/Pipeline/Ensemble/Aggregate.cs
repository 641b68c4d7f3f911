using System.Collections.Immutable;
using System.Text.Json.Nodes;
using LanguageExt;

namespace Ness.Pipeline.Ensemble;

/// <summary>
/// Disorder averages over the lines of one or more ensemble files (shards), as a typed <see cref="EnsembleAverage"/>
/// (the JSON of <c>ness aggregate</c> is made by the command). Pure: the caller reads the files.
/// Refuses (exit 2) lines with different parameters (but the seed: files of several seeds are combined), a
/// realization of a seed that appears twice, and no lines at all.
/// </summary>
public static class Aggregate
{
    /// <summary>A line and where it came from (for messages).</summary>
    public sealed record Source(string Where, EnsembleLine.Parsed Parsed);

    public static Fin<EnsembleAverage> Run(IReadOnlyList<Source> lines)
    {
        if (lines.Count == 0) return new BadInput("FILE", "no complete realizations in the given files");
        var first = lines[0];
        string firstKey = SeedlessKey(first.Parsed);
        var seen = new Dictionary<(long Seed, long Realization), string>();
        foreach (var s in lines)
        {
            if (SeedlessKey(s.Parsed) != firstKey)
                return new BadInput("FILE", $"mixed parameters: {s.Where} differs from {first.Where} in " +
                    EnsembleLine.Difference(EnsembleLine.ParametersOf(s.Parsed.Line), EnsembleLine.ParametersOf(first.Parsed.Line), s.Where, first.Where) +
                    "; aggregate only files of one ensemble (files that differ only in --seed are combined)");
            if (seen.TryGetValue((s.Parsed.Seed, s.Parsed.Realization), out var other))
                return new BadInput("FILE", $"overlapping realizations: realization {s.Parsed.Realization} of seed {s.Parsed.Seed} is in {other} and in {s.Where}");
            seen[(s.Parsed.Seed, s.Parsed.Realization)] = s.Where;
        }
        var sorted = lines.OrderBy(s => s.Parsed.Seed).ThenBy(s => s.Parsed.Realization).Select(s => s.Parsed).ToList();

        var observed = new List<Observables>(sorted.Count);
        foreach (var p in sorted)
        {
            var o = Observables.Of(p.Line);
            if (o.IsLeft) return new BadInput("FILE", $"realization {p.Realization}: " + (string)o);
            var x = (Observables)o;
            if (observed.Count > 0 && x.Profile.Length != observed[0].Profile.Length)
                return new BadInput("FILE", $"realization {p.Realization}: profile has {x.Profile.Length} sites, realization {sorted[0].Realization} has {observed[0].Profile.Length}");
            observed.Add(x);
        }
        var seeds = sorted.Select(p => p.Seed).Distinct().ToList();
        var parameters = EnsembleLine.ParametersOf(sorted[0].Line);
        if (seeds.Count == 1) return Of(sorted[0].Model, [.. sorted.Select(p => p.Realization)], parameters, observed);
        // several seeds (independent draws of one ensemble): the seeds in "seed", the realizations per seed
        parameters["seed"] = new JsonArray([.. seeds.Select(x => (JsonNode?)x)]);
        return Of(sorted[0].Model, [.. sorted.Select(p => p.Realization).Distinct().Order()], parameters, observed) with
        {
            BySeed = [.. seeds.Select(x => (x, Ranges(sorted.Where(p => p.Seed == x).Select(p => p.Realization))))],
        };
    }

    /// <summary>The statistics proper (typed; the lines are checked by <see cref="Run"/>): realizations sorted,
    /// one <see cref="Observables"/> each, all profiles of one length.</summary>
    public static EnsembleAverage Of(string model, IReadOnlyList<long> realizations, JsonObject parameters, IReadOnlyList<Observables> x)
    {
        int n = x.Count, sites = x[0].Profile.Length;
        var profile = new Stat[sites];
        var column = new double[n];
        for (int site = 0; site < sites; site++)
        {
            for (int r = 0; r < n; r++) column[r] = x[r].Profile[site];
            profile[site] = Stat.Of(column)!;
        }
        var logs = x.Select(o => o.LogTransport).OfType<double>().ToList();
        int slices = x.All(o => o.ProfileX.Length == x[0].ProfileX.Length) ? x[0].ProfileX.Length : 0;
        var profileX = new Stat[slices];
        for (int s = 0; s < slices; s++)
        {
            for (int r = 0; r < n; r++) column[r] = x[r].ProfileX[s];
            profileX[s] = Stat.Of(column)!;
        }
        return new EnsembleAverage(model, n, Ranges(realizations), parameters, [.. profile],
            Scalars(x.Select(o => o.Step)), Scalars(x.Select(o => o.Current)), Stat.Of(logs)) { ProfileX = [.. profileX] };
    }

    /// <summary>The parameters of a line without its seed: lines that differ only in --seed are independent draws of
    /// one ensemble and are averaged together.</summary>
    static string SeedlessKey(EnsembleLine.Parsed p)
    {
        var o = EnsembleLine.ParametersOf(p.Line);
        o.Remove("seed");
        return EnsembleLine.Canonical(o);
    }

    /// <summary>For every name (in first-seen order): the <see cref="Stat"/> over the realizations where it is a
    /// number (null if none).</summary>
    static ImmutableArray<(string, Stat?)> Scalars(IEnumerable<ImmutableArray<Scalar>> perRealization)
    {
        var all = perRealization.ToList();
        var names = new List<string>();
        foreach (var r in all)
            foreach (var s in r)
                if (!names.Contains(s.Name)) names.Add(s.Name);
        return [.. names.Select(k => (k, Stat.Of([.. all.SelectMany(r => r).Where(s => s.Name == k && s.Value is not null).Select(s => s.Value!.Value)])))];
    }

    /// <summary>Sorted realizations as inclusive ranges (first, last).</summary>
    public static ImmutableArray<(long First, long Last)> Ranges(IEnumerable<long> sortedRealizations)
    {
        var ranges = ImmutableArray.CreateBuilder<(long, long)>();
        long? a = null, b = null;
        foreach (var r in sortedRealizations)
        {
            if (a is null) { a = b = r; continue; }
            if (r == b + 1) { b = r; continue; }
            ranges.Add((a.Value, b!.Value));
            a = b = r;
        }
        if (a is not null) ranges.Add((a.Value, b!.Value));
        return ranges.ToImmutable();
    }
}
