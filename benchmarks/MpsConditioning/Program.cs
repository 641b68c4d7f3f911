using MathNet.Numerics.LinearAlgebra;
using Ness.Pipeline;
using Ness.Pipeline.Fermion;
using Ness.Pipeline.Fermion.Mps;
using Ness.Pipeline.Fermion.Mps.Tensors;
using Ness.Sparse.Dense;

// The measurements of docs/mps.md ("Why it does not converge at strong disorder").
//   rates L W seeds      V = 0: the population relaxation rates of the single-particle modes (Liouvillian gap),
//                        and the profile error a relative residual r can leave, r ||L||_est C / rate_min
//   best L W V seed chis [galerkin|mr]
//                        the exact NESS (direct/krylov) as an MPS truncated to each chi (best approximation):
//                        Schmidt spectrum of the middle cut, |dn| and residual at each chi; with galerkin|mr,
//                        4 alternating-solver sweeps started from that best approximation
var K = DenseKernels.Best;
switch (args[0])
{
    case "rates":
    {
        int L = int.Parse(args[1]); double W = double.Parse(args[2]); int seeds = int.Parse(args[3]);
        var mins = new List<double>();
        for (int seed = 1; seed <= seeds; seed++)
        {
            var p = Ok(FermionChain.Disordered(L, W, seed, interaction: 0, solver: FermionSolver.Gaussian));
            var s = Ok(FermionChain.SteadyState(p));
            var H = Matrix<double>.Build.Dense(L, L);
            for (int x = 0; x < L; x++) { H[x, x] = 2 * p.Fields[x]; if (x + 1 < L) H[x, x + 1] = H[x + 1, x] = p.Hopping; }
            var psi = H.Evd(Symmetricity.Symmetric).EigenVectors;
            double G1 = p.Rates.G1p + p.Rates.G1m, GL = p.Rates.GLp + p.Rates.GLm;
            // population of mode k relaxes at G1 |psi_k(1)|^2 + GL |psi_k(L)|^2 (weak-coupling rate; eigenvector
            // components below ~1e-8 carry LAPACK's absolute accuracy: rates below ~1e-16 are upper bounds)
            double rmin = Enumerable.Range(0, L).Min(k => G1 * psi[0, k] * psi[0, k] + GL * psi[L - 1, k] * psi[L - 1, k]);
            double C = s.Profile.Aggregate(1.0, (c, n) => c * Math.Sqrt(1 + (2 * n - 1) * (2 * n - 1)));
            double norm = MpsSolver.NormBound(p);
            mins.Add(rmin);
            Console.WriteLine($"L {L} W {W} seed {seed}: min population rate {rmin:E2}, ||L||_est {norm:F0}, C {C:E2}, " +
                $"|dn| bound at r = 1e-16: {1e-16 * norm * C / rmin:E1}, at r = 1e-10: {1e-10 * norm * C / rmin:E1}");
        }
        mins.Sort();
        Console.WriteLine($"L {L} W {W}: min population rate over {seeds} seeds: median {mins[mins.Count / 2]:E1}, smallest {mins[0]:E1}, largest {mins[^1]:E1}");
        break;
    }
    case "best":
    {
        int L = int.Parse(args[1]); double W = double.Parse(args[2]), V = double.Parse(args[3]); long seed = long.Parse(args[4]);
        var chis = args[5].Split(',').Select(int.Parse).ToArray();
        string? als = args.Length > 6 ? args[6] : null;
        var p = Ok(FermionChain.Disordered(L, W, seed, interaction: V, solver: L <= 6 ? FermionSolver.Direct : FermionSolver.Krylov));
        var s = Ok(FermionChain.SteadyState(p, FermionExtras.DensityMatrix));
        var c = ExactStateMps.Coefficients(L, s.DensityMatrix.Match(b => b, () => throw new InvalidOperationException()));
        int m = 1 << L;                                           // middle cut 4^(L/2) x 4^(L/2) for even L
        int rows = 1 << (2 * (L / 2)), cols = c.Length / rows;
        var sv = Matrix<double>.Build.Dense(rows, cols, (i, j) => c[i * cols + j]).Svd(false).S;
        Console.WriteLine($"L {L} W {W} V {V} seed {seed}: middle-cut Schmidt values s_chi/s_0 at chi = 8, 16, 32, 64, 128, 256: " +
            string.Join(" ", new[] { 8, 16, 32, 64, 128, 256 }.Where(r => r < sv.Count).Select(r => (sv[r] / sv[0]).ToString("E1"))));
        var Lm = LiouvillianMpo.Create(p);
        double lNorm = MpsSolver.NormBound(p);
        double Rel(MatrixProductState x) => Networks.NormOfProduct(Lm, x) / (lNorm * Networks.Norm(K, x));
        double Dn(MatrixProductState x) => s.Profile.Zip(MpsObservables.Of(x, p.Hopping).Profile).Max(t => Math.Abs(t.Item1 - t.Item2));
        foreach (int chi in chis)
        {
            var (psi, discarded) = ExactStateMps.Of(L, c, chi);
            Console.WriteLine($"  chi {chi}: best approximation |dn| {Dn(psi):E2}, relative residual {Rel(psi):E2}, discarded weight {discarded:E2}");
            if (als is null) continue;
            var start = psi.Copy();
            Canonical.RightOrthonormalize(start);
            double kappa = 0.5 * p.Rates.ToArray().Sum();
            var M = MatrixProductOperator.Sum(Lm, LiouvillianMpo.TraceProjector(L), kappa);
            double[] u = [0.5, 0.5, 0, 0];
            var solver = als == "mr"
                ? new AlternatingSolver(K, MatrixProductOperator.TransposeTimes(M), u, kappa * kappa, chi, start)
                : new AlternatingSolver(K, M, u, kappa, chi, start);
            for (int sweep = 1; sweep <= 4; sweep++)
            {
                double t;
                try { t = solver.Sweep(chi); }
                catch (InvalidOperationException e) { Console.WriteLine($"    {als} sweep {sweep}: {e.Message}"); break; }
                Console.WriteLine($"    {als} sweep {sweep} from it: |dn| {Dn(solver.Psi):E2}, relative residual {Rel(solver.Psi):E2}, truncation {t:E2}");
            }
        }
        break;
    }
    default:
        Console.Error.WriteLine("usage: rates L W seeds | best L W V seed chis [galerkin|mr]");
        return 2;
}
return 0;

static T Ok<T>(LanguageExt.Fin<T> f) => f.Match(x => x, e => throw new InvalidOperationException(e.Message));
