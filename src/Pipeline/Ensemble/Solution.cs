using Ness.Pipeline.Lattice;

namespace Ness.Pipeline.Ensemble;

/// <summary>
/// One realization as a model computed it, typed: the disorder draw it came from and the model's result record
/// (profile, currents, step metrics, certificate), as the model's front door returns it. It becomes a line of text
/// only where the line is written (the command line's realization runner), never here.
/// </summary>
public abstract record Solution(Draw Draw)
{
    /// <summary>A fermion chain (<see cref="FermionChain"/>.SteadyState).</summary>
    public sealed record Fermion(Draw Draw, FermionSteadyState Result) : Solution(Draw);

    /// <summary>A harmonic chain (<see cref="HarmonicChain.SteadyState"/>).</summary>
    public sealed record Harmonic(Draw Draw, HarmonicSteadyState Result) : Solution(Draw);

    /// <summary>The harmonic model on a box (<see cref="HarmonicBox.SteadyState"/>).</summary>
    public sealed record Lattice(Draw Draw, LatticeSteadyState Result) : Solution(Draw);
}
