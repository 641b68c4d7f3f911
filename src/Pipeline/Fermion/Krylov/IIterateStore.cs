using LanguageExt;

namespace Ness.Pipeline.Fermion.Krylov;

/// <summary>
/// Where a long Krylov solve keeps its iterate, so that a killed run resumes instead of starting over
/// (`ness fermion --checkpoint FILE`, docs/interface.md; an L = 13 solve takes hours). The solver starts from
/// <see cref="Load"/> instead of the coarse steady state when the store holds an iterate of the same problem, and
/// offers its iterate at every restart and once more when the solve has converged (<see cref="Offer"/>); the store
/// decides how often to keep it. Resuming cannot change what is certified: the iterate is only a start, and the
/// stop rules, the error estimate and the refinement all judge the residual recomputed from it. The solver does no
/// I/O itself: the store is the program's (<c>Ness.Cli.IterateFile</c>).
/// </summary>
public interface IIterateStore
{
    /// <summary>The packed iterate an earlier run of the same problem kept (of length <paramref name="dimension"/>,
    /// the solver's to overwrite), or None.</summary>
    Option<SavedIterate> Load(int dimension);

    /// <summary>The iterate at a restart (<paramref name="converged"/> false) or of the converged solve (true), to keep
    /// or not; <see cref="SavedIterate.X"/> is the solver's own array: copy or write it during the call.</summary>
    void Offer(SavedIterate iterate, bool converged);
}

/// <summary>A packed iterate rho (<see cref="PackedLiouvillian"/>) with the FGMRES iterations behind it, over every
/// run that resumed it, and its true relative residual.</summary>
public sealed record SavedIterate(int Iterations, double RelativeResidual, double[] X);
