using System.Collections.Immutable;
using LanguageExt;

namespace Ness.Pipeline.Fermion;

/// <summary>
/// A validated fermion chain (paper, section 3.2): H_F = J sum_x (a+_x a_{x+1} + h.c.) + V sum_x n_x n_{x+1}
/// + 2 sum_x h_x n_x with boundary Lindblad rates. Physics only: how the steady state is solved (method,
/// tolerances, threads, memory, progress, cancellation) is <see cref="SolverOptions"/> and <see cref="SolverPlan"/>.
/// Built only through <see cref="Create"/>, which gathers every argument check of the physics in one place.
/// </summary>
public sealed record FermionParameters(
    int Length, double Hopping, double Interaction, Rates Rates, ImmutableArray<double> Fields)
{
    /// <summary>Longest chain for the Liouvillian solvers (V != 0, or --solver direct/krylov).</summary>
    public const int MaxLength = 16;

    /// <summary>Longest chain at all: the Gaussian solver's, used when V = 0 (solver auto or gaussian).</summary>
    public const int MaxAnyLength = GaussianSolver.MaxLength;

    /// <summary>Largest |J|, |V|, |h_x| and rate accepted: far beyond the physics of the paper (h ≤ 20), and
    /// small enough that squares and sums of energies stay far from overflow.</summary>
    public const double MaxMagnitude = 1e6;

    /// <summary>Defaults of the command line (section 3 of the paper uses J = V = 1 and these rates).</summary>
    public const double DefaultHopping = 1, DefaultInteraction = 1;

    /// <summary>The disorder strength W of fields h_x uniform in [-W, W]: 0 &lt;= W &lt;= <see cref="MaxMagnitude"/>.</summary>
    public static Fin<double> DisorderStrength(double w) =>
        w >= 0 && w <= MaxMagnitude
            ? w
            : new BadInput("--disorder", $"{w} is out of range; allowed: 0 <= W <= {MaxMagnitude:G}");

    public static Fin<FermionParameters> Create(int length, double hopping, double interaction, double[] rates, double[] fields)
    {
        if (!(Math.Abs(interaction) <= MaxMagnitude))
            return new BadInput("--interaction", $"{interaction} is out of range; allowed: |V| <= {MaxMagnitude:G}");
        if (length < 1 || length > MaxAnyLength)
            return new BadInput("--length", $"{length} is out of range; allowed: 1..{MaxAnyLength}");
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
        return new FermionParameters(length, hopping, interaction, new Rates(rates[0], rates[1], rates[2], rates[3]), [.. fields]);
    }
}
