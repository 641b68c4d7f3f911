using Ness.Sparse.Dense;
using Ness.Pipeline.Fermion.Mps.Tensors;

namespace Ness.Pipeline.Fermion.Mps;

/// <summary>
/// Two-site alternating linear solver (DMRG-style sweeps, the ALS/AMEn family of Dolgov and Savostyanov) for
/// M psi = b with M = L + κ Π and b = κ 1/2^L, Π the projector onto the identity (<see cref="LiouvillianMpo.TraceProjector"/>).
/// Since tr L(X) = 0 for every X, M psi = b holds exactly when L psi = 0 and tr psi = 1, and M is invertible
/// whenever the steady state is unique; so the steady state is the solution of one well-posed linear system.
/// Each step solves the Galerkin projection P^T M P θ = P^T b onto two sites (P the isometry built from the
/// left- and right-orthonormal tensors around them), by dense LU, splits θ by a truncated SVD to bond
/// dimension chi and moves on. Mutates its MPS; nothing else sees it until the stage ends.
/// </summary>
public sealed class AlternatingSolver
{
    const int d = LiouvilleBasis.D;
    readonly MatrixProductOperator M;
    readonly double[] u;
    readonly double kappa;
    readonly int L;
    readonly DenseKernels K;
    readonly double[][] E, F;         // operator environments: E[x] sites < x, F[x] sites >= x
    readonly double[][] l, r;         // right-hand-side environments
    public MatrixProductState Psi { get; }
    /// <summary>Largest two-site dimension solved so far and the number of local solves.</summary>
    public int LargestLocalProblem { get; private set; }
    public long LocalSolves { get; private set; }

    /// <summary>Starts from a random right-orthonormal MPS of bond dimension <paramref name="chi0"/> (fixed seed):
    /// a product start is a trap, since a diagonal product environment projects the hopping out of every
    /// two-site problem and the sweeps never leave the product states. At chi0 = 1, where no coherence can be
    /// held anyway, the start is the product u/|u| (the infinite-temperature state).</summary>
    /// <param name="start">A warm start instead (orthogonality centre at site 0, sites 1..L−1 right-orthonormal,
    /// as left by <see cref="Sweep"/>); copied.</param>
    public AlternatingSolver(DenseKernels K, MatrixProductOperator M, double[] u, double kappa, int chi0,
        MatrixProductState? start = null, int seed = 20161024)
    {
        (this.K, this.M, this.u, this.kappa, L) = (K, M, u, kappa, M.Length);
        double nu = Math.Sqrt(u.Sum(x => x * x));
        Psi = start?.Copy()
            ?? (chi0 == 1 ? MatrixProductState.Product(L, [.. u.Select(x => x / nu)]) : Canonical.Random(L, d, chi0, seed));
        E = new double[L + 1][]; F = new double[L + 1][];
        l = new double[L + 1][]; r = new double[L + 1][];
        E[0] = [1]; F[L] = [1]; l[0] = [1]; r[L] = [1];
        for (int x = L - 1; x >= 1; x--) UpdateRight(x);
    }

    /// <summary>One full sweep (left to right, then back) at bond dimension chi; returns the largest
    /// truncation error of the sweep. On return the orthogonality centre is site 0.</summary>
    public double Sweep(int chi)
    {
        if (L == 1) { SolveOneSite(); return 0; }
        double err = 0;
        for (int i = 0; i < L - 1; i++)
        {
            var svd = SolvePair(i, chi);
            int Dl = Psi.Bond[i], Dr = Psi.Bond[i + 2], k = svd.Rank;
            Psi.A[i] = svd.U;                                        // (Dl d) × k, left-orthonormal
            var sv = new double[k * d * Dr];
            for (int a = 0; a < k; a++) for (int j = 0; j < d * Dr; j++) sv[a * d * Dr + j] = svd.S[a] * svd.Vt[a * d * Dr + j];
            Psi.A[i + 1] = sv;
            Psi.Bond[i + 1] = k;
            UpdateLeft(i);
            err = Math.Max(err, svd.Error);
        }
        for (int i = L - 2; i >= 0; i--)
        {
            var svd = SolvePair(i, chi);
            int Dl = Psi.Bond[i], Dr = Psi.Bond[i + 2], k = svd.Rank;
            var us = new double[Dl * d * k];
            for (int a = 0; a < Dl * d; a++) for (int j = 0; j < k; j++) us[a * k + j] = svd.U[a * k + j] * svd.S[j];
            Psi.A[i] = us;
            Psi.A[i + 1] = svd.Vt;                                   // k × (d Dr), right-orthonormal
            Psi.Bond[i + 1] = k;
            UpdateRight(i + 1);
            err = Math.Max(err, svd.Error);
        }
        return err;
    }

    TruncatedSvd SolvePair(int i, int chi)
    {
        int Dl = Psi.Bond[i], Dr = Psi.Bond[i + 2];
        int wl = M.Bond[i], wm = M.Bond[i + 1], wr = M.Bond[i + 2];
        int n = Dl * d * d * Dr;
        var A = Contractions.TwoSiteMatrix(E[i], M.W[i], M.W[i + 1], F[i + 2], Dl, Dr, wl, wm, wr, d);
        var b = new double[n];
        for (int a = 0; a < Dl; a++) for (int s1 = 0; s1 < d; s1++) for (int s2 = 0; s2 < d; s2++) for (int c = 0; c < Dr; c++)
            b[((a * d + s1) * d + s2) * Dr + c] = kappa * l[i][a] * u[s1] * u[s2] * r[i + 2][c];
        var lu = K.Factor(n, A);
        if (lu.Singular) throw new InvalidOperationException($"the projected Liouvillian on sites {i + 1}, {i + 2} is singular");
        lu.Solve(b);
        LargestLocalProblem = Math.Max(LargestLocalProblem, n);
        LocalSolves++;
        var t = TruncatedSvd.Of(b, Dl * d, d * Dr, chi);
        if (Environment.GetEnvironmentVariable("NESS_MPS_TRACE") == "2")
            Console.Error.WriteLine($"pair {i}: n {n}, rank {t.Rank}, s = {string.Join(" ", t.S.Select(x => x.ToString("E2")))}");
        return t;
    }

    void SolveOneSite()
    {
        var A = new double[d * d];
        Array.Copy(M.W[0], A, d * d);
        var b = u.Select(x => kappa * x).ToArray();
        var lu = K.Factor(d, A);
        if (lu.Singular) throw new InvalidOperationException("the one-site Liouvillian is singular");
        lu.Solve(b);
        Psi.A[0] = b;
        LocalSolves++;
        LargestLocalProblem = Math.Max(LargestLocalProblem, d);
    }

    void UpdateLeft(int x)
    {
        E[x + 1] = Contractions.LeftEnvironment(K, E[x], Psi.A[x], M.W[x], Psi.Bond[x], Psi.Bond[x + 1], M.Bond[x], M.Bond[x + 1], d);
        l[x + 1] = Contractions.LeftVector(l[x], Psi.A[x], u, Psi.Bond[x], Psi.Bond[x + 1], d);
    }

    void UpdateRight(int x)
    {
        F[x] = Contractions.RightEnvironment(K, F[x + 1], Psi.A[x], M.W[x], Psi.Bond[x], Psi.Bond[x + 1], M.Bond[x], M.Bond[x + 1], d);
        r[x] = Contractions.RightVector(r[x + 1], Psi.A[x], u, Psi.Bond[x], Psi.Bond[x + 1], d);
    }
}
