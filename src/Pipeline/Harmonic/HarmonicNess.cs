using LanguageExt;

namespace Ness.Pipeline.Harmonic;

/// <summary>The harmonic pipeline's solve: parameters → temperature profile and energy current, eq. (2.9) at weak
/// coupling (<see cref="WeakCoupling"/>), eq. (2.6)–(2.7) at finite lambda (<see cref="FiniteCoupling"/>), after the
/// plan's memory estimate is checked against the budget. The front door is <see cref="HarmonicChain.SteadyState"/>.</summary>
public static class HarmonicNess
{
    public static Fin<(TemperatureProfile Profile, EnergyCurrent Current)> Solve(HarmonicParameters p, HarmonicPlan plan) =>
        from _ in MemoryBudget.Check($"--length {p.Length}: the {(p.WeakCoupling ? "weak-coupling" : "finite-lambda")} profile",
                                     plan.MemoryEstimate, "use a smaller --length")
        from s in p.Bath switch
        {
            BathCoupling.Finite f => FiniteCoupling.Solve(p, f.Lambda),
            _ => WeakCoupling.Solve(p),
        }
        select s;
}
