using System.Diagnostics;
using System.Numerics;
using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Ness.Operators;
using Ness.Operators.Fermion;

namespace Ness.Pipeline.Fermion;

/// <summary>
/// The steady state: the null vector of the Liouvillian of section 3.2 with tr rho = 1.
/// Direct method: on the q = 0 sector (dimension C(2L, L)), the equation of the vacuum population is
/// replaced by the trace functional (the equations are dependent because L preserves the trace),
/// and the system is solved by sparse LU.
/// </summary>
public static class SteadyState
{
    /// <summary>The density matrix by the Liouvillian solver of <paramref name="plan"/> (direct or krylov).</summary>
    public static Fin<FermionState> Solve(FermionParameters p, FermionPlan plan) => plan.Method switch
    {
        _ when p.Hopping == 0 && p.Length >= 3 => new SteadyStateNotUnique(
            "--hopping 0: the inner sites 2..L-1 keep whatever populations they start with"),
        FermionSolver.Direct => Direct(p, plan.Options),
        FermionSolver.Krylov => Krylov.KrylovSolver.Solve(p, plan.Options),
        var m => new InternalError($"internal error (a bug in ness): {m} does not form a density matrix", ""),
    };

    /// <summary>Budgeted nnz(L+U) / D² of the sector LU: the factors are nearly dense (docs/numerics.md: 0.26 D² at L = 8).</summary>
    const double FactorFill = 0.35;

    /// <summary>Bytes per stored factor entry: a complex value (16) and a row index (4).</summary>
    const double BytesPerFactorEntry = 20;

    /// <summary>Budgeted nonzeros per column of the assembled sector Liouvillian: nnz(A) / D = 7.6, 8.6, 9.6 at
    /// L = 6, 7, 8 (docs/numerics.md), growing by about one per site, so 12 covers the direct solver's range.</summary>
    const double AssembledNonZerosPerColumn = 12;

    /// <summary>Bytes per assembled nonzero: the triplet (two int indices and a complex value, 24) plus its
    /// compressed copy (row index and value, 20), rounded to 40.</summary>
    const double BytesPerAssembledNonZero = 40;

    /// <summary>Estimated peak memory of the direct solver in bytes: the LU factors plus the assembled matrix.</summary>
    public static double DirectMemoryEstimate(long D) =>
        FactorFill * D * (double)D * BytesPerFactorEntry + D * BytesPerAssembledNonZero * AssembledNonZerosPerColumn;

    /// <summary>The largest chain length (0 if none) whose direct-solver estimate fits <paramref name="budget"/> bytes.</summary>
    public static int DirectLargestLength(double budget)
    {
        int L = 0;
        while (L < FermionParameters.MaxLength && DirectMemoryEstimate(SectorDimension(L + 1)) <= budget) L++;
        return L;
    }

    /// <summary>Dimension C(2L, L) of the q = 0 sector.</summary>
    public static long SectorDimension(int L)
    {
        long c = 1;
        for (int k = 1; k <= L; k++) c = c * (L + k) / k;
        return c;
    }

    public static Fin<FermionState> Direct(FermionParameters p, SolverOptions? so = null)
    {
        var sw = Stopwatch.StartNew();
        var B = SectorBlocks.Create(p.Length, p.Hopping, p.Interaction, p.Fields.AsSpan(), p.Rates.ToArray());
        var fits = MemoryBudget.Check($"--length {p.Length}: the direct solver (sector dimension {B.Dimension}, near-dense LU factors)",
            DirectMemoryEstimate(B.Dimension),
            (DirectLargestLength(MemoryBudget.Limit) is int fit and > 0 ? $"the largest L that fits is {fit} (--length {fit}); " : "") +
            "use a smaller --length or --solver krylov");
        if (fits.IsFail) return (LanguageExt.Common.Error)fits;
        Complex[] x; long fill; Func<Complex[], Complex[]> solve;
        try
        {
            (solve, fill) = DirectSolver.Factor(WithTraceRow(SectorLiouvillian.Assemble(B), SectorDiagonal(B), out var b));
            x = solve(b);
        }
        catch (Ness.Sparse.Factorization.SingularMatrixException e)
        {
            return new SteadyStateNotUnique($"the Liouvillian with the trace condition is singular at column {e.Column}");
        }
        var o = (so ?? SolverOptions.Default).Krylov;
        var (raw, refined) = DirectRefinement.Refine(B, solve, x, p.Hopping, o.Refinement);
        var vouched = new Check("profile_error_estimate", refined.ProfileErrorEstimate, o.MaxProfileError,
            $"direct solver: the profile cannot be vouched for: its estimated error {refined.ProfileErrorEstimate:E1} " +
            $"exceeds {o.MaxProfileError:E0} after iterative refinement in double-double ({refined.Reason}, docs/numerics.md)");
        if (!vouched.Passes) return new NumericsRefused(vouched.Refusal);
        return FermionState.FromRaw(p, B, raw, new SolverReport("direct", sw.Elapsed.TotalSeconds,
            [new Number("lu_nonzeros", fill), vouched, new Number("continuity_defect_relative", refined.CurrentDefect),
             .. refined.Facts(timings: false)]));
    }

    /// <summary>The system L x = 0 with row 0 (the vacuum population) replaced by tr rho = 1, the trace
    /// being the sum of the entries at the <paramref name="diagonal"/> positions of vec(rho).</summary>
    public static Triplets WithTraceRow(Triplets L, IEnumerable<int> diagonal, out Complex[] b)
    {
        var A = new Triplets(L.RowCount, L.ColumnCount, L.Count + (int)Math.Sqrt(L.RowCount) * 4);
        for (int k = 0; k < L.Count; k++)
            if (L.I[k] != 0) A.At(L.I[k], L.J[k], L.X[k]);
        foreach (int i in diagonal) A.At(0, i, 1);
        b = new Complex[L.RowCount];
        b[0] = 1;
        return A;
    }

    /// <summary>Positions of the diagonal entries rho_n[a, a] in vec(rho_0) ⊕ ... ⊕ vec(rho_L).</summary>
    static IEnumerable<int> SectorDiagonal(SectorBlocks B)
    {
        for (int n = 0; n <= B.Length; n++)
        {
            int d = B.BlockSize(n);
            for (int a = 0; a < d; a++) yield return (int)B.Offset[n] + a + a * d;
        }
    }

    /// <summary>Splits vec(rho_0) ⊕ ... ⊕ vec(rho_L) into blocks.</summary>
    public static Matrix<Complex>[] ToBlocks(SectorBlocks B, ReadOnlySpan<Complex> x)
    {
        var rho = new Matrix<Complex>[B.Length + 1];
        for (int n = 0; n <= B.Length; n++)
        {
            int d = B.BlockSize(n);
            rho[n] = Matrix<Complex>.Build.Dense(d, d, x.Slice((int)B.Offset[n], d * d).ToArray());
        }
        return rho;
    }
}
