using System.Text.Json.Nodes;
using LanguageExt;

namespace Ness.Pipeline.Ensemble;

/// <summary>
/// A model as the ensemble engine sees it.
/// <list type="bullet">
/// <item><see cref="Name"/>: the value of the "model" key of its lines ("fermion", "harmonic").</item>
/// <item><see cref="Parameters"/>: every option that defines the ensemble apart from the seed (length,
/// disorder strength, couplings, rates, solver, ...). Written into each line as the "ensemble" object and
/// compared on resume and aggregation, so two runs with different options are never mixed.</item>
/// <item><see cref="Realize"/>: realization r of seed S. Must draw its disorder from (S, r) alone, e.g.
/// <see cref="Disorder.Uniform"/>(S, r, ...), and return the model's result record with that draw
/// (<see cref="Solution"/>; the runner writes it as the line the single-run command prints). It may observe the
/// token and return early (any failure after cancellation is treated as "not done"); it must be thread-safe.</item>
/// <item><see cref="BytesPerRealization"/>: estimated peak memory of one realization (0: negligible); the
/// engine refuses to run more realizations at once than the memory budget holds.</item>
/// <item><see cref="RealizeResuming"/>: for realizations that may run for many minutes (the fermion chain's Krylov
/// solver), <see cref="Realize"/> with the path of a file where the solver keeps its progress: a realization killed
/// in flight resumes from it when the run is repeated. The engine names the file and removes it once the realization's
/// line is written. None: every realization starts afresh.</item>
/// </list>
/// </summary>
public sealed record EnsembleModel(
    string Name,
    IReadOnlyDictionary<string, JsonNode?> Parameters,
    Func<long, long, CancellationToken, Fin<Solution>> Realize,
    double BytesPerRealization = 0)
{
    public Option<Func<long, long, string, CancellationToken, Fin<Solution>>> RealizeResuming { get; init; }
}
