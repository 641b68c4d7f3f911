using System.Collections.Immutable;
using System.Text.Json.Nodes;
using LanguageExt;

namespace Ness.Pipeline.Ensemble;

/// <summary>
/// Disorder averages over the realizations of one or more ensemble files (shards), as a typed <see cref="EnsembleAverage"/>
/// (the JSON of <c>ness aggregate</c> is made by the command). Pure: the caller reads the files and their lines into
/// typed <see cref="Realization"/>s. Refuses (exit 2) lines of different ensembles (but the seed: files of several seeds
/// are independent draws of one ensemble and are combined), a realization of a seed certified twice, and no lines at
/// all; a refused realization is counted beside the averages (a later certified line of the same realization, from a
/// rerun with --retry-refused, replaces it); with every realization refused there is nothing to average (exit 3).
/// </summary>
public static class Aggregate
{
    /// <summary>A line, where it came from (for messages) and what it holds.</summary>
    public sealed record Source(string Where, EnsembleLine.Parsed Parsed, Realization Realization);

    public static Fin<EnsembleAverage> Run(IReadOnlyList<Source> lines)
    {
        if (lines.Count == 0) return new BadInput("FILE", "no complete realizations in the given files");
        var first = lines[0];
        var firstSolved = lines.FirstOrDefault(s => s.Realization is Realization.Solved);
        var solved = new Dictionary<(long Seed, long Realization), (Source Line, Observables Observed)>();
        var refused = new Dictionary<(long Seed, long Realization), string>();
        foreach (var s in lines)
        {
            if (SeedlessEnsemble(s.Parsed) != SeedlessEnsemble(first.Parsed)
                || s.Realization is Realization.Solved && SeedlessKey(s.Parsed) != SeedlessKey(firstSolved!.Parsed))
            {
                var other = s.Realization is Realization.Solved ? firstSolved! : first;
                return new BadInput("FILE", $"mixed parameters: {s.Where} differs from {other.Where} in " +
                    EnsembleLine.Difference(EnsembleLine.ParametersOf(s.Parsed.Line), EnsembleLine.ParametersOf(other.Parsed.Line), s.Where, other.Where) +
                    "; aggregate only files of one ensemble (files that differ only in --seed are combined)");
            }
            var key = (s.Parsed.Seed, s.Parsed.Realization);
            switch (s.Realization)
            {
                case Realization.Solved when solved.TryGetValue(key, out var twice):
                    return new BadInput("FILE", $"overlapping realizations: realization {key.Realization} of seed {key.Seed} is in {twice.Line.Where} and in {s.Where}");
                case Realization.Solved x:
                    solved[key] = (s, x.Observables);
                    break;
                case Realization.Refused x:
                    refused[key] = x.Reason;
                    break;
            }
        }
        foreach (var k in solved.Keys) refused.Remove(k);   // refused, then certified on a retry
        if (solved.Count == 0)
        {
            var k0 = refused.Keys.Min();
            return new NumericsRefused($"all {refused.Count} realization(s) in the given files were refused by the numerics " +
                $"(e.g. realization {k0.Realization}: {refused[k0]}); nothing to average");
        }
        var sorted = solved.OrderBy(kv => kv.Key.Seed).ThenBy(kv => kv.Key.Realization).Select(kv => kv.Value).ToList();
        var observed = new List<Observables>(sorted.Count);
        foreach (var (s, x) in sorted)
        {
            if (observed.Count > 0 && x.Profile.Length != observed[0].Profile.Length)
                return new BadInput("FILE", $"{s.Where}: profile has {x.Profile.Length} sites, {sorted[0].Line.Where} has {observed[0].Profile.Length}");
            observed.Add(x);
        }
        var parsed = sorted.Select(s => s.Line.Parsed).ToList();
        var seeds = parsed.Select(p => p.Seed).Distinct().ToList();
        var parameters = EnsembleLine.ParametersOf(parsed[0].Line);
        long[] refusedNumbers = [.. refused.Keys.Select(k => k.Realization).Distinct().Order()];
        if (seeds.Count == 1) return Of(parsed[0].Model, [.. parsed.Select(p => p.Realization)], parameters, observed, refusedNumbers) with
        {
            RefusedCount = refused.Count,
        };
        // several seeds (independent draws of one ensemble): the seeds in "seed", the realizations per seed
        parameters["seed"] = new JsonArray([.. seeds.Select(x => (JsonNode?)x)]);
        return Of(parsed[0].Model, [.. parsed.Select(p => p.Realization).Distinct().Order()], parameters, observed, refusedNumbers) with
        {
            BySeed = [.. seeds.Select(x => (x, Ranges(parsed.Where(p => p.Seed == x).Select(p => p.Realization))))],
            RefusedCount = refused.Count,
        };
    }

    /// <summary>The parameters of a certified line without its seed: lines that differ only in --seed are independent
    /// draws of one ensemble and are averaged together.</summary>
    static string SeedlessKey(EnsembleLine.Parsed p)
    {
        var o = EnsembleLine.ParametersOf(p.Line);
        o.Remove("seed");
        return EnsembleLine.Canonical(o);
    }

    /// <summary>Model and "ensemble" options: what a refused line shares with the certified ones, without the seed.</summary>
    static string SeedlessEnsemble(EnsembleLine.Parsed p) =>
        EnsembleLine.Canonical(new JsonObject { ["model"] = p.Model, [EnsembleLine.EnsembleKey] = p.Line[EnsembleLine.EnsembleKey]?.DeepClone() });

    /// <summary>The statistics proper (typed; the lines are checked by <see cref="Run"/>): realizations sorted,
    /// one <see cref="Observables"/> each, all profiles of one length; the refused realizations, sorted.</summary>
    public static EnsembleAverage Of(string model, IReadOnlyList<long> realizations, JsonObject parameters, IReadOnlyList<Observables> x,
        IReadOnlyList<long>? refused = null)
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
            Scalars(x.Select(o => o.Step)), Scalars(x.Select(o => o.Current)), Stat.Of(logs))
        {
            ProfileX = [.. profileX],
            Refused = Ranges(refused ?? []),
            RefusedCount = refused?.Count ?? 0,
        };
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
