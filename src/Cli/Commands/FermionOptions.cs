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
        Flags.Int("--length", $"Number of sites L (1..{FermionParameters.MaxLength}; --solver mps: 1..{FermionParameters.MpsMaxLength}; " +
                  $"--interaction 0 with the Gaussian solver: 1..{FermionParameters.MaxAnyLength}).",
            1, FermionParameters.MaxAnyLength, "-L").Required();
    public readonly Flag<double> Hopping =
        Flags.Double("--hopping", "Hopping J.").Default(FermionParameters.DefaultHopping);
    public readonly Flag<double> Interaction =
        Flags.Double("--interaction", "Interaction V.").Default(FermionParameters.DefaultInteraction);
    public readonly Flag<double[]> Rates =
        Flags.Doubles("--rates", "Lindblad rates g1p,g1m,gLp,gLm, each >= 0.", 4, "rates g1p,g1m,gLp,gLm")
            .Default(FermionParameters.DefaultRates.ToArray());
    public readonly Flag<double> Disorder =
        Flags.Double("--disorder", "Disorder strength W >= 0: fields h_x uniform in [-W, W] drawn from --seed.");
    public readonly Flag<FermionSolver> Solver =
        Flags.Choice<FermionSolver>("--solver", "Steady-state solver; auto takes gaussian (exact, any L) when --interaction 0, " +
                                    $"else direct up to L = {SteadyState.AutoDirectMaxLength}, krylov above; mps: matrix product state (long chains); " +
                                    "gaussian needs --interaction 0.").Default(FermionSolver.Auto);
    public readonly Flag<int> BondDimension =
        Flags.Int("--bond-dimension", "With --solver mps: largest bond dimension chi; chi grows 4, 8, 16, ... up to it " +
                  $"until doubling moves the profile by less than --profile-tolerance [default: {Ness.Pipeline.Fermion.Mps.MpsOptions.DefaultMaxBond}].",
                  1, Ness.Pipeline.Fermion.Mps.MpsOptions.MaxBondAllowed);
    public readonly Flag<double> ProfileTolerance =
        Flags.Double("--profile-tolerance", "With --solver mps: converged when doubling chi moves every n_x by less than this " +
                     $"(1e-12..1e-2) [default: {Flags.Show(Ness.Pipeline.Fermion.Mps.MpsOptions.Default.ProfileTolerance)}].");

    public void AddTo(Command c)
    {
        foreach (var o in new System.CommandLine.Option[] { Length, Hopping, Interaction, Rates, Disorder, Solver, BondDimension, ProfileTolerance }) c.Options.Add(o);
    }

    /// <summary>Validated parameters; the fields come from <paramref name="fields"/> (given the length).</summary>
    public Fin<FermionParameters> Parameters(ParseResult r, Func<int, Fin<double[]>> fields) =>
        from h in fields(r.Value(Length))
        from mps in Mps(r)
        from p in FermionParameters.Create(r.Value(Length), r.Value(Hopping), r.Value(Interaction), r.Value(Rates), h, r.Value(Solver),
            mps: mps.MatchUnsafe(o => o, () => null))
        select p;

    /// <summary>The MPS settings: --bond-dimension and --profile-tolerance, only with --solver mps.</summary>
    Fin<LanguageExt.Option<Ness.Pipeline.Fermion.Mps.MpsOptions>> Mps(ParseResult r)
    {
        var chi = r.Given(BondDimension);
        var tol = r.Given(ProfileTolerance);
        if (r.Value(Solver) != FermionSolver.Mps)
            return chi.IsSome ? new BadInput("--bond-dimension", "only with --solver mps")
                 : tol.IsSome ? new BadInput("--profile-tolerance", "only with --solver mps")
                 : Fin<LanguageExt.Option<Ness.Pipeline.Fermion.Mps.MpsOptions>>.Succ(LanguageExt.Option<Ness.Pipeline.Fermion.Mps.MpsOptions>.None);
        var o = Ness.Pipeline.Fermion.Mps.MpsOptions.Default with { BondDimension = chi.MatchUnsafe(c => (int?)c, () => null) };
        foreach (var t in tol)
        {
            if (!(t >= 1e-12 && t <= 1e-2))
                return new BadInput("--profile-tolerance", $"{t} is out of range; allowed: 1e-12..1e-2");
            o = o with { ProfileTolerance = t };
        }
        return LanguageExt.Option<Ness.Pipeline.Fermion.Mps.MpsOptions>.Some(o);
    }

    /// <summary>The disorder strength W, required.</summary>
    public Fin<double> Strength(ParseResult r) =>
        r.Given(Disorder).OrFail(new BadInput("--disorder", "required (the disorder strength W >= 0)"))
            .Bind(FermionParameters.DisorderStrength);
}
