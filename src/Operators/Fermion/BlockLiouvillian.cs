
namespace Ness.Operators.Fermion;

/// <summary>
/// The sector Liouvillian applied block by block on flat arrays, never stored (docs/numerics.md, "structured,
/// matrix-free Krylov"). A state is the list of blocks rho_n (n = 0..L), each d_n × d_n and row-major,
/// concatenated at <see cref="Offset"/>, in planar form: real parts in one array, imaginary parts in another.
/// In the Fock basis H_n is sparse (at most L − 1 hops per state), Γ_n is diagonal and each jump is a signed
/// partial permutation, so one application costs O(L · C(2L, L)).
///
/// Hermitian blocks also have a packed real form of the same dimension C(2L, L): per block, the diagonal,
/// then for i &lt; j (row by row) √2 Re X_ij and √2 Im X_ij. The Euclidean inner product of packed vectors
/// is the real Frobenius product Re tr(X+ Y), so a real Krylov method on packed vectors works on the
/// real-linear operator L restricted to Hermitian matrices (which it preserves).
/// </summary>
public sealed partial class BlockLiouvillian
{
    public SectorBlocks Model { get; }
    public int Length => Model.Length;
    public int[] Size { get; }
    /// <summary>Offset of block n in the flat arrays; the last entry is the dimension.</summary>
    public int[] Offset { get; }
    public int Dimension => Offset[^1];

    readonly double[][] hDiag;
    readonly int[][] rowPtr, col;      // off-diagonal part of H_n, CSR (symmetric)
    readonly double[][] val;
    readonly double[][] gamma;

    public BlockLiouvillian(SectorBlocks model)
    {
        Model = model;
        int L = model.Length;
        Size = new int[L + 1];
        Offset = new int[L + 2];
        hDiag = new double[L + 1][];
        rowPtr = new int[L + 1][];
        col = new int[L + 1][];
        val = new double[L + 1][];
        gamma = new double[L + 1][];
        for (int n = 0; n <= L; n++)
        {
            int d = model.BlockSize(n);
            Size[n] = d;
            Offset[n + 1] = checked(Offset[n] + d * d);
            var H = model.H[n];
            hDiag[n] = new double[d];
            var rp = new int[d + 1];
            var cl = new List<int>();
            var vl = new List<double>();
            for (int a = 0; a < d; a++)
            {
                hDiag[n][a] = H[a, a];
                for (int k = 0; k < d; k++)
                    if (k != a && H[a, k] != 0) { cl.Add(k); vl.Add(H[a, k]); }
                rp[a + 1] = cl.Count;
            }
            rowPtr[n] = rp;
            col[n] = [.. cl];
            val[n] = [.. vl];
            gamma[n] = model.Gamma[n];
        }
    }

    /// <summary>out = L(rho) on planar full blocks (all four arrays of length <see cref="Dimension"/>).</summary>
    public void Apply(ReadOnlySpan<double> re, ReadOnlySpan<double> im, Span<double> outRe, Span<double> outIm)
    {
        int L = Length;
        for (int n = 0; n <= L; n++) ApplyDiagonalBlock(n, re, im, outRe, outIm);
        for (int n = 0; n <= L; n++) AddJumps(n, re, im, outRe, outIm);
    }

    /// <summary>out_n = K_n rho_n + rho_n K_n+ = −i[H_n, rho_n] − {Γ_n, rho_n}/2 (overwrites block n of out).</summary>
    void ApplyDiagonalBlock(int n, ReadOnlySpan<double> re, ReadOnlySpan<double> im, Span<double> outRe, Span<double> outIm)
    {
        int d = Size[n], o = Offset[n];
        var R = re.Slice(o, d * d); var I = im.Slice(o, d * d);
        var oR = outRe.Slice(o, d * d); var oI = outIm.Slice(o, d * d);
        var hd = hDiag[n]; var g = gamma[n]; var rp = rowPtr[n]; var cl = col[n]; var vl = val[n];
        // −i[H, X] with X = R + iI:  Re = [H, I],  Im = −[H, R];  anticommutator term −(g_a + g_b)/2 X_ab.
        for (int a = 0; a < d; a++)
        {
            int ra = a * d;
            for (int b = 0; b < d; b++)
            {
                double c = (hd[a] - hd[b]);
                double s = -0.5 * (g[a] + g[b]);
                oR[ra + b] = c * I[ra + b] + s * R[ra + b];
                oI[ra + b] = -c * R[ra + b] + s * I[ra + b];
            }
            // (H X)[a, :] off-diagonal part: sum_k H_ak X[k, :]
            for (int p = rp[a]; p < rp[a + 1]; p++)
            {
                int rk = cl[p] * d; double h = vl[p];
                var rowR = R.Slice(rk, d); var rowI = I.Slice(rk, d);
                var outR = oR.Slice(ra, d); var outI = oI.Slice(ra, d);
                for (int b = 0; b < d; b++) { outR[b] += h * rowI[b]; outI[b] -= h * rowR[b]; }
            }
            // −(X H)[a, b] off-diagonal part: sum_k X[a, k] H_kb, H symmetric: neighbours k of b
            for (int b = 0; b < d; b++)
            {
                double sr = 0, si = 0;
                for (int p = rp[b]; p < rp[b + 1]; p++) { sr += R[ra + cl[p]] * vl[p]; si += I[ra + cl[p]] * vl[p]; }
                oR[ra + b] -= si;
                oI[ra + b] += sr;
            }
        }
    }

    /// <summary>out_m += c rho_n c+ for the jumps c leaving block n.</summary>
    void AddJumps(int n, ReadOnlySpan<double> re, ReadOnlySpan<double> im, Span<double> outRe, Span<double> outIm) =>
        AddJumps(n, -1, 1, re, im, outRe, outIm);

    /// <summary>out_m += scale × c rho_n c+ for the jumps c from block n into block m only (m = n ± 1; the smoother's
    /// sweep over the sectors, <c>TwoLevelPreconditioner.Smooth</c>); nothing when m is not a sector.</summary>
    public void AddJumpsInto(int n, int m, double scale, ReadOnlySpan<double> re, ReadOnlySpan<double> im, Span<double> outRe, Span<double> outIm)
    {
        if (m >= 0 && m <= Length) AddJumps(n, m, scale, re, im, outRe, outIm);
    }

    /// <summary>out_m += scale × c rho_n c+ for the jumps c leaving block n, into every block (<paramref name="only"/> = −1)
    /// or into block <paramref name="only"/>.</summary>
    void AddJumps(int n, int only, double scale, ReadOnlySpan<double> re, ReadOnlySpan<double> im, Span<double> outRe, Span<double> outIm)
    {
        int L = Length, d = Size[n], o = Offset[n];
        foreach (var c in Model.Jumps)
        {
            int m = c.To(n);
            if (c.Rate == 0 || m < 0 || m > L || (only >= 0 && m != only)) continue;
            int dm = Size[m], om = Offset[m];
            var t = c.Target[n]; var s = c.Sign[n];
            double rate = scale * c.Rate;
            for (int a = 0; a < d; a++)
            {
                if (t[a] < 0) continue;
                double ra = rate * s[a];
                int dst = om + t[a] * dm, src = o + a * d;
                for (int b = 0; b < d; b++)
                {
                    if (t[b] < 0) continue;
                    double f = ra * s[b];
                    outRe[dst + t[b]] += f * re[src + b];
                    outIm[dst + t[b]] += f * im[src + b];
                }
            }
        }
    }

    /// <summary>The site densities tr(n_x X), x = 1..L, into <paramref name="n"/>, and tr X, of a packed Hermitian X
    /// (<see cref="Pack"/>: the diagonal of each block comes first).</summary>
    public double Densities(ReadOnlySpan<double> packed, Span<double> n) => Densities(packed, n, planar: false);

    /// <summary>tr(n_x X) and tr X from the diagonals of the blocks: element a of block b at Offset[b] + a (packed) or
    /// Offset[b] + a (d + 1) (planar full blocks of size d).</summary>
    double Densities(ReadOnlySpan<double> v, Span<double> n, bool planar)
    {
        int L = Length;
        n[..L].Clear();
        double trace = 0;
        for (int b = 0; b <= L; b++)
        {
            int d = Size[b], o = Offset[b], step = planar ? d + 1 : 1;
            var states = Model.Basis.Blocks[b];
            for (int a = 0; a < d; a++)
            {
                double p = v[o + a * step];
                trace += p;
                for (int x = 1; x <= L; x++) if (FockBasis.Occupation(states[a], x) == 1) n[x - 1] += p;
            }
        }
        return trace;
    }

    /// <summary>Packs Hermitian planar blocks (the upper triangle is read) into the real form.</summary>
    public void Pack(ReadOnlySpan<double> re, ReadOnlySpan<double> im, Span<double> packed)
    {
        const double r2 = 1.4142135623730951;
        for (int n = 0; n <= Length; n++)
        {
            int d = Size[n], o = Offset[n], q = o;
            for (int i = 0; i < d; i++) packed[q++] = re[o + i * d + i];
            for (int i = 0; i < d; i++)
                for (int j = i + 1; j < d; j++)
                {
                    packed[q++] = r2 * re[o + i * d + j];
                    packed[q++] = r2 * im[o + i * d + j];
                }
        }
    }

    /// <summary>Unpacks the real form into full Hermitian planar blocks.</summary>
    public void Unpack(ReadOnlySpan<double> packed, Span<double> re, Span<double> im)
    {
        const double s = 0.70710678118654752;
        for (int n = 0; n <= Length; n++)
        {
            int d = Size[n], o = Offset[n], q = o;
            for (int i = 0; i < d; i++) { re[o + i * d + i] = packed[q++]; im[o + i * d + i] = 0; }
            for (int i = 0; i < d; i++)
                for (int j = i + 1; j < d; j++)
                {
                    double x = s * packed[q++], y = s * packed[q++];
                    re[o + i * d + j] = x; im[o + i * d + j] = y;
                    re[o + j * d + i] = x; im[o + j * d + i] = -y;
                }
        }
    }
}
