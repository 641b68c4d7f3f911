using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LanguageExt;

namespace Ness.Pipeline.Fermion.Krylov;

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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public GmresResult Solve(ILinearOperator A, IPreconditioner M, ReadOnlySpan<double> b, double[] x, Iterator stop)
    {
        int D = A.Dimension;
        if (b.Length != D || x.Length != D) throw new ArgumentException("FGMRES: b and x must have the operator's dimension");
        var clock = Stopwatch.StartNew();
        int m = Restart.Initial;
        var V = Vectors(m + 1, D);
        var Z = Vectors(m, D);
        var H = new double[m + 1, m];
        var cs = new double[m]; var sn = new double[m]; var g = new double[m + 1];
        var r = new double[D];
        var aug = new List<double[]>();          // latest first
        bool augDropped = Augment == 0;
        double bNorm = Math.Sqrt(Dot(b, b));
        int iterations = 0, restarts = 0, growths = 0;
        var history = new List<double>();
        Checkpoint c;

        while (true)
        {
            A.Apply(x, r);                                       // r = b − A x, the true residual
            for (int k = 0; k < D; k++) r[k] = b[k] - r[k];
            double res = Math.Sqrt(Dot(r, r));
            history.Add(res);
            c = new Checkpoint(iterations, restarts, res, Math.Sqrt(Dot(x, x)), bNorm, x, r, clock.Elapsed);
            OnCheckpoint(c);
            var status = stop.Check(c);
            if (status == IterationStatus.Stagnated)
            {
                if (!augDropped)
                {
                    aug.Clear();                                 // first remedy: plain FGMRES cycles
                    augDropped = true;
                    stop.Reset();
                    status = IterationStatus.Continue;
                }
                else if (Restart.Grow(m).Case is int longer)
                {
                    m = longer;                                  // second remedy: a longer cycle, from here
                    V = Vectors(m + 1, D);
                    Z = Vectors(m, D);
                    H = new double[m + 1, m];
                    cs = new double[m]; sn = new double[m]; g = new double[m + 1];
                    growths++;
                    stop.Reset();
                    status = IterationStatus.Continue;
                }
            }
            if (status != IterationStatus.Continue)
                return new GmresResult(status, iterations, restarts, m, growths, res, c.SolutionNorm, history);
            if (res == 0) return new GmresResult(IterationStatus.Converged, iterations, restarts, m, growths, 0, c.SolutionNorm, history);

            // one cycle
            restarts++;
            double target = stop.CycleTarget(c);
            for (int k = 0; k < D; k++) V[0][k] = r[k] / res;
            Array.Clear(g);
            g[0] = res;
            int j = 0;
            for (; j < m; j++)
            {
                int firstAug = m - aug.Count;
                if (j >= firstAug)
                {
                    aug[j - firstAug].CopyTo(Z[j], 0);
                    A.Apply(Z[j], V[j + 1]);
                }
                else
                {
                    M.Apply(V[j], Z[j]);
                    A.Apply(Z[j], V[j + 1]);
                }
                iterations++;
                var w = V[j + 1];
                for (int i = 0; i <= j; i++)                     // modified Gram–Schmidt
                {
                    double h = Dot(V[i], w);
                    H[i, j] = h;
                    Axpy(-h, V[i], w);
                }
                double hn = Math.Sqrt(Dot(w, w));
                H[j + 1, j] = hn;
                if (hn > 0) Scale(1 / hn, w);
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
            // y = H^{-1} g (back substitution); correction = Z y
            var y = new double[j];
            for (int i = j - 1; i >= 0; i--)
            {
                double s = g[i];
                for (int k = i + 1; k < j; k++) s -= H[i, k] * y[k];
                y[i] = H[i, i] == 0 ? 0 : s / H[i, i];
            }
            bool keep = !augDropped && Augment > 0;
            double[] corr;
            if (keep && aug.Count == Augment) { corr = aug[^1]; aug.RemoveAt(aug.Count - 1); Array.Clear(corr); }
            else corr = new double[D];
            for (int i = 0; i < j; i++) Axpy(y[i], Z[i], corr);
            Axpy(1, corr, x);
            if (keep)
            {
                double cn = Math.Sqrt(Dot(corr, corr));
                if (cn > 0) { Scale(1 / cn, corr); aug.Insert(0, corr); }
            }
        }
    }

    static double[][] Vectors(int count, int D)
    {
        var v = new double[count][];
        for (int i = 0; i < count; i++) v[i] = new double[D];
        return v;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
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
