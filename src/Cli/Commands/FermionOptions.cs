using System.CommandLine;
using LanguageExt;
using Ness.Pipeline;
using Ness.Pipeline.Fermion;

namespace Ness.Cli.Commands;

/// <summary>The model flags of the fermion chain, shared by <c>ness fermion</c> and <c>ness ensemble fermion</c>.
/// Defaults and ranges come from <see cref="FermionParameters"/>.</summary>
public sealed class FermionOptions
{
    public readonly Flag<int> Length =
        Flags.Int("--length", $"Number of sites L (1..{FermionParameters.MaxLength}, as far as memory allows: " +
                  $"here up to L = {Ness.Pipeline.Fermion.Krylov.KrylovSolver.LargestLength(Ness.Pipeline.Fermion.Krylov.KrylovOptions.Default, MemoryBudget.Limit)} " +
                  $"with the krylov solver and its {MemoryBudget.GB(MemoryBudget.Limit)} budget; larger L is refused with exit 3 naming the largest that fits; " +
                  $"--interaction 0 with the Gaussian solver: 1..{FermionParameters.MaxAnyLength}).",
            1, FermionParameters.MaxAnyLength, "-L").Required();
    public readonly Flag<double> Hopping =
        Flags.Double("--hopping", "Hopping J.").Default(FermionParameters.DefaultHopping);
    public readonly Flag<double> Interaction =
        Flags.Double("--interaction", "Interaction V.").Default(FermionParameters.DefaultInteraction);
    public readonly Flag<double[]> Rates =
        Flags.Doubles("--rates", "Lindblad rates g1p,g1m,gLp,gLm, each >= 0.", 4, "rates g1p,g1m,gLp,gLm")
            .Default(Ness.Pipeline.Fermion.Rates.Default.ToArray());
    public readonly Flag<double> Disorder =
        Flags.Double("--disorder", "Disorder strength W >= 0: fields h_x uniform in [-W, W] drawn from --seed.");
    public readonly Flag<FermionSolver> Solver =
        Flags.Choice<FermionSolver>("--solver", "Steady-state solver; auto takes gaussian (exact, any L) when --interaction 0, " +
                                    $"else direct up to L = {SolverPlan.AutoDirectMaxLength}, krylov above; " +
                                    "gaussian needs --interaction 0; with --weak-coupling: auto (onebody when --interaction 0, else pauli), " +
                                    "pauli (the many-body Pauli master equation, L <= 16), onebody (V = 0, any L).").Default(FermionSolver.Auto);
    public readonly Flag<bool> WeakCoupling =
        Flags.Switch("--weak-coupling", "The weak-coupling limit: all four rates scaled by eps -> 0; the NESS is diagonal in the " +
                     "eigenstates of H_F with the stationary law of the Pauli master equation; currents are J/eps (per unit coupling).");

    public void AddTo(Command c)
    {
        foreach (var o in new System.CommandLine.Option[] { Length, Hopping, Interaction, Rates, Disorder, Solver, WeakCoupling }) c.Options.Add(o);
    }

    /// <summary>Validated parameters (the physics; the method is <see cref="Solver"/>, checked by
    /// <see cref="SolverPlan.Fermion"/>); the fields come from <paramref name="fields"/> (given the length).</summary>
    public Fin<FermionParameters> Parameters(ParseResult r, Func<int, Fin<double[]>> fields) =>
        from h in fields(r.Value(Length))
        from p in FermionParameters.Create(r.Value(Length), r.Value(Hopping), r.Value(Interaction), r.Value(Rates), h)
        select p;

    /// <summary>The disorder strength W, required.</summary>
    public Fin<double> Strength(ParseResult r) =>
        r.Given(Disorder).OrFail(new BadInput("--disorder", "required (the disorder strength W >= 0)"))
            .Bind(FermionParameters.DisorderStrength);
}
