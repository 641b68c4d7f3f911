using Ness.Sparse.Dense;

namespace Ness.Pipeline.Fermion.Mps.Tensors;

/// <summary>
/// The tensor contractions of the MPS solver on flat row-major arrays, the heavy ones as matrix products
/// through `DenseKernels.Gemm` of the provider passed in. Index conventions: MPS site A[l, s, r]; MPO site W[a, b, s, t];
/// a left environment E[x] (bra bond, MPO bond, ket bond) contracts sites &lt; x, a right environment F[x]
/// the sites ≥ x; bra and ket are the same MPS (a Galerkin projection).
/// </summary>
public static class Contractions
{
    /// <summary>E' (Dr, wr, Dr) from E (Dl, wl, Dl), the site tensor A (Dl, d, Dr) and W (wl, wr, d, d).</summary>
    public static double[] LeftEnvironment(DenseKernels K, double[] E, double[] A, double[] W, int Dl, int Dr, int wl, int wr, int d)
    {
        // T1[(w, a'), (s, b)] = sum_a E[a, w, a'] A[a, s, b]
        var Et = new double[wl * Dl * Dl];
        for (int a = 0; a < Dl; a++) for (int w = 0; w < wl; w++) for (int a2 = 0; a2 < Dl; a2++)
            Et[(w * Dl + a2) * Dl + a] = E[(a * wl + w) * Dl + a2];
        var T1 = new double[wl * Dl * d * Dr];
        K.Gemm(wl * Dl, d * Dr, Dl, 1, Et, A, 0, T1);
        // T2[(w, s, b), (t, b')] = sum_a' T1[w, a', s, b] A[a', t, b']
        var T1p = new double[wl * d * Dr * Dl];
        for (int w = 0; w < wl; w++) for (int a2 = 0; a2 < Dl; a2++) for (int s = 0; s < d; s++) for (int b = 0; b < Dr; b++)
            T1p[((w * d + s) * Dr + b) * Dl + a2] = T1[((w * Dl + a2) * d + s) * Dr + b];
        var T2 = new double[wl * d * Dr * d * Dr];
        K.Gemm(wl * d * Dr, d * Dr, Dl, 1, T1p, A, 0, T2);
        // E'[b, w', b'] = sum_{w, s, t} T2[w, s, b, t, b'] W[w, w', s, t]
        int nk = wl * d * d;
        var T2p = new double[Dr * Dr * nk];
        for (int w = 0; w < wl; w++) for (int s = 0; s < d; s++) for (int b = 0; b < Dr; b++)
            for (int t = 0; t < d; t++) for (int b2 = 0; b2 < Dr; b2++)
                T2p[(b * Dr + b2) * nk + (w * d + s) * d + t] = T2[(((w * d + s) * Dr + b) * d + t) * Dr + b2];
        var Wp = new double[nk * wr];
        for (int w = 0; w < wl; w++) for (int w2 = 0; w2 < wr; w2++) for (int s = 0; s < d; s++) for (int t = 0; t < d; t++)
            Wp[((w * d + s) * d + t) * wr + w2] = W[((w * wr + w2) * d + s) * d + t];
        var R = new double[Dr * Dr * wr];
        K.Gemm(Dr * Dr, wr, nk, 1, T2p, Wp, 0, R);
        var E2 = new double[Dr * wr * Dr];
        for (int b = 0; b < Dr; b++) for (int b2 = 0; b2 < Dr; b2++) for (int w2 = 0; w2 < wr; w2++)
            E2[(b * wr + w2) * Dr + b2] = R[(b * Dr + b2) * wr + w2];
        return E2;
    }

    /// <summary>F' (Dl, wl, Dl) from F (Dr, wr, Dr), the site tensor A (Dl, d, Dr) and W (wl, wr, d, d).</summary>
    public static double[] RightEnvironment(DenseKernels K, double[] F, double[] A, double[] W, int Dl, int Dr, int wl, int wr, int d)
    {
        // T1[(a, s, w'), b'] = sum_b A[a, s, b] F[b, w', b']
        var T1 = new double[Dl * d * wr * Dr];
        K.Gemm(Dl * d, wr * Dr, Dr, 1, A, F, 0, T1);
        // T2[(a, s, w'), (a', t)] = sum_b' T1[.., b'] A[a', t, b']
        var At = new double[Dr * Dl * d];
        for (int a2 = 0; a2 < Dl; a2++) for (int t = 0; t < d; t++) for (int b2 = 0; b2 < Dr; b2++)
            At[b2 * Dl * d + a2 * d + t] = A[(a2 * d + t) * Dr + b2];
        var T2 = new double[Dl * d * wr * Dl * d];
        K.Gemm(Dl * d * wr, Dl * d, Dr, 1, T1, At, 0, T2);
        // F'[a, w, a'] = sum_{s, w', t} T2[a, s, w', a', t] W[w, w', s, t]
        int nk = d * wr * d;
        var T2p = new double[Dl * Dl * nk];
        for (int a = 0; a < Dl; a++) for (int s = 0; s < d; s++) for (int w2 = 0; w2 < wr; w2++)
            for (int a2 = 0; a2 < Dl; a2++) for (int t = 0; t < d; t++)
                T2p[(a * Dl + a2) * nk + (s * wr + w2) * d + t] = T2[(((a * d + s) * wr + w2) * Dl + a2) * d + t];
        var Wp = new double[nk * wl];
        for (int w = 0; w < wl; w++) for (int w2 = 0; w2 < wr; w2++) for (int s = 0; s < d; s++) for (int t = 0; t < d; t++)
            Wp[((s * wr + w2) * d + t) * wl + w] = W[((w * wr + w2) * d + s) * d + t];
        var R = new double[Dl * Dl * wl];
        K.Gemm(Dl * Dl, wl, nk, 1, T2p, Wp, 0, R);
        var F2 = new double[Dl * wl * Dl];
        for (int a = 0; a < Dl; a++) for (int a2 = 0; a2 < Dl; a2++) for (int w = 0; w < wl; w++)
            F2[(a * wl + w) * Dl + a2] = R[(a * Dl + a2) * wl + w];
        return F2;
    }

    /// <summary>l'[b] = sum_{a, s} l[a] v[s] A[a, s, b]: a left partial contraction with a product vector.</summary>
    public static double[] LeftVector(double[] l, double[] A, double[] v, int Dl, int Dr, int d)
    {
        var r = new double[Dr];
        for (int a = 0; a < Dl; a++)
        {
            if (l[a] == 0) continue;
            for (int s = 0; s < d; s++)
            {
                double f = l[a] * v[s];
                if (f == 0) continue;
                int o = (a * d + s) * Dr;
                for (int b = 0; b < Dr; b++) r[b] += f * A[o + b];
            }
        }
        return r;
    }

    /// <summary>r'[a] = sum_{s, b} A[a, s, b] v[s] r[b].</summary>
    public static double[] RightVector(double[] r, double[] A, double[] v, int Dl, int Dr, int d)
    {
        var l = new double[Dl];
        for (int a = 0; a < Dl; a++)
        {
            double sum = 0;
            for (int s = 0; s < d; s++)
            {
                if (v[s] == 0) continue;
                int o = (a * d + s) * Dr;
                double t = 0;
                for (int b = 0; b < Dr; b++) t += A[o + b] * r[b];
                sum += v[s] * t;
            }
            l[a] = sum;
        }
        return l;
    }

    /// <summary>
    /// The two-site effective matrix M[(a, s1, s2, c), (a', t1, t2, c')] =
    /// sum E[a, w1, a'] W1[w1, w2, s1, t1] W2[w2, w3, s2, t2] F[c, w3, c'], dimension n = Dl d² Dr, row-major.
    /// </summary>
    public static double[] TwoSiteMatrix(double[] E, double[] W1, double[] W2, double[] F,
        int Dl, int Dr, int wl, int wm, int wr, int d)
    {
        int dd = d * d, m = Dl * dd, n = m * Dr;
        // WW[w1, w3, (s1, s2), (t1, t2)]
        var WW = new double[wl * wr * dd * dd];
        for (int w1 = 0; w1 < wl; w1++) for (int w2 = 0; w2 < wm; w2++) for (int w3 = 0; w3 < wr; w3++)
            for (int s1 = 0; s1 < d; s1++) for (int t1 = 0; t1 < d; t1++)
            {
                double x = W1[((w1 * wm + w2) * d + s1) * d + t1];
                if (x == 0) continue;
                for (int s2 = 0; s2 < d; s2++) for (int t2 = 0; t2 < d; t2++)
                    WW[((w1 * wr + w3) * dd + s1 * d + s2) * dd + t1 * d + t2] += x * W2[((w2 * wr + w3) * d + s2) * d + t2];
            }
        var M = new double[(long)n * n];
        var X = new double[m * m];
        for (int w3 = 0; w3 < wr; w3++)
        {
            // X[(a, S), (a', T)] = sum_w1 E[a, w1, a'] WW[w1, w3, S, T]
            Array.Clear(X);
            bool any = false;
            for (int w1 = 0; w1 < wl; w1++)
            {
                int ow = (w1 * wr + w3) * dd * dd;
                bool nz = false;
                for (int q = 0; q < dd * dd; q++) if (WW[ow + q] != 0) { nz = true; break; }
                if (!nz) continue;
                any = true;
                for (int a = 0; a < Dl; a++) for (int a2 = 0; a2 < Dl; a2++)
                {
                    double e = E[(a * wl + w1) * Dl + a2];
                    if (e == 0) continue;
                    for (int S = 0; S < dd; S++) for (int T = 0; T < dd; T++)
                        X[(a * dd + S) * m + a2 * dd + T] += e * WW[ow + S * dd + T];
                }
            }
            if (!any) continue;
            for (int i = 0; i < m; i++) for (int j = 0; j < m; j++)
            {
                double x = X[i * m + j];
                if (x == 0) continue;
                for (int c = 0; c < Dr; c++)
                {
                    long row = ((long)i * Dr + c) * n + (long)j * Dr;
                    int of = (c * wr + w3) * Dr;
                    for (int c2 = 0; c2 < Dr; c2++) M[row + c2] += x * F[of + c2];
                }
            }
        }
        return M;
    }

    /// <summary>y = M x for the two-site effective matrix, without forming it (cost O(D³ d² w)).</summary>
    public static double[] TwoSiteApply(DenseKernels K, double[] E, double[] W1, double[] W2, double[] F, double[] x,
        int Dl, int Dr, int wl, int wm, int wr, int d)
    {
        // treat the two sites as one of dimension d² with the MPO bond contracted in between
        int dd = d * d;
        var WW = new double[wl * wr * dd * dd];
        for (int w1 = 0; w1 < wl; w1++) for (int w2 = 0; w2 < wm; w2++) for (int w3 = 0; w3 < wr; w3++)
            for (int s1 = 0; s1 < d; s1++) for (int t1 = 0; t1 < d; t1++)
            {
                double v = W1[((w1 * wm + w2) * d + s1) * d + t1];
                if (v == 0) continue;
                for (int s2 = 0; s2 < d; s2++) for (int t2 = 0; t2 < d; t2++)
                    WW[((w1 * wr + w3) * dd + s1 * d + s2) * dd + t1 * d + t2] += v * W2[((w2 * wr + w3) * d + s2) * d + t2];
            }
        return OneSiteApply(K, E, WW, F, x, Dl, Dr, wl, wr, dd);
    }

    /// <summary>y[a, s, c] = sum E[a, w, a'] W[w, w', s, t] F[c, w', c'] x[a', t, c'].</summary>
    public static double[] OneSiteApply(DenseKernels K, double[] E, double[] W, double[] F, double[] x, int Dl, int Dr, int wl, int wr, int d)
    {
        // T1[(a', t), (w', c)] = sum_c' x[a', t, c'] F^T[c', (w', c)]  with Ft[c', w', c] = F[c, w', c']
        var Ft = new double[Dr * wr * Dr];
        for (int c = 0; c < Dr; c++) for (int w = 0; w < wr; w++) for (int c2 = 0; c2 < Dr; c2++)
            Ft[(c2 * wr + w) * Dr + c] = F[(c * wr + w) * Dr + c2];
        var T1 = new double[Dl * d * wr * Dr];
        K.Gemm(Dl * d, wr * Dr, Dr, 1, x, Ft, 0, T1);
        // T2[(w, s), (a', c)] = sum_{w', t} W[w, w', s, t] T1[a', t, w', c]
        var Wp = new double[wl * d * wr * d];
        for (int w = 0; w < wl; w++) for (int w2 = 0; w2 < wr; w2++) for (int s = 0; s < d; s++) for (int t = 0; t < d; t++)
            Wp[(w * d + s) * wr * d + w2 * d + t] = W[((w * wr + w2) * d + s) * d + t];
        var T1p = new double[wr * d * Dl * Dr];
        for (int a2 = 0; a2 < Dl; a2++) for (int t = 0; t < d; t++) for (int w2 = 0; w2 < wr; w2++) for (int c = 0; c < Dr; c++)
            T1p[(w2 * d + t) * Dl * Dr + a2 * Dr + c] = T1[((a2 * d + t) * wr + w2) * Dr + c];
        var T2 = new double[wl * d * Dl * Dr];
        K.Gemm(wl * d, Dl * Dr, wr * d, 1, Wp, T1p, 0, T2);
        // y[a, (s, c)] = sum_{w, a'} E[a, (w, a')] T2[(w, a'), (s, c)]
        var T2p = new double[wl * Dl * d * Dr];
        for (int w = 0; w < wl; w++) for (int s = 0; s < d; s++) for (int a2 = 0; a2 < Dl; a2++) for (int c = 0; c < Dr; c++)
            T2p[(w * Dl + a2) * d * Dr + s * Dr + c] = T2[(w * d + s) * Dl * Dr + a2 * Dr + c];
        var y = new double[Dl * d * Dr];
        K.Gemm(Dl, d * Dr, wl * Dl, 1, E, T2p, 0, y);
        return y;
    }
}
