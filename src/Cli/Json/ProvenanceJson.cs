using System.Text.Json.Nodes;
using LanguageExt;
using Ness.Pipeline;
using Ness.Pipeline.Fermion;
using Ness.Pipeline.Harmonic;

namespace Ness.Cli.Json;

/// <summary>
/// The "provenance" object every output carries (docs/interface.md, "Provenance"): version and commit of the
/// build, the disorder draw (seed, realization, W or the pinning range, generator; null when the fields or the
/// pinning were given explicitly), and the solver with its options.
/// </summary>
public static class ProvenanceJson
{
    /// <summary>The commit of this build, or null when it was not built from a git clone.</summary>
    public static JsonNode? Commit => Output.Optional(BuildInfo.Commit, c => c);

    public static JsonObject Fermion(FermionSteadyState r, Option<Draw> draw)
    {
        var options = new JsonObject { ["requested"] = r.Plan.Requested.ToString().ToLowerInvariant() };
        if (r.Plan.Method == FermionSolver.Krylov)
        {
            var k = r.Plan.Options.Krylov;
            options["max_iterations"] = k.MaxIterations;
            options["restart"] = k.Restart;
            options["max_restart"] = k.MaxRestart;
            options["tolerance"] = k.Tolerance;
            options["accept_tolerance"] = k.AcceptTolerance;
            options["current_tolerance"] = k.CurrentTolerance;
            options["current_check_tolerance"] = k.CurrentCheckTolerance;
            options["augment"] = k.Augment;
            options["memory_fraction"] = MemoryBudget.Fraction;
            options["threads"] = k.Threads;
            options["kernels"] = k.Kernels.Name;
        }
        else if (r.Plan.Method == FermionSolver.Direct)
        {
            options["ordering"] = DirectSolver.Ordering;
            options["pivot_tolerance"] = DirectSolver.PivotTolerance;
        }
        return Of(draw, "disorder", d => d.B, r.Certificate.Method, options);
    }

    public static JsonObject Harmonic(HarmonicSteadyState r, Option<Draw> draw) =>
        Of(draw, "pinning_range", d => new JsonArray(d.A, d.B), r.Parameters.WeakCoupling ? "weak-coupling" : "finite-lambda",
           r.Parameters.WeakCoupling
               ? new JsonObject { ["completeness_tolerance"] = WeakCoupling.CompletenessTolerance, ["min_gap_ulps"] = WeakCoupling.MinGapUlps }
               : new JsonObject
               {
                   ["tolerance"] = FiniteCoupling.Tolerance, ["max_equilibrium_error"] = ModeCertificate.MaxEquilibriumError,
                   ["max_current_error"] = ModeCertificate.MaxTransmissionError,
               });

    static JsonObject Of(Option<Draw> draw, string rangeKey, Func<Draw, JsonNode?> range, string solver, JsonObject options)
    {
        return new JsonObject
        {
            ["version"] = BuildInfo.Version,
            ["commit"] = Commit,
            ["seed"] = Output.Optional(draw, d => d.Seed),
            ["realization"] = Output.Optional(draw, d => d.Realization),
            [rangeKey] = Output.Optional(draw, range),
            ["generator"] = Output.Optional(draw, _ => Disorder.GeneratorName),
            ["solver"] = solver,
            ["solver_options"] = options,
        };
    }

    /// <summary>The provenance of an aggregate: this build, and the builds and seeds found in the lines.</summary>
    public static JsonObject Aggregate(IEnumerable<JsonObject> lines)
    {
        var builds = new SortedSet<(string, string)>();
        var seeds = new SortedSet<long>();
        foreach (var l in lines)
        {
            builds.Add(l["provenance"] is JsonObject pv
                ? (pv["version"]?.GetValue<string>() ?? "unknown", pv["commit"]?.GetValue<string>() ?? "unknown (not built from a git clone)")
                : ("unknown", "unknown"));   // a line written before provenance existed
            if (l["seed"] is JsonValue s && s.TryGetValue<long>(out var seed)) seeds.Add(seed);
        }
        return new JsonObject
        {
            ["version"] = BuildInfo.Version,
            ["commit"] = Commit,
            ["seeds"] = new JsonArray([.. seeds.Select(s => (JsonNode?)s)]),
            ["line_builds"] = new JsonArray([.. builds.Select(b => (JsonNode?)new JsonObject { ["version"] = b.Item1, ["commit"] = b.Item2 })]),
        };
    }

    /// <summary>Column names and values of the provenance for the leading columns of a CSV (one value per row, so
    /// that pandas reads the file with no options): version, commit, seed, realization, the range, generator, solver.</summary>
    public static (string[] Header, object?[] Values) Columns(JsonObject provenance)
    {
        var keys = provenance.Where(kv => kv.Key != "solver_options").Select(kv => kv.Key).ToArray();
        var values = keys.Select(k => provenance[k] switch
        {
            null => (object?)null,
            JsonArray a => string.Join(" ", a.Select(x => x?.ToJsonString())),   // a range "1 2": no comma inside a cell
            JsonValue v => v.ToJsonString().Trim('"'),
            var n => n.ToJsonString(),
        }).ToArray();
        return (keys, values);
    }
}
