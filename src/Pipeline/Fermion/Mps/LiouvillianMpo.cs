using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using Ness.Pipeline.Fermion.Mps.Tensors;
using static Ness.Pipeline.Fermion.Mps.LiouvilleBasis;

namespace Ness.Pipeline.Fermion.Mps;

/// <summary>
/// The Liouvillian of section 3.2 (eqs. 3.2 and 3.8) as a real MPO in <see cref="LiouvilleBasis"/>:
/// L = sum_x S_x + sum_x T_{x,x+1}, with the on-site part S_x(X) = −i[2 h_x n_x, X] plus the boundary
/// dissipators D_c(X) = c X c+ − {c+c, X}/2 (c = √g1p σ+_1, √g1m σ−_1, √gLp σ+_L, √gLm σ−_L), and the bond part
/// T(X) = −i[J (σ+σ− + σ−σ+) + V n n, X]. T is split as sum_k A_k ⊗ B_k by an SVD (rank r ≤ 6), so the MPO
/// bond dimension is r + 2 (states: done, r open bonds, not started).
/// </summary>
public static class LiouvillianMpo
{
    public static MatrixProductOperator Create(FermionParameters p)
    {
        int L = p.Length;
        var r = p.Rates;
        var bond = BondTerm(p.Hopping, p.Interaction);
        int k = bond.Count, w = k + 2;
        var bonds = new int[L + 1];
        for (int x = 0; x <= L; x++) bonds[x] = x == 0 || x == L ? 1 : w;
        var W = new double[L][];
        var I = Flatten(Superoperator(1, X => X));
        for (int x = 0; x < L; x++)
        {
            var S = Flatten(OnSite(L, x, p.Fields[x], r));
            int wl = bonds[x], wr = bonds[x + 1];
            var T = new double[wl * wr * 16];
            // row / column of the bulk automaton seen by this site's (possibly one-row / one-column) tensor
            int Row(int a) => x == 0 ? (a == w - 1 ? 0 : -1) : a;
            int Col(int b) => x == L - 1 ? (b == 0 ? 0 : -1) : b;
            void Put(int a, int b, double[] M)
            {
                int i = Row(a), j = Col(b);
                if (i < 0 || j < 0) return;
                for (int q = 0; q < 16; q++) T[(i * wr + j) * 16 + q] += M[q];
            }
            Put(0, 0, I);
            Put(w - 1, w - 1, I);
            Put(w - 1, 0, S);
            for (int q = 0; q < k; q++)
            {
                Put(w - 1, 1 + q, bond[q].A);
                Put(1 + q, 0, bond[q].B);
            }
            W[x] = T;
        }
        return new MatrixProductOperator(D, bonds, W);
    }

    /// <summary>The projector onto the identity direction, Π = |t&gt;&lt;t| / 2^L with t = coefficients of 1:
    /// the product MPO ⊗_x (e e^T / 2), e = (1, 1, 0, 0). Π rho = tr(rho) · 1/2^L.</summary>
    public static MatrixProductOperator TraceProjector(int L)
    {
        var M = new double[16];
        for (int s = 0; s < 4; s++) for (int t = 0; t < 4; t++) M[s * 4 + t] = 0.5 * LiouvilleBasis.Identity[s] * LiouvilleBasis.Identity[t];
        return MatrixProductOperator.Product(L, D, M);
    }

    /// <summary>S_x: the field term and the dissipators acting on site x (0-based).</summary>
    static double[,] OnSite(int L, int x, double h, Rates r)
    {
        var jumps = new List<Complex[,]>();
        if (x == 0)
        {
            jumps.Add(Scale(Raising, Math.Sqrt(r.G1p)));
            jumps.Add(Scale(Lowering, Math.Sqrt(r.G1m)));
        }
        if (x == L - 1)
        {
            jumps.Add(Scale(Raising, Math.Sqrt(r.GLp)));
            jumps.Add(Scale(Lowering, Math.Sqrt(r.GLm)));
        }
        var H = Scale(Occupation, 2 * h);
        return Superoperator(1, X =>
        {
            var Y = Commutator(H, X, new Complex(0, -1));
            foreach (var c in jumps) Y = Dissipate(c, X, Y);
            return Y;
        });
    }

    /// <summary>T = sum_k A_k ⊗ B_k, the bond superoperator split by an SVD of its rearranged 16 × 16 matrix.</summary>
    static List<(double[] A, double[] B)> BondTerm(double J, double V)
    {
        var h = Add(Scale(Add(Kron(Raising, Lowering), Kron(Lowering, Raising), 1), J), Kron(Occupation, Occupation), V);
        var T = Superoperator(2, X => Commutator(h, X, new Complex(0, -1)));
        // R[(j1 k1), (j2 k2)] = T[(j1 j2), (k1 k2)]
        var R = Matrix<double>.Build.Dense(16, 16);
        for (int j1 = 0; j1 < 4; j1++) for (int j2 = 0; j2 < 4; j2++)
            for (int k1 = 0; k1 < 4; k1++) for (int k2 = 0; k2 < 4; k2++)
                R[j1 * 4 + k1, j2 * 4 + k2] = T[j1 * 4 + j2, k1 * 4 + k2];
        var svd = R.Svd(true);
        var terms = new List<(double[], double[])>();
        double s0 = svd.S[0];
        for (int q = 0; q < 16; q++)
        {
            double s = svd.S[q];
            if (!(s > 1e-13 * s0)) break;
            var a = new double[16]; var b = new double[16];
            for (int i = 0; i < 16; i++) { a[i] = Math.Sqrt(s) * svd.U[i, q]; b[i] = Math.Sqrt(s) * svd.VT[q, i]; }
            terms.Add((a, b));
        }
        return terms;
    }

    /// <summary>s [H, X].</summary>
    static Complex[,] Commutator(Complex[,] H, Complex[,] X, Complex s) =>
        Add(Add(new Complex[H.GetLength(0), H.GetLength(0)], Multiply(H, X), s), Multiply(X, H), -s);

    /// <summary>Y + c X c+ − (c+c X + X c+c)/2.</summary>
    static Complex[,] Dissipate(Complex[,] c, Complex[,] X, Complex[,] Y)
    {
        var cd = Adjoint(c);
        var cc = Multiply(cd, c);
        Y = Add(Y, Multiply(Multiply(c, X), cd), 1);
        Y = Add(Y, Multiply(cc, X), -0.5);
        return Add(Y, Multiply(X, cc), -0.5);
    }

    static Complex[,] Scale(Complex[,] A, double s) => Add(new Complex[A.GetLength(0), A.GetLength(1)], A, s);

    static double[] Flatten(double[,] M)
    {
        var f = new double[M.Length];
        int n = M.GetLength(1);
        for (int i = 0; i < M.GetLength(0); i++) for (int j = 0; j < n; j++) f[i * n + j] = M[i, j];
        return f;
    }
}
