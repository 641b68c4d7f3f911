using MathNet.Numerics.LinearAlgebra;

namespace Ness.Pipeline.Fermion.Mps.Tensors;

/// <summary>Orthonormal (canonical) forms of an MPS by QR decompositions, which are backward stable: norms
/// computed from them do not suffer the cancellation of a Gram-matrix contraction.</summary>
public static class Canonical
{
    /// <summary>Makes sites 1..L−1 right-orthonormal (rows of A[x] as a Bond[x] × (d Bond[x+1]) matrix are
    /// orthonormal), the weight moving to site 0, and returns the norm of the state. In place.</summary>
    public static double RightOrthonormalize(MatrixProductState A)
    {
        int d = A.LocalDimension;
        for (int x = A.Length - 1; x >= 1; x--)
        {
            int Dl = A.Bond[x], Dr = A.Bond[x + 1], n = d * Dr;
            // A[x]^T (n × Dl) = Q R  =>  A[x] = R^T Q^T
            var T = Matrix<double>.Build.Dense(n, Dl, (i, j) => A.A[x][j * n + i]);
            int k = Math.Min(n, Dl);
            Matrix<double> Q, R;                         // n × k, k × Dl
            if (n >= Dl)
            {
                var qr = T.QR(MathNet.Numerics.LinearAlgebra.Factorization.QRMethod.Thin);
                (Q, R) = (qr.Q, qr.R);
            }
            else
            {
                // a wide block: T = U S V^T with U square (n × n); Q = U, R = S V^T
                var svd = T.Svd(true);
                Q = svd.U;
                R = Matrix<double>.Build.Dense(k, Dl, (i, j) => svd.S[i] * svd.VT[i, j]);
            }
            var site = new double[k * n];
            for (int a = 0; a < k; a++) for (int i = 0; i < n; i++) site[a * n + i] = Q[i, a];
            // A[x−1] (Dl0 d × Dl) ← A[x−1] R^T (Dl0 d × k)
            int m = A.Bond[x - 1] * d;
            var prev = A.A[x - 1];
            var next = new double[m * k];
            for (int i = 0; i < m; i++)
                for (int a = 0; a < k; a++)
                {
                    double s = 0;
                    for (int j = 0; j < Dl; j++) s += prev[i * Dl + j] * R[a, j];
                    next[i * k + a] = s;
                }
            A.A[x] = site;
            A.A[x - 1] = next;
            A.Bond[x] = k;
        }
        double norm = 0;
        foreach (var v in A.A[0]) norm += v * v;
        return Math.Sqrt(norm);
    }

    /// <summary>A random MPS with bond dimensions min(chi, d^x, d^(L−x)) (deterministic for a seed),
    /// right-orthonormalised and scaled to norm 1.</summary>
    public static MatrixProductState Random(int L, int d, int chi, int seed)
    {
        var rnd = new Random(seed);
        var bond = new int[L + 1];
        for (int x = 0; x <= L; x++)
            bond[x] = (int)Math.Min(chi, Math.Min(Math.Pow(d, x), Math.Pow(d, L - x)));
        var a = new double[L][];
        for (int x = 0; x < L; x++)
        {
            a[x] = new double[bond[x] * d * bond[x + 1]];
            for (int i = 0; i < a[x].Length; i++) a[x][i] = rnd.NextDouble() - 0.5;
        }
        var A = new MatrixProductState(d, bond, a);
        double norm = RightOrthonormalize(A);
        for (int i = 0; i < A.A[0].Length; i++) A.A[0][i] /= norm;
        return A;
    }
}
