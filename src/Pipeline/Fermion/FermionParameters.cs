using System.Collections.Immutable;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Ness.Pipeline.Fermion;

/// <summary>
/// A validated fermion chain (paper, section 3.2): H_F = J sum_x (a+_x a_{x+1} + h.c.) + V sum_x n_x n_{x+1}
/// + 2 sum_x h_x n_x with boundary Lindblad rates. Built only through <see cref="Create"/>, which gathers
/// every argument check in one place.
/// </summary>
public sealed record FermionParameters(
    int Length, double Hopping, double Interaction, Rates Rates, ImmutableArray<double> Fields, FermionSolver Solver,
    Krylov.KrylovOptions? KrylovOptions = null)
{
    /// <summary>Longest chain for the Liouvillian solvers (V != 0, or --solver direct/krylov).</summary>
    public const int MaxLength = 16;

    /// <summary>The longest chain a solver accepts: the exact Liouvillian solvers work in dimension C(2L, L);
    /// the Gaussian solver (V = 0 only) is O(L^2).</summary>
    public static int MaxLengthFor(FermionSolver s) =>
        s == FermionSolver.Gaussian ? GaussianSolver.MaxLength : MaxLength;

    /// <summary>Longest chain at all: the Gaussian solver's, used when V = 0 (solver auto or gaussian).</summary>
    public const int MaxAnyLength = GaussianSolver.MaxLength;

    /// <summary>Whether the exact Gaussian solver is used: --solver gaussian, or auto with V = 0.</summary>
    public bool UsesGaussian => Solver == FermionSolver.Gaussian || (Solver == FermionSolver.Auto && Interaction == 0);

    /// <summary>Largest |J|, |V|, |h_x| and rate accepted: far beyond the physics of the paper (h ≤ 20), and
    /// small enough that squares and sums of energies stay far from overflow.</summary>
    public const double MaxMagnitude = 1e6;

    /// <summary>Defaults of the command line (section 3 of the paper uses J = V = 1 and these rates).</summary>
    public const double DefaultHopping = 1, DefaultInteraction = 1;

    /// <summary>Default rates g1p, g1m, gLp, gLm: injection dominates at site 1, extraction at site L.</summary>
    public static readonly Rates DefaultRates = new(3, 1, 2, 1);

    /// <summary>The disorder strength W of fields h_x uniform in [-W, W]: 0 &lt;= W &lt;= <see cref="MaxMagnitude"/>.</summary>
    public static Fin<double> DisorderStrength(double w) =>
        w >= 0 && w <= MaxMagnitude
            ? w
            : new BadInput("--disorder", $"{w} is out of range; allowed: 0 <= W <= {MaxMagnitude:G}");

    public static Fin<FermionParameters> Create(
        int length, double hopping, double interaction, double[] rates, double[] fields, FermionSolver solver = FermionSolver.Auto,
        Krylov.KrylovOptions? krylov = null)
    {
        if (!(Math.Abs(interaction) <= MaxMagnitude))
            return new BadInput("--interaction", $"{interaction} is out of range; allowed: |V| <= {MaxMagnitude:G}");
        if (solver == FermionSolver.Gaussian && interaction != 0)
            return new BadInput("--solver",
                $"gaussian solves the free-fermion chain only (--interaction 0, got {interaction}); allowed for V != 0: auto, direct, krylov");
        bool gaussian = solver == FermionSolver.Gaussian || (solver == FermionSolver.Auto && interaction == 0);
        int limit = gaussian ? GaussianSolver.MaxLength : MaxLengthFor(solver);
        if (length < 1 || length > limit)
            return new BadInput("--length", gaussian
                ? $"{length} is out of range; allowed: 1..{limit} (the Gaussian solver, V = 0)"
                : $"{length} is out of range; allowed: 1..{limit} (--interaction 0: up to {GaussianSolver.MaxLength})");
        if (!(Math.Abs(hopping) <= MaxMagnitude))
            return new BadInput("--hopping", $"{hopping} is out of range; allowed: |J| <= {MaxMagnitude:G}");
        if (rates.Length != 4)
            return new BadInput("--rates", $"expected 4 comma-separated rates g1p,g1m,gLp,gLm, got {rates.Length}");
        if (rates.Any(g => !(g >= 0 && g <= MaxMagnitude)))
            return new BadInput("--rates", $"rates must be in 0..{MaxMagnitude:G}");
        if (rates.All(g => g == 0))
            return new BadInput("--rates", "at least one rate must be > 0 (with all rates zero the steady state is not unique)");
        if (fields.Length != length)
            return new BadInput("--fields", $"expected {length} comma-separated fields (one per site), got {fields.Length}");
        if (fields.Any(h => !(Math.Abs(h) <= MaxMagnitude)))
            return new BadInput("--fields", $"fields must be finite with |h_x| <= {MaxMagnitude:G}");
        return new FermionParameters(length, hopping, interaction,
            new Rates(rates[0], rates[1], rates[2], rates[3]), [.. fields], solver, krylov);
    }
}
