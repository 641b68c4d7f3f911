using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using Ness.Operators.Fermion;
using Ness.Pipeline.Fermion.Mps.Tensors;

namespace Ness.Pipeline.Fermion.Mps;

/// <summary>
/// An exact density matrix (the particle-number blocks of the exact solvers) as a Liouville-space MPS in
/// <see cref="LiouvilleBasis"/>, by successive SVDs (TT-SVD) truncated to bond dimension chi: the best
/// approximation of the steady state at that chi, up to a factor sqrt(L − 1) in norm. It separates what an MPS
/// of bond dimension chi can hold (representability) from what an equation-based solver finds at that chi
/// (docs/mps.md), and checks the Liouvillian MPO against the exact solvers. Small L only: it forms all 4^L
/// coefficients.
/// </summary>
public static class ExactStateMps
{
    /// <summary>Largest L accepted (4^L coefficients).</summary>
    public const int MaxLength = 10;

    /// <summary>c_k = tr(B_k1 ⊗ ... ⊗ B_kL rho) for every k (site 1 the most significant base-4 digit), from
    /// rho's blocks: blocks[n] in the basis <see cref="FockBasis.Create"/>(L).Blocks[n] (bit x−1 = n_x). The spin
    /// picture of the MPS and the fermion picture of the blocks agree configuration by configuration in the
    /// q = 0 sector (docs/numerics.md). Throws if rho is not Hermitian to 1e-12 (imaginary coefficients).</summary>
    public static double[] Coefficients(int L, IReadOnlyList<Matrix<Complex>> blocks)
    {
        if (L < 1 || L > MaxLength) throw new ArgumentOutOfRangeException(nameof(L), $"1..{MaxLength}");
        var fb = FockBasis.Create(L);
        int total = 1 << (2 * L);
        var T = new Complex[total];
        for (int nb = 0; nb <= L; nb++)
        {
            var st = fb.Blocks[nb];
            var B = blocks[nb];
            for (int i = 0; i < st.Length; i++)
                for (int j = 0; j < st.Length; j++)
                {
                    int idx = 0;
                    for (int x = 0; x < L; x++) idx = idx * 4 + ((st[i] >> x) & 1) * 2 + ((st[j] >> x) & 1);
                    T[idx] = B[i, j];
                }
        }
        // on each site (s, t) -> k: tr(B_k rho) = sum_{s,t} (B_k)_{t s} rho_{s t}
        var G = new Complex[4, 4];
        for (int k = 0; k < 4; k++)
        {
            var Bk = LiouvilleBasis.Element(k);
            for (int s = 0; s < 2; s++) for (int t = 0; t < 2; t++) G[k, s * 2 + t] = Bk[t, s];
        }
        var tmp = new Complex[4];
        for (int x = 0; x < L; x++)
        {
            int stride = 1 << (2 * (L - 1 - x));
            for (int hi = 0; hi < total; hi += 4 * stride)
                for (int lo = 0; lo < stride; lo++)
                {
                    for (int k = 0; k < 4; k++)
                    {
                        Complex z = 0;
                        for (int q = 0; q < 4; q++) z += G[k, q] * T[hi + q * stride + lo];
                        tmp[k] = z;
                    }
                    for (int k = 0; k < 4; k++) T[hi + k * stride + lo] = tmp[k];
                }
        }
        var c = new double[total];
        for (int i = 0; i < total; i++)
        {
            if (Math.Abs(T[i].Imaginary) > 1e-12) throw new ArgumentException("rho is not Hermitian: imaginary Liouville coefficients");
            c[i] = T[i].Real;
        }
        return c;
    }

    /// <summary>The coefficients as an MPS of bond dimension at most chi: SVDs from the left, each truncated to
    /// chi (<see cref="TruncatedSvd"/>). Returns the MPS (sites 0..L−2 left-orthonormal) and the largest
    /// discarded weight.</summary>
    public static (MatrixProductState Psi, double Discarded) Of(int L, double[] c, int chi)
    {
        if (c.Length != 1 << (2 * L)) throw new ArgumentException("expected 4^L coefficients", nameof(c));
        const int d = LiouvilleBasis.D;
        var A = new double[L][];
        var bond = new int[L + 1];
        bond[0] = bond[L] = 1;
        var rest = c;
        int Dl = 1;
        double discarded = 0;
        for (int x = 0; x + 1 < L; x++)
        {
            int m = Dl * d, n = rest.Length / m;
            var t = Wide(rest, m, n, chi);
            A[x] = t.U;
            bond[x + 1] = t.Rank;
            discarded = Math.Max(discarded, t.Error);
            var next = new double[t.Rank * n];
            for (int a = 0; a < t.Rank; a++) for (int j = 0; j < n; j++) next[a * n + j] = t.S[a] * t.Vt[a * n + j];
            rest = next;
            Dl = t.Rank;
        }
        A[L - 1] = rest;
        return (new MatrixProductState(d, bond, A), discarded);
    }

    /// <summary>Truncated SVD of a wide m × n matrix (n ≫ m: the first sites) without the n × n factor of a full
    /// SVD: Θ^T = Q R (thin QR, n × m), R^T = U S W^T, so Θ = U S (Q W)^T.</summary>
    static TruncatedSvd Wide(double[] theta, int m, int n, int chi)
    {
        if (n <= 4 * m) return TruncatedSvd.Of(theta, m, n, chi);
        var T = Matrix<double>.Build.Dense(n, m, (j, i) => theta[i * n + j]);
        var qr = T.QR(MathNet.Numerics.LinearAlgebra.Factorization.QRMethod.Thin);
        var Rt = qr.R.Transpose();                                     // m × m
        var r = new double[m * m];
        for (int i = 0; i < m; i++) for (int j = 0; j < m; j++) r[i * m + j] = Rt[i, j];
        var t = TruncatedSvd.Of(r, m, m, chi);
        // Vt (k × n) = Wt (k × m) Q^T
        var Vt = new double[t.Rank * n];
        for (int a = 0; a < t.Rank; a++)
            for (int i = 0; i < m; i++)
            {
                double w = t.Vt[a * m + i];
                if (w == 0) continue;
                for (int j = 0; j < n; j++) Vt[a * n + j] += w * qr.Q[j, i];
            }
        return t with { Vt = Vt };
    }
}
