using System.Collections.Immutable;
using LanguageExt;

namespace Ness.Pipeline.Fermion.WeakCoupling;

/// <summary>One fact of the weak-coupling certificate: a check (<see cref="Limit"/> not null: Value must be at most
/// Limit, else the refusal) or a reported number.</summary>
public sealed record WeakFact(string Name, double Value, double? Limit = null, string Refusal = "");

/// <summary>
/// The weak-coupling NESS as the front door needs it: profile n_x, the boundary currents per unit coupling J/eps
/// (through bath 1 and bath L), the current to quote (<see cref="PerCoupling"/>, with <see cref="LnAbs"/> = ln|J/eps|,
/// null when the certificate cannot vouch for a single digit), and the certificate's facts in output order.
/// </summary>
public sealed record WeakCouplingSolution(
    string Method, ImmutableArray<double> Profile, double Left, double Right, double? PerCoupling, double? LnAbs,
    ImmutableArray<WeakFact> Facts)
{
    /// <summary>The first failing check, if any.</summary>
    public Option<WeakFact> FirstFailure => Facts.Where(f => f.Limit is double l && !(f.Value <= l)).HeadOrNone();
}

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

    public const string PauliMethod = "pauli";
    public const string OneBodyMethod = "pauli-onebody";

    /// <summary>The many-body Pauli limit: checks profile_error_estimate (&lt;= 1e-6, the bound from the eigenvector
    /// accuracy u ||H|| / gap) and current_consistency (|J_left − J_right| within the current's error bound);
    /// reports limit_eps (the limit describes rates × eps for eps ≪ limit_eps), min_gap, current_error_estimate,
    /// current_digits, the largest eigenvector error, timings.</summary>
    public static Fin<WeakCouplingSolution> Pauli(FermionParameters p, PauliOptions o) =>
        PauliMasterEquation.Solve(p, o).Map(s =>
        {
            var (left, right) = s.Current;
            double err = s.CurrentErrorEstimate;
            double j = left;
            bool vouched = j != 0 && err <= MaxCurrentRelativeError * Math.Abs(j) || j == 0 && err == 0;
            double digits = j == 0 ? double.PositiveInfinity : err == 0 ? 16 : Math.Min(16, Math.Log10(Math.Abs(j) / err));
            var facts = ImmutableArray.CreateBuilder<WeakFact>();
            facts.Add(new("profile_error_estimate", s.ProfileErrorEstimate, PauliMasterEquation.MaxProfileError,
                $"the eigenvector errors (u ||H|| / gap) could move the profile by up to {s.ProfileErrorEstimate:G3} > " +
                $"{PauliMasterEquation.MaxProfileError:G1}: H_F has nearly degenerate eigenstates (smallest gap in a sector " +
                $"{s.MinGap:G3}) whose rates double precision cannot separate"));
            facts.Add(new("current_consistency", Math.Abs(left - right), err,
                $"the currents through bath 1 ({left:G6}) and bath L ({right:G6}) differ by more than their error bound {err:G3}"));
            facts.Add(new("limit_eps", s.LimitEps));
            facts.Add(new("min_gap", s.MinGap));
            facts.Add(new("current_error_estimate", err));
            facts.Add(new("current_digits", double.IsFinite(digits) ? Math.Max(0, digits) : 16));
            foreach (var (k, v) in s.Statistics) facts.Add(new(k, v));
            return new WeakCouplingSolution(PauliMethod, s.Profile, left, right, vouched ? j : null,
                vouched && j != 0 ? Math.Log(Math.Abs(j)) : null, facts.ToImmutable());
        }).Bind(Verify);

    /// <summary>The one-body formula at V = 0: checks completeness_error; reports the eigenvector residual, the
    /// smallest one-body gap (absolute and in ulps), the Sturm sweeps. The current is a sum of positive terms with
    /// full relative accuracy (current_digits = 14 would be conservative; reported as the completeness allows).</summary>
    public static Fin<WeakCouplingSolution> OneBody(FermionParameters p) =>
        FreeFermions.Solve(p).Map(s =>
        {
            var g = p.Rates;
            int L = p.Length;
            var n = s.Profile;
            // boundary fluxes from the profile (they lose digits to cancellation: the quoted current is the positive sum)
            double left = g.G1p - (g.G1p + g.G1m) * n[0], right = -(g.GLp - (g.GLp + g.GLm) * n[L - 1]);
            var facts = ImmutableArray.Create<WeakFact>(
                new("completeness_error", s.CompletenessError, MaxCompletenessError,
                    $"the one-body eigenvectors are not complete (max_x |sum_k phi_k(x)^2 - 1| = {s.CompletenessError:G3})"),
                new("max_eigenvector_residual", s.MaxEigenvectorResidual),
                new("min_gap", s.MinGap),
                new("min_gap_ulps", s.MinGapUlps),
                new("bisection_sweeps", s.BisectionSweeps),
                new("seconds", s.Seconds));
            return new WeakCouplingSolution(OneBodyMethod, n, left, right, s.CurrentPerCoupling,
                double.IsFinite(s.LnAbsCurrent) ? s.LnAbsCurrent : null, facts);
        }).Bind(Verify);

    static Fin<WeakCouplingSolution> Verify(WeakCouplingSolution s) =>
        s.FirstFailure.Match(
            Some: f => Fin<WeakCouplingSolution>.Fail(new NumericsRefused($"weak coupling ({s.Method}): the steady state cannot be certified: {f.Refusal}")),
            None: () => Fin<WeakCouplingSolution>.Succ(s));
}
