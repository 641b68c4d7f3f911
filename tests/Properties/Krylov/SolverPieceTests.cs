using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LanguageExt;
using Ness.Operators.Fermion;
using Ness.Pipeline;
using Ness.Pipeline.Fermion;
using Ness.Pipeline.Fermion.Krylov;
using Ness.Numerics.Dense;
using Ness.Tests.Fermion;
using Ness.Numerics.Krylov;

namespace Ness.Tests.Krylov;

/// <summary>A dense nonsymmetric test operator.</summary>
sealed class DenseOperator(int n, double[] a) : ILinearOperator
{
    public int Dimension => n;

    public void Apply(ReadOnlySpan<double> x, Span<double> y)
    {
        for (int i = 0; i < n; i++)
        {
            double s = 0;
            for (int j = 0; j < n; j++) s += a[i * n + j] * x[j];
            y[i] = s;
        }
    }
}

/// <summary>A preconditioner that changes at every application (the diagonal scaled by a varying factor), which
/// only a flexible GMRES tolerates.</summary>
sealed class VaryingJacobi(int n, double[] a) : IPreconditioner
{
    int calls;

    public void Apply(ReadOnlySpan<double> r, Span<double> z)
    {
        double f = 1 + 0.3 * Math.Sin(++calls);
        for (int i = 0; i < n; i++) z[i] = r[i] / (f * a[i * n + i]);
    }
}

/// <summary>The pieces of the Krylov solver, each alone: the flexible GMRES, the stop rules, the two-level
/// preconditioner, the dense LU, and the two dense-kernel providers.</summary>
public class SolverPieceTests
{
    /// <summary>Nonsymmetric n×n matrices, n ≤ 40: a random matrix plus a shifted diagonal (regular, but not
    /// normal, with eigenvalues spread around the shift), and a right-hand side.</summary>
    public static Gen<(int n, double[] A, double[] b)> Systems =>
        from n in Gen.Choose(1, 40)
        from shift in Chains.Uniform(2.0, 6.0)
        from a in Chains.Uniform(-1, 1).ArrayOf(n * n)
        from b in Chains.Uniform(-1, 1).ArrayOf(n)
        where b.Any(v => v != 0)
        select (n, a.Select((v, k) => k % (n + 1) == 0 ? v + shift * Math.Sqrt(n) : v).ToArray(), b);

    [Property(MaxTest = 60)]
    public Property FlexibleGmresSolvesNonsymmetricSystemsToTolerance() =>
        Prop.ForAll(Systems.ToArbitrary(), Gen.Elements(1, 3, 7, 50).ToArbitrary(), Gen.Elements(0, 2).ToArbitrary(), (s, m, augment) =>
        {
            const double tol = 1e-10;
            var A = new DenseOperator(s.n, s.A);
            var x = new double[s.n];
            var gmres = FlexibleGmres.Create(DoublingRestart.Fixed(m), augment);
            var r = gmres.Solve(A, new VaryingJacobi(s.n, s.A), s.b, x, new Iterator(new ResidualTolerance(tol, 0), new IterationBudget(5000)));
            var Ax = new double[s.n];
            A.Apply(x, Ax);
            double res = Math.Sqrt(Ax.Zip(s.b).Sum(t => (t.Item1 - t.Item2) * (t.Item1 - t.Item2)));
            double bn = Math.Sqrt(s.b.Sum(v => v * v));
            return (r.Status == IterationStatus.Converged && res <= tol * bn)
                .Label($"n = {s.n}, m = {m}: {r.Status} after {r.Iterations} iterations, ||b − Ax||/||b|| = {res / bn:E2}");
        });

    /// <summary>A solve and then a second solve (as iterative refinement's correction after the solve) through one
    /// <see cref="GmresMemory"/>: both give bit for bit what a fresh solve gives, and together they allocate at most
    /// <see cref="FlexibleGmres.Workspace"/> doubles, one set of vectors (the refinement's memory estimate counts one).
    /// A first cycle of 1 that stagnation doubles covers the restart growth (the grown basis keeps the old vectors).</summary>
    [Property(MaxTest = 60)]
    public Property FlexibleGmresReusesItsVectorsForTheNextSolve() =>
        Prop.ForAll(Systems.ToArbitrary(), Gen.Elements(1, 3, 7, 50).ToArbitrary(), Gen.Elements(0, 2).ToArbitrary(), (s, m, augment) =>
        {
            var A = new DenseOperator(s.n, s.A);
            var b2 = s.b.Select((v, i) => v * Math.Cos(i) + 0.5).ToArray();
            var restart = m == 1 ? new DoublingRestart(1, 8, _ => true) : DoublingRestart.Fixed(m);
            int used = FlexibleGmres.Create(restart, augment).Augment;
            (double[] x, GmresResult r) Run(double[] b, GmresMemory? memory, Iterator stop)
            {
                var x = new double[s.n];
                var r = FlexibleGmres.Create(restart, augment).Solve(A, new VaryingJacobi(s.n, s.A), b, x, stop, memory);
                return (x, r);
            }
            Iterator Stop() => new(new ResidualTolerance(1e-10, 0), new Stagnation(), new IterationBudget(5000));
            var memory = new GmresMemory();
            var (x1, r1) = Run(s.b, memory, Stop());
            var (x2, r2) = Run(b2, memory, Stop());
            var (y1, _) = Run(s.b, null, Stop());
            var (y2, _) = Run(b2, null, Stop());
            int longest = Math.Max(r1.Cycle, r2.Cycle);
            double allowed = FlexibleGmres.Workspace(s.n, longest, used);
            return (x1.SequenceEqual(y1) && x2.SequenceEqual(y2) && memory.AllocatedDoubles <= allowed
                    && r1.Status == IterationStatus.Converged && r2.Status == IterationStatus.Converged)
                .Label($"n = {s.n}, m = {m}, augment {used}: {r1.Status}/{r2.Status}, cycles {r1.Cycle}/{r2.Cycle}, " +
                       $"allocated {memory.AllocatedDoubles} doubles, workspace {allowed}; same as fresh: {x1.SequenceEqual(y1)}, {x2.SequenceEqual(y2)}");
        });

    static Checkpoint At(double res, double xNorm, double bNorm, int iterations = 0) =>
        new(iterations, 0, res, xNorm, bNorm, [], [], TimeSpan.Zero);

    /// <summary>The residual rule accepts exactly the residuals at or below its bound.</summary>
    [Property(MaxTest = 200)]
    public Property ResidualRuleNeverAcceptsAboveTolerance() =>
        Prop.ForAll((from logTol in Chains.Uniform(-20, 0) from logRes in Chains.Uniform(-25, 5)
                     from norm in Chains.Uniform(0, 10) from x in Chains.Uniform(0, 3) select (logTol, logRes, norm, x)).ToArbitrary(), t =>
            {
                var (logTol, logRes, norm, x) = t;
                double tol = Math.Pow(10, logTol), res = Math.Pow(10, logRes);
                var c = At(res, x, 0);
                var rule = new ResidualTolerance(tol, norm);
                bool accepted = rule.Check(c) == IterationStatus.Converged;
                bool verdict = new Iterator(rule, new Stagnation(), new IterationBudget(10)).Check(c) == IterationStatus.Converged;
                return (accepted == (res <= tol * norm * x) && verdict == accepted).Label($"tol {tol:E2}, rel {res / (norm * x):E2}");
            });

    /// <summary>The continuity rule never accepts a state whose relative residual is above its residual bound,
    /// nor one whose currents disagree by more than its current tolerance, on iterates that are steady states
    /// perturbed by a random amount.</summary>
    [Property(MaxTest = 30)]
    public Property ContinuityRuleNeverAcceptsAboveTolerance() =>
        Prop.ForAll(KrylovChains.Chain(2, 4).ToArbitrary(), Chains.Uniform(-16, -2).ToArbitrary(), Gen.Choose(0, 1000).ToArbitrary(),
            (p, logEps, seed) =>
            {
                var B = SectorBlocks.Create(p.Length, p.Hopping, p.Interaction, p.Fields.AsSpan(), p.Rates.ToArray());
                var blocks = new BlockLiouvillian(B);
                var A = new PackedLiouvillian(blocks);
                var s = Chains.Ok(Chains.State(p));
                int D = A.Dimension;
                var re = new double[D]; var im = new double[D];
                for (int n = 0; n <= p.Length; n++)
                {
                    int d = blocks.Size[n], o = blocks.Offset[n];
                    for (int a = 0; a < d; a++)
                        for (int b = 0; b < d; b++) { re[o + a * d + b] = s.Rho[n][a, b].Real; im[o + a * d + b] = s.Rho[n][a, b].Imaginary; }
                }
                var x = new double[D];
                blocks.Pack(re, im, x);
                var rnd = new Random(seed);
                double eps = Math.Pow(10, logEps);
                for (int k = 0; k < D; k++) x[k] += eps * (rnd.NextDouble() - 0.5);
                var r = new double[D];
                A.Apply(x, r);
                double lNorm = SectorLiouvillian.NormEstimate(B);
                double res = Math.Sqrt(r.Sum(v => v * v)), xn = Math.Sqrt(x.Sum(v => v * v));
                var rule = new ContinuityCriterion(blocks, p.Hopping, lNorm, 1e-12, 1e-6);
                bool accepted = rule.Check(new Checkpoint(0, 0, res, xn, 0, x, r, TimeSpan.Zero)) == IterationStatus.Converged;
                var (defect, current) = ContinuityCriterion.Defect(blocks, p.Hopping, x, r);
                double rel = res / (lNorm * xn);
                bool ok = !accepted || (rel <= 1e-12 && defect <= 1e-6 * Math.Abs(current));
                return ok.Label($"accepted at relative residual {rel:E2}, defect/current {defect / Math.Abs(current):E2}");
            });

    /// <summary>The continuity defect is what it claims: for the exact steady state it vanishes (to rounding),
    /// and its current is the bond current of the result.</summary>
    [Property(MaxTest = 20)]
    public Property ContinuityDefectOfTheSteadyStateVanishes() =>
        Prop.ForAll(KrylovChains.Chain(2, 5).ToArbitrary(), p =>
        {
            var res = Chains.Solve(p);
            var s = Chains.Ok(Chains.State(p));
            var B = s.Model;
            var blocks = new BlockLiouvillian(B);
            int D = blocks.Dimension;
            var re = new double[D]; var im = new double[D];
            for (int n = 0; n <= p.Length; n++)
            {
                int d = blocks.Size[n], o = blocks.Offset[n];
                for (int a = 0; a < d; a++)
                    for (int b = 0; b < d; b++) { re[o + a * d + b] = s.Rho[n][a, b].Real; im[o + a * d + b] = s.Rho[n][a, b].Imaginary; }
            }
            var x = new double[D];
            blocks.Pack(re, im, x);
            var r = new double[D];
            new PackedLiouvillian(blocks).Apply(x, r);
            var (defect, current) = ContinuityCriterion.Defect(blocks, p.Hopping, x, r);
            double mean = res.Currents.Bonds.Average();
            return (defect <= 1e-10 * Math.Max(1, Math.Abs(mean)) && Math.Abs(current - mean) <= 1e-9 * Math.Max(1e-12, Math.Abs(mean)))
                .Label($"defect {defect:E2}, current {current:E6} vs bonds {mean:E6}");
        });

    /// <summary>The coarse correction is exact on the coarse space: for a coarse vector c (traceless populations and
    /// any coherences of the chosen near-degenerate pairs), the correction of r = L(P c) is P c (the coarse operator
    /// is the Galerkin one, P^T L P), with the transfers in double precision (in single they agree with these within
    /// their rounding: <c>CoarseTransferTests</c>).</summary>
    [Property(MaxTest = 25)]
    public Property PreconditionerIsExactOnItsCoarseSpace() =>
        Prop.ForAll(BlockKernelTests.Small.Where(t => t.g.Min() > 0.05).ToArbitrary(), Gen.Choose(0, 12).ToArbitrary(),
            Gen.Elements(0.0, TwoLevelPreconditioner.CarriedThreshold).ToArbitrary(), (t, pairs, carried) =>
        {
            var B = SectorBlocks.Create(t.L, 1, 1, t.h, t.g);
            var blocks = new BlockLiouvillian(B);
            var M = Chains.Ok(TwoLevelPreconditioner.Create(blocks, DenseKernels.Best, 1, pairs, minCarried: carried, singleTransfer: false));
            var c = t.x.Concat(t.y).Take(M.CoarseDimension).ToArray();   // 2^L + 2 pairs ≤ 2 C(2L, L)
            int populations = 1 << t.L;                         // populations first, then coherences (traceless)
            double mean = c.Take(populations).Average();
            for (int k = 0; k < populations; k++) c[k] -= mean;
            int D = blocks.Dimension;
            var xR = new double[D]; var xI = new double[D];
            M.Prolong(c, xR, xI, add: false);
            var rR = new double[D]; var rI = new double[D];
            blocks.Apply(xR, xI, rR, rI);
            var zR = new double[D]; var zI = new double[D];
            M.CoarseCorrect(rR, rI, zR, zI);
            double err = 0, scale = xR.Max(Math.Abs);
            for (int k = 0; k < D; k++) err = Math.Max(err, Math.Max(Math.Abs(zR[k] - xR[k]), Math.Abs(zI[k] - xI[k])));
            return (err <= 1e-9 * Math.Max(scale, 1e-300)).Label($"max |z − P c| = {err:E2} (max |P c| = {scale:E2})");
        });

    /// <summary>A regular matrix whose determinant underflows (n = 256, all pivots 1e-3: det = 1e-768) is not
    /// declared singular by either LU, and both solve it; a matrix with a zero column is singular for both.</summary>
    [Fact]
    public void LuDecidesSingularityOnPivotsNotTheDeterminant()
    {
        int n = 256;
        var rnd = new Random(7);
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = i; j < n; j++) a[i * n + j] = i == j ? 1e-3 : 1e-4 * (rnd.NextDouble() - 0.5);
        var x = Enumerable.Range(0, n).Select(i => Math.Cos(i)).ToArray();
        var b = new double[n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) b[i] += a[i * n + j] * x[j];
        foreach (var k in Providers())
        {
            var lu = k.Factor(n, a);
            Assert.False(lu.Singular, $"{k.Name}: declared singular");
            var y = (double[])b.Clone();
            lu.Solve(y);
            Assert.True(y.Zip(x).Max(t => Math.Abs(t.Item1 - t.Item2)) <= 1e-8, $"{k.Name}: wrong solution");
            var s = (double[])a.Clone();
            for (int i = 0; i < n; i++) s[i * n + 5] = 0;
            Assert.True(k.Factor(n, s).Singular, $"{k.Name}: zero column not singular");
        }
    }

    /// <summary>Both providers must be testable: the OpenBLAS one is required here (.ci/run installs it).</summary>
    static IEnumerable<DenseKernels> Providers()
    {
        Assert.True(DenseKernels.OpenBlas is not null, "libopenblas.so.0 cannot be loaded: apt-get install -y libopenblas0-pthread");
        return [DenseKernels.Managed, DenseKernels.OpenBlas!];
    }

    /// <summary>The managed and the OpenBLAS kernels give the same steady state at L = 8 (h = 10, seed 1): the
    /// Krylov iteration takes different rounding paths, but both converge to the certified state.</summary>
    [Fact]
    public void ManagedAndOpenBlasKernelsGiveTheSameSteadyStateAtL8()
    {
        var h = Disorder.Uniform(1, 0, 8, -10, 10);
        var rho = Providers().Select(k =>
            Chains.Ok(Chains.State(Chains.Make(8, 1, 1, [3, 1, 2, 1], h), FermionSolver.Krylov, KrylovOptions.Default with { Kernels = k, Threads = 2 }))).ToArray();
        double err = 0, scale = 0;
        for (int n = 0; n <= 8; n++)
        {
            err = Math.Max(err, (rho[0].Rho[n] - rho[1].Rho[n]).Enumerate().Max(z => z.Magnitude));
            scale = Math.Max(scale, rho[0].Rho[n].Enumerate().Max(z => z.Magnitude));
        }
        Assert.True(err <= 1e-10, $"max |rho_managed − rho_openblas| = {err:E2} (max |rho| = {scale:E2})");
    }

    /// <summary>dsyevd through OpenBLAS on random symmetric matrices (n ≤ 40): eigenvalues ascending and equal to
    /// MathNet's, eigenvectors orthonormal with H U = U diag(E), all to 1e-12 of the matrix scale.</summary>
    [Property(MaxTest = 40)]
    public Property OpenBlasSymmetricEigenSolvesTheEigenproblem() =>
        Prop.ForAll(Arb.From(Systems), sys =>
        {
            var (n, a, _) = sys;
            var h = new double[n * n];
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) h[i * n + j] = 0.5 * (a[i * n + j] + a[j * n + i]);
            var ok = Providers().Last().TrySymmetricEigen(n, h, out var e, out var u);
            var reference = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(n, n, (i, j) => h[i * n + j])
                .Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric).EigenValues.Select(z => z.Real).ToArray();
            double scale = h.Max(Math.Abs), res = 0, orth = 0, dev = 0;
            for (int k = 0; k < n; k++)
            {
                dev = Math.Max(dev, Math.Abs(e[k] - reference[k]));
                if (k > 0 && e[k] < e[k - 1]) dev = double.PositiveInfinity;
                for (int i = 0; i < n; i++)
                {
                    double hu = 0;
                    for (int j = 0; j < n; j++) hu += h[i * n + j] * u[j * n + k];
                    res = Math.Max(res, Math.Abs(hu - e[k] * u[i * n + k]));
                }
                for (int l = 0; l < n; l++)
                {
                    double dot = 0;
                    for (int i = 0; i < n; i++) dot += u[i * n + k] * u[i * n + l];
                    orth = Math.Max(orth, Math.Abs(dot - (k == l ? 1 : 0)));
                }
            }
            return (ok && dev <= 1e-12 * scale && res <= 1e-12 * scale && orth <= 1e-12)
                .Label($"n = {n}: ok {ok}, |E − MathNet| {dev:E2}, |HU − UE| {res:E2}, |U^T U − 1| {orth:E2} (scale {scale:E2})");
        });

    /// <summary>zgetrf/zgetri through OpenBLAS on random complex matrices (the shifted nonsymmetric systems as real
    /// parts, a second draw as imaginary parts): A · inv(A) = 1 to 1e-12.</summary>
    [Property(MaxTest = 40)]
    public Property OpenBlasInverseInverts() =>
        Prop.ForAll(Arb.From(from s1 in Systems from im in Chains.Uniform(-1, 1).ArrayOf(s1.n * s1.n) select (s1.n, s1.A, im)), sys =>
        {
            var (n, re, im) = sys;
            var a = new double[2 * n * n];
            for (int k = 0; k < n * n; k++) { a[2 * k] = re[k]; a[2 * k + 1] = im[k]; }
            var ok = Providers().Last().TryInverse(n, a, out var inv);
            double err = 0;
            for (int i = 0; i < n && ok; i++)
                for (int j = 0; j < n; j++)
                {
                    double sr = 0, si = 0;
                    for (int k = 0; k < n; k++)
                    {
                        double ar = a[2 * (i * n + k)], ai = a[2 * (i * n + k) + 1], br = inv[2 * (k * n + j)], bi = inv[2 * (k * n + j) + 1];
                        sr += ar * br - ai * bi; si += ar * bi + ai * br;
                    }
                    err = Math.Max(err, Math.Abs(sr - (i == j ? 1 : 0)) + Math.Abs(si));
                }
            return (ok && err <= 1e-12).Label($"n = {n}: ok {ok}, |A inv(A) − 1| = {err:E2}");
        });

    /// <summary>J = 0 decouples the inner sites: with either kernels the coarse problem is singular and the
    /// solver says so with the typed error, not by an exception.</summary>
    [Fact]
    public void SingularCoarseProblemIsATypedResultWithBothKernels()
    {
        foreach (var k in Providers())
        {
            var r = Chains.State(Chains.Make(5, 0, 1, [3, 1, 2, 1], [1, 2, 3, 4, 5]), FermionSolver.Krylov, KrylovOptions.Default with { Kernels = k });
            Assert.True(r.IsFail, k.Name);
            r.IfFail(e => { Assert.IsType<SteadyStateNotUnique>(e); Assert.Equal(3, e.Code); });
        }
    }
}
