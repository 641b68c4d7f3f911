using Ness.Pipeline.Fermion;

namespace Ness.Cli.Ensemble;

/// <summary>Options of <c>ness ensemble fermion</c> (validated by the command).</summary>
public sealed record FermionEnsembleOptions(
    int Length, double Disorder, double Hopping, double Interaction, double[] Rates, FermionSolver Solver, bool WeakCoupling = false);
