using System.Text.Json.Nodes;
using LanguageExt;
using Ness.Pipeline.Fermion;

namespace Ness.Cli.Reproduce;

/// <summary>Options of one <c>ness reproduce</c> run (validated by the command). None = the paper's setting.</summary>
public sealed record ReproduceSettings(string OutDir, Option<long> Realizations, Option<int> Length, long Seed, int Threads,
                                       FermionSolver Solver = FermionSolver.Auto)
{
    /// <summary>The Krylov solver's settings (the command line's `NESS_KRYLOV_*` and `NESS_BLAS`, <see cref="KrylovFlags"/>;
    /// one solver thread per realization). They move the numbers only within their certificates, so they are not part
    /// of <see cref="Manifest"/>: each line's diagnostics say how it was solved.</summary>
    public Ness.Pipeline.Fermion.Krylov.KrylovOptions Krylov { get; init; } = Ness.Pipeline.Fermion.Krylov.KrylovOptions.Default;

    /// <summary>The settings that decide the numbers in DIR (not --threads, not --figure): written to
    /// DIR/reproduce.json, and a later run into DIR must have the same (or --force).</summary>
    public JsonObject Manifest() => new()
    {
        ["seed"] = Seed,
        ["realizations"] = Output.Optional(Realizations, x => x),
        ["length"] = Output.Optional(Length, x => x),
        ["solver"] = Solver.ToString().ToLowerInvariant(),
    };

    /// <summary>DIR/data: one ensemble file per ensemble, the resume points.</summary>
    public string DataDir => Path.Combine(OutDir, "data");

    public string ManifestPath => Path.Combine(OutDir, "reproduce.json");
}
