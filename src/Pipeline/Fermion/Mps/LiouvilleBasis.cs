using System.Numerics;

namespace Ness.Pipeline.Fermion.Mps;

/// <summary>
/// The real orthonormal basis of one site's operator space (Liouville space, local dimension 4) in which the
/// MPS solver works: B0 = |0&gt;&lt;0|, B1 = |1&gt;&lt;1|, B2 = σx/√2, B3 = σy/√2 (|1&gt; = occupied). Every
/// Hermitian operator has real coefficients, tr(B_j B_k) = δ_jk (so the Frobenius norm of rho is the Euclidean
/// norm of its coefficients), and every Hermiticity-preserving superoperator, the Liouvillian of section 3.2
/// included, is a real matrix. The steady state is Hermitian by construction.
/// The chain is written in the spin picture (a_x → σ−_x without strings): nearest-neighbour hopping carries no
/// Jordan–Wigner sign, and the strings of the boundary jumps cancel in c rho c+ (docs/numerics.md, q = 0 sector).
/// </summary>
public static class LiouvilleBasis
{
    public const int D = 4;

    /// <summary>Coefficients of the identity: tr(B_k) = (1, 1, 0, 0).</summary>
    public static readonly double[] Identity = [1, 1, 0, 0];

    /// <summary>Coefficients giving tr(B_k n) = (0, 1, 0, 0): n_x = tr(rho n_x).</summary>
    public static readonly double[] Number = [0, 1, 0, 0];

    /// <summary>B_k as 2×2 complex matrices.</summary>
    public static Complex[,] Element(int k)
    {
        double r = 1 / Math.Sqrt(2);
        return k switch
        {
            0 => new Complex[,] { { 1, 0 }, { 0, 0 } },
            1 => new Complex[,] { { 0, 0 }, { 0, 1 } },
            2 => new Complex[,] { { 0, r }, { r, 0 } },
            3 => new Complex[,] { { 0, new Complex(0, -r) }, { new Complex(0, r), 0 } },
            _ => throw new ArgumentOutOfRangeException(nameof(k)),
        };
    }

    /// <summary>σ+ = |1&gt;&lt;0| (creates), σ− = |0&gt;&lt;1|, n = |1&gt;&lt;1| on one site.</summary>
    public static Complex[,] Raising => new Complex[,] { { 0, 0 }, { 1, 0 } };
    public static Complex[,] Lowering => new Complex[,] { { 0, 1 }, { 0, 0 } };
    public static Complex[,] Occupation => new Complex[,] { { 0, 0 }, { 0, 1 } };

    /// <summary>The real matrix S[j, k] = tr(B_j f(B_k)) of a Hermiticity-preserving map f on n sites
    /// (operators of dimension 2^n, site 1 the leftmost Kronecker factor). Throws if f is not real in this basis.</summary>
    public static double[,] Superoperator(int n, Func<Complex[,], Complex[,]> f)
    {
        int m = 1 << (2 * n);
        var S = new double[m, m];
        var basis = new Complex[m][,];
        for (int k = 0; k < m; k++) basis[k] = Product(n, k);
        for (int k = 0; k < m; k++)
        {
            var fk = f(basis[k]);
            for (int j = 0; j < m; j++)
            {
                var z = Trace(Multiply(basis[j], fk));
                if (Math.Abs(z.Imaginary) > 1e-12 * (1 + z.Magnitude))
                    throw new InvalidOperationException("superoperator is not Hermiticity-preserving");
                S[j, k] = z.Real;
            }
        }
        return S;
    }

    /// <summary>B_{k1} ⊗ ... ⊗ B_{kn} with k = k1 · 4^(n−1) + ... + kn.</summary>
    static Complex[,] Product(int n, int k)
    {
        var P = new Complex[,] { { 1 } };
        for (int i = n - 1; i >= 0; i--) P = Kron(P, Element((k >> (2 * i)) & 3));
        return P;
    }

    public static Complex[,] Kron(Complex[,] A, Complex[,] B)
    {
        int ra = A.GetLength(0), ca = A.GetLength(1), rb = B.GetLength(0), cb = B.GetLength(1);
        var C = new Complex[ra * rb, ca * cb];
        for (int i = 0; i < ra; i++) for (int j = 0; j < ca; j++)
            for (int k = 0; k < rb; k++) for (int l = 0; l < cb; l++)
                C[i * rb + k, j * cb + l] = A[i, j] * B[k, l];
        return C;
    }

    public static Complex[,] Multiply(Complex[,] A, Complex[,] B)
    {
        int n = A.GetLength(0), m = B.GetLength(1), q = A.GetLength(1);
        var C = new Complex[n, m];
        for (int i = 0; i < n; i++) for (int k = 0; k < q; k++)
        {
            var a = A[i, k];
            if (a == Complex.Zero) continue;
            for (int j = 0; j < m; j++) C[i, j] += a * B[k, j];
        }
        return C;
    }

    public static Complex[,] Add(Complex[,] A, Complex[,] B, Complex s)
    {
        var C = (Complex[,])A.Clone();
        for (int i = 0; i < C.GetLength(0); i++) for (int j = 0; j < C.GetLength(1); j++) C[i, j] += s * B[i, j];
        return C;
    }

    public static Complex[,] Adjoint(Complex[,] A)
    {
        var C = new Complex[A.GetLength(1), A.GetLength(0)];
        for (int i = 0; i < A.GetLength(0); i++) for (int j = 0; j < A.GetLength(1); j++) C[j, i] = Complex.Conjugate(A[i, j]);
        return C;
    }

    static Complex Trace(Complex[,] A)
    {
        Complex t = 0;
        for (int i = 0; i < A.GetLength(0); i++) t += A[i, i];
        return t;
    }
}
