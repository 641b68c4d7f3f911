using MathNet.Numerics.LinearAlgebra;

namespace Ness.Pipeline.Fermion.Mps.Tensors;

/// <summary>
/// Θ (m × n, row-major) = U S V^T truncated to at most <c>chi</c> singular values (and none below
/// <see cref="RelativeFloor"/> times the largest). The truncation error is the discarded weight
/// sum_{k ≥ chi} s_k² / sum_k s_k².
/// </summary>
public sealed record TruncatedSvd(int Rank, double[] U, double[] S, double[] Vt, double Error)
{
    public const double RelativeFloor = 1e-15;

    public static TruncatedSvd Of(double[] theta, int m, int n, int chi)
    {
        var T = Matrix<double>.Build.Dense(m, n, (i, j) => theta[i * n + j]);
        var svd = T.Svd(true);
        var s = svd.S;
        int r = Math.Min(m, n);
        double total = 0;
        for (int k = 0; k < r; k++) total += s[k] * s[k];
        int keep = 0;
        while (keep < Math.Min(chi, r) && s[keep] > RelativeFloor * s[0]) keep++;
        keep = Math.Max(keep, 1);
        double kept = 0;
        for (int k = 0; k < keep; k++) kept += s[k] * s[k];
        double err = total > 0 ? Math.Max(0, (total - kept) / total) : 0;
        var U = new double[m * keep];
        var Vt = new double[keep * n];
        var S = new double[keep];
        for (int k = 0; k < keep; k++)
        {
            S[k] = s[k];
            for (int i = 0; i < m; i++) U[i * keep + k] = svd.U[i, k];
            for (int j = 0; j < n; j++) Vt[k * n + j] = svd.VT[k, j];
        }
        return new TruncatedSvd(keep, U, S, Vt, err);
    }
}
