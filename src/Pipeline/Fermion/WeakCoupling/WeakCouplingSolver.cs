using System.Collections.Immutable;
using LanguageExt;

namespace Ness.Pipeline.Fermion.WeakCoupling;

/// <summary>
/// The two weak-coupling methods behind <c>--weak-coupling</c>: the many-body Pauli master equation
/// (<see cref="PauliMasterEquation"/>, any V, L &lt;= 16) and, at V = 0, the one-body formula (<see cref="FreeFermions"/>,
/// any L), each turned into a profile, currents and a certificate whose failing check is the refusal (exit 3).
/// </summary>
public static class WeakCouplingSolver
{
    /// <summary>Longest chain for the many-body Pauli solver (sector N = 8 of L = 16 has 12,870 states; about 10 GB).</summary>
    public const int MaxLength = 16;

    /// <summary>Longest chain for the one-body formula (O(L^2) time, O(L) memory).</summary>
    public const int OneBodyMaxLength = 100_000;

    /// <summary>Largest completeness defect max_x |sum_k phi_k(x)^2 − 1| of the one-body modes (their profile error).</summary>
    public const double MaxCompletenessError = FreeFermions.CompletenessTolerance;

    /// <summary>Largest relative error the certificate accepts for the quoted current (one digit at least).</summary>
    public const double MaxCurrentRelativeError = 0.1;

    /// <summary>Largest |J_left − J_right| / current_error_estimate: the two boundary currents are equal in exact
    /// arithmetic, so they must agree within the bound on their error.</summary>
    public const double MaxCurrentInconsistency = 1;

    public const string PauliMethod = "pauli";
    public const string OneBodyMethod = "pauli-onebody";

    /// <summary>The many-body Pauli limit: checks profile_error_estimate (&lt;= 1e-6, the bound from the eigenvector
    /// accuracy u ||H|| / gap) and current_consistency (|J_left − J_right| within the current's error bound);
    /// reports limit_eps (the limit describes rates × eps for eps ≪ limit_eps), min_gap, current_error_estimate,
    /// current_digits, the largest eigenvector error, timings.</summary>
    /// <summary>The method of the plan (<see cref="FermionSolver.Pauli"/> or <see cref="FermionSolver.OneBody"/>).</summary>
    public static Fin<FermionSolution> Run(FermionParameters p, FermionPlan plan) =>
        plan.Method == FermionSolver.OneBody
            ? OneBody(p)
            : Pauli(p, new PauliOptions(plan.Options.Krylov.Threads, plan.Options.Krylov.MemoryLimitBytes,
                plan.Options.PauliProgress) { SpillDirectory = plan.Options.TemporaryDirectory });

    public static Fin<FermionSolution> Pauli(FermionParameters p, PauliOptions o) =>
        PauliMasterEquation.Solve(p, o).Map(s =>
        {
            var (left, right) = s.Current;
            double err = s.CurrentErrorEstimate;
            double j = left;
            bool vouched = j != 0 && err <= MaxCurrentRelativeError * Math.Abs(j) || j == 0 && err == 0;
            double digits = j == 0 ? double.PositiveInfinity : err == 0 ? 16 : Math.Min(16, Math.Log10(Math.Abs(j) / err));
            var facts = ImmutableArray.CreateBuilder<Fact>();
            facts.Add(new Check("profile_error_estimate", s.ProfileErrorEstimate, PauliMasterEquation.MaxProfileError,
                $"the eigenvector errors (u ||H|| / gap) could move the profile by up to {s.ProfileErrorEstimate:G3} > " +
                $"{PauliMasterEquation.MaxProfileError:G1}: H_F has nearly degenerate eigenstates (smallest gap in a sector " +
                $"{s.MinGap:G3}) whose rates double precision cannot separate"));
            double consistency = left == right ? 0 : Math.Abs(left - right) / err;
            facts.Add(new Check("current_consistency", consistency, MaxCurrentInconsistency,
                $"the currents through bath 1 ({left:G6}) and bath L ({right:G6}) differ by more than their error bound {err:G3}"));
            facts.Add(new Number("dimension", s.States));
            facts.Add(new Number("limit_eps", s.LimitEps));
            facts.Add(new Number("min_gap", s.MinGap));
            facts.Add(new Number("current_error_estimate", err));
            facts.Add(new Number("current_digits", double.IsFinite(digits) ? Math.Max(0, digits) : 16));
            foreach (var (k, v) in s.Statistics) facts.Add(new Number(k, v));
            var currents = new Currents(left, right, []) { PerCoupling = vouched ? j : null, LnAbs = vouched && j != 0 ? Math.Log(Math.Abs(j)) : null };
            return new FermionSolution(s.Profile, currents, new Certificate(PauliMethod, facts.ToImmutable()));
        }).Bind(Verify);

    /// <summary>The one-body formula at V = 0: checks completeness_error; reports the eigenvector residual, the
    /// smallest one-body gap (absolute and in ulps), the Sturm sweeps. The current is a sum of positive terms with
    /// full relative accuracy (current_digits = 14 would be conservative; reported as the completeness allows).</summary>
    public static Fin<FermionSolution> OneBody(FermionParameters p) =>
        FreeFermions.Solve(p).Map(s =>
        {
            int L = p.Length;
            var n = s.Profile;
            // left = right = the current as a sum of positive terms per mode, exact continuity (g1p − (g1p + g1m) n_1 would
            // lose every digit to cancellation once J/eps is below ~1e-16)
            double left = s.CurrentPerCoupling, right = s.CurrentPerCoupling;
            var facts = ImmutableArray.Create<Fact>(
                new Check("completeness_error", s.CompletenessError, MaxCompletenessError,
                    $"the one-body eigenvectors are not complete (max_x |sum_k phi_k(x)^2 - 1| = {s.CompletenessError:G3})"),
                new Number("dimension", L),
                new Number("max_eigenvector_residual", s.MaxEigenvectorResidual),
                new Number("min_gap", s.MinGap),
                new Number("min_gap_ulps", s.MinGapUlps),
                new Number("bisection_sweeps", s.BisectionSweeps),
                new Number("seconds", s.Seconds));
            var currents = new Currents(left, right, []) { PerCoupling = s.CurrentPerCoupling, LnAbs = double.IsFinite(s.LnAbsCurrent) ? s.LnAbsCurrent : null };
            return new FermionSolution(n, currents, new Certificate(OneBodyMethod, facts));
        }).Bind(Verify);

    static Fin<FermionSolution> Verify(FermionSolution s) =>
        s.Certificate.Verify($"weak coupling ({s.Certificate.Method}): the steady state cannot be certified: ").Map(_ => s);
}
