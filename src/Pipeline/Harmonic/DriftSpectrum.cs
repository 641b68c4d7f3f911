using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace Ness.Pipeline.Harmonic;

/// <summary>
/// The spectral decomposition A W = W E of a drift matrix, eq. (2.6), in dense double precision (MathNet, managed):
/// the complex eigenvalues E_k and eigenvectors W from MathNet's real block form. Shared by the chain
/// (<see cref="ExactCovariance"/>) and the box (<c>Lattice.LatticeSpectral</c>).
/// </summary>
public static class DriftSpectrum
{
    /// <summary>The unit roundoff of double precision (2^-52), of the first-order error bounds eps ||A|| kappa_k / |Re E_k|.</summary>
    public const double Eps = 2.2204460492503131e-16;

    public static (Complex[] E, Matrix<Complex> W) Of(Matrix<double> a)
    {
        var evd = a.Evd(Symmetricity.Asymmetric);
        return ComplexEigenpairs(evd.D, evd.EigenVectors);
    }

    /// <summary>Complex eigenvalues and eigenvectors from MathNet's real block form (A V = V D, 2x2 blocks
    /// [[re, im], [-im, re]] for complex pairs, whose eigenvectors are V_j +- i V_j+1).</summary>
    static (Complex[] E, Matrix<Complex> W) ComplexEigenpairs(Matrix<double> d, Matrix<double> v)
    {
        int dim = d.RowCount;
        var e = new Complex[dim];
        var w = Matrix<Complex>.Build.Dense(dim, dim);
        for (int j = 0; j < dim; j++)
        {
            if (j + 1 < dim && d[j, j + 1] != 0)
            {
                double re = d[j, j], im = d[j, j + 1];
                e[j] = new Complex(re, im);
                e[j + 1] = new Complex(re, -im);
                for (int i = 0; i < dim; i++)
                {
                    w[i, j] = new Complex(v[i, j], v[i, j + 1]);
                    w[i, j + 1] = new Complex(v[i, j], -v[i, j + 1]);
                }
                j++;
            }
            else
            {
                e[j] = d[j, j];
                for (int i = 0; i < dim; i++) w[i, j] = v[i, j];
            }
        }
        return (e, w);
    }
}
