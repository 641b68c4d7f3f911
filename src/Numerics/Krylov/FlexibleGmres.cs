using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LanguageExt;

namespace Ness.Numerics.Krylov;

/// <summary>
/// Restarted flexible GMRES (Saad 1993) for A x = b with a right preconditioner that may vary: each cycle
/// keeps Z_j = M^{-1} v_j and updates x += Z y, so the correction is exactly what was computed. Optional loose
/// GMRES augmentation (LGMRES, Baker–Jessup–Manteuffel 2005): the last <see cref="Augment"/> directions of a
/// cycle are the corrections of earlier cycles (one A application each, no preconditioner).
/// At every restart the TRUE residual b − A x is recomputed and handed to the <see cref="Iterator"/>; only its
/// verdict ends the solve. On stagnation the solver first drops the augmentation (once), then asks the
/// <see cref="IRestartPolicy"/> for a longer cycle, and only then gives up.
/// </summary>
public sealed class FlexibleGmres
{
    public IRestartPolicy Restart { get; }
    public int Augment { get; }

    /// <summary>Called at every checkpoint (progress reports, traces).</summary>
    public Action<Checkpoint> OnCheckpoint { get; }

    FlexibleGmres(IRestartPolicy restart, int augment, Action<Checkpoint> onCheckpoint) =>
        (Restart, Augment, OnCheckpoint) = (restart, augment, onCheckpoint);

    public static FlexibleGmres Create(IRestartPolicy restart, int augment = 0, Action<Checkpoint>? onCheckpoint = null)
    {
        if (restart.Initial < 1) throw new ArgumentOutOfRangeException(nameof(restart), "cycle length >= 1");
        return new FlexibleGmres(restart, Math.Clamp(augment, 0, restart.Initial - 1), onCheckpoint ?? (_ => { }));
    }

    /// <summary>Doubles held at cycle length m on vectors of dimension D: V (m + 1), Z (m), the augmentation,
    /// and the residual and scratch vectors (the iterate x and b belong to the caller).</summary>
    public static double Workspace(long D, int m, int augment) => (double)D * (2 * m + 1 + augment + 2);

    /// <summary>Solves A x = b from the initial guess in <paramref name="x"/> (overwritten with the solution):
    /// cycles of <see cref="Arnoldi"/> and <see cref="Correct"/> between checkpoints of the true residual, until the
    /// verdict of <paramref name="stop"/> is not Continue and no remedy (<see cref="Remedy"/>) is left.
    /// <para>With <paramref name="memory"/> the basis, the residual and the augmentation vectors are taken from it and
    /// left in it for the next solve on the same dimension (an iterative refinement's corrections after the solve
    /// itself), instead of a new set per solve (<see cref="GmresMemory"/>).</para></summary>
    public GmresResult Solve(ILinearOperator A, IPreconditioner M, ReadOnlySpan<double> b, double[] x, Iterator stop,
        GmresMemory? memory = null)
    {
        int D = A.Dimension;
        if (b.Length != D || x.Length != D) throw new ArgumentException("FGMRES: b and x must have the operator's dimension");
        var clock = Stopwatch.StartNew();
        memory ??= new GmresMemory();
        var aug = new List<double[]>();          // latest first
        try { return Cycles(A, M, b, x, stop, memory, aug, clock, D); }
        finally { memory.Return(aug); }
    }

    GmresResult Cycles(ILinearOperator A, IPreconditioner M, ReadOnlySpan<double> b, double[] x, Iterator stop, GmresMemory memory,
        List<double[]> aug, Stopwatch clock, int D)
    {
        var w = memory.Basis(Restart.Initial, D);
        var r = memory.Residual(D);
        bool augDropped = Augment == 0;
        double bNorm = Math.Sqrt(Dot(b, b));
        int iterations = 0, restarts = 0, growths = 0;

        while (true)
        {
            var c = Checkpoint(A, b, x, r, bNorm, iterations, restarts, clock);
            OnCheckpoint(c);
            var status = stop.Check(c);
            if (status == IterationStatus.Stagnated && Remedy(ref w, ref augDropped, aug, ref growths, D, memory))
            {
                stop.Reset();
                status = IterationStatus.Continue;
            }
            if (status != IterationStatus.Continue)
                return new GmresResult(status, iterations, restarts, w.M, growths, c.ResidualNorm, c.SolutionNorm);
            if (c.ResidualNorm == 0) return new GmresResult(IterationStatus.Converged, iterations, restarts, w.M, growths, 0, c.SolutionNorm);

            restarts++;
            int j = Arnoldi(A, M, w, r, c.ResidualNorm, aug, stop.CycleTarget(c));
            iterations += j;
            Correct(w, j, x, aug, keep: !augDropped && Augment > 0, D, memory);
        }
    }

    /// <summary>The basis, the Hessenberg matrix and its Givens rotations of a cycle of length <see cref="M"/>.</summary>
    internal sealed class Basis(int m, double[][] v, double[][] z)
    {
        public readonly int M = m;
        public readonly double[][] V = v, Z = z;          // at least m + 1 and m vectors (more when kept from a longer cycle)
        public readonly double[,] H = new double[m + 1, m];
        public readonly double[] Cs = new double[m], Sn = new double[m], G = new double[m + 1];
    }

    /// <summary>The checkpoint at x: r = b − A x, the TRUE residual, recomputed from the iterate.</summary>
    Checkpoint Checkpoint(ILinearOperator A, ReadOnlySpan<double> b, double[] x, double[] r, double bNorm,
        int iterations, int restarts, Stopwatch clock)
    {
        A.Apply(x, r);
        for (int k = 0; k < r.Length; k++) r[k] = b[k] - r[k];
        double res = Math.Sqrt(Dot(r, r));
        return new Checkpoint(iterations, restarts, res, Math.Sqrt(Dot(x, x)), bNorm, x, r, clock.Elapsed);
    }

    /// <summary>After stagnation: first drop the augmentation (plain FGMRES cycles, once), then a longer cycle from
    /// the <see cref="IRestartPolicy"/>. False when neither is left.</summary>
    bool Remedy(ref Basis w, ref bool augDropped, List<double[]> aug, ref int growths, int D, GmresMemory memory)
    {
        if (!augDropped)
        {
            memory.Return(aug);
            augDropped = true;
            return true;
        }
        if (Restart.Grow(w.M).Case is int longer)
        {
            w = memory.Basis(longer, D);
            growths++;
            return true;
        }
        return false;
    }

    /// <summary>One cycle of flexible Arnoldi from the residual r (norm <paramref name="res"/>): Z_j = M^{-1} v_j (or an
    /// augmentation vector in the last slots), v_{j+1} = A Z_j orthogonalized by modified Gram–Schmidt, the
    /// Hessenberg column reduced by Givens rotations; stops early when the residual estimate |g_{j+1}| reaches
    /// <paramref name="target"/> or the basis breaks down. Returns the number of steps j (one A application each).</summary>
    static int Arnoldi(ILinearOperator A, IPreconditioner M, Basis w, double[] r, double res, List<double[]> aug, double target)
    {
        int m = w.M, D = r.Length;
        var (V, Z, H, cs, sn, g) = (w.V, w.Z, w.H, w.Cs, w.Sn, w.G);
        for (int k = 0; k < D; k++) V[0][k] = r[k] / res;
        Array.Clear(g);
        g[0] = res;
        int j = 0;
        for (; j < m; j++)
        {
            int firstAug = m - aug.Count;
            if (j >= firstAug) aug[j - firstAug].CopyTo(Z[j], 0);
            else M.Apply(V[j], Z[j]);
            A.Apply(Z[j], V[j + 1]);
            var v = V[j + 1];
            for (int i = 0; i <= j; i++)                     // modified Gram–Schmidt
            {
                double h = Dot(V[i], v);
                H[i, j] = h;
                Axpy(-h, V[i], v);
            }
            double hn = Math.Sqrt(Dot(v, v));
            H[j + 1, j] = hn;
            if (hn > 0) Scale(1 / hn, v);
            for (int i = 0; i < j; i++)                      // earlier Givens rotations
            {
                double t = cs[i] * H[i, j] + sn[i] * H[i + 1, j];
                H[i + 1, j] = -sn[i] * H[i, j] + cs[i] * H[i + 1, j];
                H[i, j] = t;
            }
            double den = Math.Sqrt(H[j, j] * H[j, j] + hn * hn);
            cs[j] = den == 0 ? 1 : H[j, j] / den;
            sn[j] = den == 0 ? 0 : hn / den;
            H[j, j] = den;
            H[j + 1, j] = 0;
            g[j + 1] = -sn[j] * g[j];
            g[j] = cs[j] * g[j];
            if (Math.Abs(g[j + 1]) <= target || hn == 0) { j++; break; }
        }
        return j;
    }

    /// <summary>x += Z y with y = H^{-1} g (back substitution over the j steps of the cycle); with
    /// <paramref name="keep"/> the normalized correction joins the augmentation (latest first, at most
    /// <see cref="Augment"/>, the oldest array reused).</summary>
    void Correct(Basis w, int j, double[] x, List<double[]> aug, bool keep, int D, GmresMemory memory)
    {
        var (Z, H, g) = (w.Z, w.H, w.G);
        var y = new double[j];
        for (int i = j - 1; i >= 0; i--)
        {
            double s = g[i];
            for (int k = i + 1; k < j; k++) s -= H[i, k] * y[k];
            y[i] = H[i, i] == 0 ? 0 : s / H[i, i];
        }
        double[] corr;
        if (keep && aug.Count == Augment) { corr = aug[^1]; aug.RemoveAt(aug.Count - 1); Array.Clear(corr); }
        else { corr = memory.Vector(D); Array.Clear(corr); }
        for (int i = 0; i < j; i++) Axpy(y[i], Z[i], corr);
        Axpy(1, corr, x);
        double cn = keep ? Math.Sqrt(Dot(corr, corr)) : 0;
        if (cn > 0) { Scale(1 / cn, corr); aug.Insert(0, corr); }
        else memory.Return(corr);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var va = MemoryMarshal.Cast<double, Vector<double>>(a);
        var vb = MemoryMarshal.Cast<double, Vector<double>>(b);
        var acc = Vector<double>.Zero;
        for (int i = 0; i < va.Length; i++) acc += va[i] * vb[i];
        double s = Vector.Sum(acc);
        for (int i = va.Length * Vector<double>.Count; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Axpy(double alpha, ReadOnlySpan<double> x, Span<double> y)
    {
        var vx = MemoryMarshal.Cast<double, Vector<double>>(x);
        var vy = MemoryMarshal.Cast<double, Vector<double>>(y);
        var va = new Vector<double>(alpha);
        for (int i = 0; i < vx.Length; i++) vy[i] += va * vx[i];
        for (int i = vx.Length * Vector<double>.Count; i < x.Length; i++) y[i] += alpha * x[i];
    }

    static void Scale(double alpha, Span<double> x)
    {
        for (int i = 0; i < x.Length; i++) x[i] *= alpha;
    }
}
