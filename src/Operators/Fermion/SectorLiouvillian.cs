using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace Ness.Operators.Fermion;

/// <summary>
/// The Liouvillian L(rho) = −i[H_F, rho] + L_l rho + L_r rho (section 3.2, eq. 3.8) on the q = 0 sector,
/// written as L(rho) = K rho + rho K+ + sum_c c rho c+ with K = −i H − Γ/2 (docs/numerics.md).
/// Two forms: <see cref="Assemble"/> stores it as a sparse matrix on vec(rho_0) ⊕ ... ⊕ vec(rho_L)
/// (column-major blocks, offsets from <see cref="SectorBlocks.Offset"/>); <see cref="Apply"/> applies it
/// block by block with dense matrices, never storing it.
/// </summary>
public static class SectorLiouvillian
{
    /// <summary>The sector Liouvillian as triplets, dimension C(2L, L).</summary>
    public static Triplets Assemble(SectorBlocks B)
    {
        int D = checked((int)B.Dimension);
        var T = new Triplets(D, D, D * 12);
        int L = B.Length;
        for (int n = 0; n <= L; n++)
        {
            int d = B.BlockSize(n);
            int off = (int)B.Offset[n];
            var H = B.H[n];
            var g = B.Gamma[n];
            // nonzeros of column a of H_n (H_n is symmetric: also row a)
            var nz = new List<(int Row, double Value)>[d];
            for (int a = 0; a < d; a++)
            {
                nz[a] = [];
                for (int r = 0; r < d; r++) if (H[r, a] != 0) nz[a].Add((r, H[r, a]));
            }
            for (int b = 0; b < d; b++)
            for (int a = 0; a < d; a++)
            {
                int col = off + a + b * d;
                T.At(col, col, -0.5 * (g[a] + g[b]));
                foreach (var (r, h) in nz[a]) T.At(off + r + b * d, col, new Complex(0, -h));   // −i H rho
                foreach (var (r, h) in nz[b]) T.At(off + a + r * d, col, new Complex(0, h));    // +i rho H
                foreach (var c in B.Jumps)                                                       // c rho c+
                {
                    if (c.Rate == 0) continue;
                    int m = c.To(n);
                    if (m < 0 || m > L) continue;
                    int ta = c.Target[n][a], tb = c.Target[n][b];
                    if (ta < 0 || tb < 0) continue;
                    int dm = B.BlockSize(m);
                    T.At((int)B.Offset[m] + ta + tb * dm, col, c.Rate * c.Sign[n][a] * c.Sign[n][b]);
                }
            }
        }
        return T;
    }

    /// <summary>
    /// The norm estimate ||L||_est = 2 max_n ||K_n||_F + sum_c rate_c used to make residuals relative (by the
    /// certificate and by the Krylov solver's stop rules alike): ||K rho + rho K+|| ≤ 2 ||K|| ||rho|| and
    /// ||c rho c+|| ≤ rate ||rho||. With K_n = −i H_n − Γ_n/2, ||K_n||_F² = sum_ij H_ij² + sum_i Γ_i²/4.
    /// </summary>
    public static double NormEstimate(SectorBlocks B)
    {
        double k = 0;
        for (int n = 0; n <= B.Length; n++)
        {
            int d = B.BlockSize(n);
            var H = B.H[n];
            double s = 0;
            for (int i = 0; i < d; i++)
            {
                double g = 0.5 * B.Gamma[n][i];
                s += g * g;
                for (int j = 0; j < d; j++) s += H[i, j] * H[i, j];
            }
            k = Math.Max(k, Math.Sqrt(s));
        }
        return 2 * k + B.Jumps.Sum(c => c.Rate);
    }

    /// <summary>K_n = −i H_n − Γ_n / 2 for every block.</summary>
    public static Matrix<Complex>[] EffectiveHamiltonian(SectorBlocks B)
    {
        var K = new Matrix<Complex>[B.Length + 1];
        for (int n = 0; n <= B.Length; n++)
        {
            int d = B.BlockSize(n);
            K[n] = Matrix<Complex>.Build.Dense(d, d, (i, j) =>
                new Complex(i == j ? -0.5 * B.Gamma[n][i] : 0, -B.H[n][i, j]));
        }
        return K;
    }

    /// <summary>L(rho) block by block: K_n rho_n + rho_n K_n+ plus the jumps into block n.</summary>
    public static Matrix<Complex>[] Apply(SectorBlocks B, Matrix<Complex>[] K, Matrix<Complex>[] rho)
    {
        int L = B.Length;
        var R = new Matrix<Complex>[L + 1];
        for (int n = 0; n <= L; n++)
            R[n] = K[n] * rho[n] + rho[n] * K[n].ConjugateTranspose();
        for (int n = 0; n <= L; n++)
        foreach (var c in B.Jumps)
        {
            int m = c.To(n);
            if (c.Rate == 0 || m < 0 || m > L) continue;
            int d = B.BlockSize(n);
            var t = c.Target[n]; var s = c.Sign[n];
            for (int b = 0; b < d; b++)
            {
                if (t[b] < 0) continue;
                for (int a = 0; a < d; a++)
                    if (t[a] >= 0) R[m][t[a], t[b]] += c.Rate * s[a] * s[b] * rho[n][a, b];
            }
        }
        return R;
    }
}
