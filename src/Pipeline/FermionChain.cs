using LanguageExt;
using Ness.Pipeline.Fermion;
using static LanguageExt.Prelude;

namespace Ness.Pipeline;

/// <summary>
/// The fermion chain of section 3 as a library, in the spirit of QuTiP's <c>steadystate(H, c_ops)</c>: describe the
/// chain (<see cref="Create"/> or <see cref="Disordered"/>), then <see cref="SteadyState"/> returns the certified NESS
/// and its observables, or an error (<see cref="BadInput"/> for parameters out of range, <see cref="NumericsRefused"/>
/// when the numerics cannot vouch for a result). Same defaults, generator and numbers as <c>ness fermion</c>.
/// </summary>
public static class FermionChain
{
    /// <summary>The default Lindblad rates g1p, g1m, gLp, gLm of <c>ness fermion</c>.</summary>
    public static readonly Rates DefaultRates = new(3, 1, 2, 1);

    /// <summary>A chain with explicit fields h_1..h_L (L = fields.Length): H_F of eq. (3.2) with hopping J and
    /// interaction V, boundary rates of eq. (3.8).</summary>
    public static Fin<FermionParameters> Create(
        double[] fields, double hopping = 1, double interaction = 1, Rates? rates = null, FermionSolver solver = FermionSolver.Auto) =>
        FermionParameters.Create(fields.Length, hopping, interaction, (rates ?? DefaultRates).ToArray(), fields, solver);

    /// <summary>A chain with fields uniform in [−W, W] drawn by <see cref="Ness.Pipeline.Disorder"/> for
    /// (seed, realization): realization 0 is <c>ness fermion --disorder W --seed S</c>, realization r the r-th line
    /// of <c>ness ensemble</c>.</summary>
    public static Fin<FermionParameters> Disordered(
        int length, double disorder, long seed, long realization = 0, double hopping = 1, double interaction = 1,
        Rates? rates = null, FermionSolver solver = FermionSolver.Auto)
    {
        if (!(disorder >= 0 && disorder <= FermionParameters.MaxMagnitude))
            return new BadInput("--disorder", $"{disorder} is out of range; allowed: 0 <= W <= {FermionParameters.MaxMagnitude:G}");
        if (realization < 0)
            return new BadInput("realization", $"{realization} is out of range; allowed: >= 0");
        int limit = interaction == 0 && solver is FermionSolver.Auto or FermionSolver.Gaussian
            ? FermionParameters.MaxAnyLength : FermionParameters.MaxLengthFor(solver);
        if (length < 1 || length > limit)
            return new BadInput("--length", $"{length} is out of range; allowed: 1..{limit}");
        return Create(Ness.Pipeline.Disorder.Uniform(seed, realization, length, -disorder, disorder), hopping, interaction, rates, solver);
    }

    /// <summary>The NESS of <paramref name="p"/>: parameters → steady state → certificate → observables
    /// (profile, currents, step metrics) and, on request, the density matrix blocks and the correlation matrix.
    /// At V = 0 without extras the exact Gaussian solver is used (any L); the extras need a density matrix, so with
    /// extras a V = 0 chain goes through the Liouvillian solvers (L &lt;= 16).</summary>
    public static Fin<FermionSteadyState> SteadyState(FermionParameters p, FermionExtras extras = FermionExtras.None)
    {
        if (p.UsesGaussian && extras == FermionExtras.None)
            return GaussianSolver.Run(p).Map(r => new FermionSteadyState(p, r.Profile, r.Current, r.Step, r.Diagnostics,
                None, None));
        if (p.Solver == FermionSolver.Gaussian)
            return new BadInput("--solver", "the Gaussian solver has no density matrix; request extras with solver auto, direct or krylov");
        if (p.UsesGaussian && p.Length > FermionParameters.MaxLength)
            return new BadInput("--length", $"{p.Length} is out of range for the density matrix; allowed: 1..{FermionParameters.MaxLength}");
        return Liouvillian(p, extras);
    }

    static Fin<FermionSteadyState> Liouvillian(FermionParameters p, FermionExtras extras) =>
        from s in Fermion.SteadyState.Solve(p)
        from d in Certificate.Of(s)
        let n = DensityProfile.Of(s)
        select new FermionSteadyState(p, n, Currents.Of(s, n), StepMetrics.Of(n), d,
            extras.HasFlag(FermionExtras.DensityMatrix) ? Some(s.Rho) : None,
            extras.HasFlag(FermionExtras.Correlations) ? Some(OneBodyCorrelations.Of(s)) : None);
}
