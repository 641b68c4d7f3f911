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
    /// <summary>Largest L for which <c>auto</c> chooses the direct solver.</summary>
    public const int AutoDirectMaxLength = 6;

    /// <summary>Whether <see cref="Solve"/> takes the Krylov solver for these parameters.</summary>
    public static bool UsesKrylov(FermionParameters p) =>
        p.Solver == FermionSolver.Krylov || (p.Solver == FermionSolver.Auto && !p.UsesGaussian && p.Length > AutoDirectMaxLength);

    /// <summary>The density matrix by a Liouvillian solver (auto: direct up to L = 6, Krylov above, also at V = 0).</summary>
    public static Fin<FermionState> Solve(FermionParameters p) => p.Solver switch
    {
        _ when p.Hopping == 0 && p.Length >= 3 => new SteadyStateNotUnique(
            "--hopping 0: the inner sites 2..L-1 keep whatever populations they start with"),
        FermionSolver.Gaussian => new NumericsRefused("the Gaussian solver computes no density matrix (GaussianSolver.Run)"),
        FermionSolver.Direct => Direct(p),
        FermionSolver.Krylov => Krylov.KrylovSolver.Solve(p),
        _ => p.Length <= AutoDirectMaxLength ? Direct(p) : Krylov.KrylovSolver.Solve(p),
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

    /// <summary>Estimated peak memory in bytes of the solver <see cref="Solve"/> would use for <paramref name="p"/>.</summary>
    public static double MemoryEstimate(FermionParameters p) =>
        MemoryEstimate(p.Length, p.Solver, p.KrylovOptions, p.Interaction);

    public static double MemoryEstimate(int L, FermionSolver solver, Krylov.KrylovOptions? krylov = null,
        double interaction = 1) =>
        solver == FermionSolver.Gaussian || solver == FermionSolver.Auto && interaction == 0 ? GaussianSolver.MemoryEstimate(L)
        : solver == FermionSolver.Direct || solver == FermionSolver.Auto && L <= AutoDirectMaxLength
            ? DirectMemoryEstimate(SectorDimension(L))
            : Krylov.KrylovSolver.MemoryEstimate(L, (krylov ?? Krylov.KrylovOptions.Default).Restart, krylov ?? Krylov.KrylovOptions.Default);

    /// <summary>Dimension C(2L, L) of the q = 0 sector.</summary>
    public static long SectorDimension(int L)
    {
        long c = 1;
        for (int k = 1; k <= L; k++) c = c * (L + k) / k;
        return c;
    }

    public static Fin<FermionState> Direct(FermionParameters p)
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
        var o = p.KrylovOptions ?? Krylov.KrylovOptions.Default;
        var (raw, refined) = DirectRefinement.Refine(B, solve, x, p.Hopping, o.Refinement);
        var stats = new Dictionary<string, double> { ["lu_nonzeros"] = fill };
        foreach (var (k, v) in refined.Statistics(timings: false)) stats[k] = v;
        if (!(refined.ProfileErrorEstimate <= o.MaxProfileError))
            return new NumericsRefused($"direct solver: the profile cannot be vouched for: its estimated error {refined.ProfileErrorEstimate:E1} " +
                                       $"exceeds {o.MaxProfileError:E0} after iterative refinement ({refined.Reason})");
        var report = new SolverReport("direct", sw.Elapsed.TotalSeconds, stats);
        return FermionState.FromRaw(p, B, raw, report);
    }

    /// <summary>The system L x = 0 with row 0 (the vacuum population) replaced by tr rho = 1, the trace
    /// being the sum of the entries at the <paramref name="diagonal"/> positions of vec(rho).</summary>
    static Triplets WithTraceRow(Triplets L, IEnumerable<int> diagonal, out Complex[] b)
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

    /// <summary>
    /// The steady state on the full 4^L operator space (no symmetry used), for cross-checks at small L.
    /// <paramref name="spinPicture"/> uses boundary jumps without Jordan–Wigner strings.
    /// Returns the q = 0 blocks and the largest entry of the full solution outside them.
    /// </summary>
    public static (FermionState State, double OffSector) FullSpace(FermionParameters p, bool spinPicture = false)
    {
        var sw = Stopwatch.StartNew();
        int L = p.Length, d = 1 << L;
        var H = Hamiltonian.Full(L, p.Hopping, p.Interaction, p.Fields.AsSpan());
        var c = JumpOperators.Full(L, p.Rates.ToArray(), spinPicture);
        var A = WithTraceRow(Liouvillian.Full(H, c), Enumerable.Range(0, d).Select(i => i + i * d), out var b);
        var (x, fill) = DirectSolver.Solve(A, b);
        var full = Matrix<Complex>.Build.Dense(d, d, x);
        var B = SectorBlocks.Create(L, p.Hopping, p.Interaction, p.Fields.AsSpan(), p.Rates.ToArray());
        var raw = new Matrix<Complex>[L + 1];
        double off = 0;
        var block = new int[d];
        for (int n = 0; n <= L; n++) foreach (var s in B.Basis.Blocks[n]) block[s] = n;
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
                if (block[i] != block[j]) off = Math.Max(off, full[i, j].Magnitude);
        for (int n = 0; n <= L; n++)
        {
            var st = B.Basis.Blocks[n];
            raw[n] = Matrix<Complex>.Build.Dense(st.Length, st.Length, (a, bb) => full[st[a], st[bb]]);
        }
        var report = new SolverReport(spinPicture ? "full-space-spin" : "full-space", sw.Elapsed.TotalSeconds,
            new Dictionary<string, double> { ["lu_nonzeros"] = fill });
        return (FermionState.FromRaw(p, B, raw, report), off);
    }
}
