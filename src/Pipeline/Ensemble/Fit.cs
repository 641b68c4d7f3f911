namespace Ness.Pipeline.Ensemble;

/// <summary>Least-squares fits of two parameters to disorder averages: the paper's a + b √L law for the step
/// width and midpoint spread (Figure 3) and ln|J| = a + b L (Figure 8).</summary>
public static class Fit
{
    /// <summary>y ≈ a + b f by ordinary least squares; null with fewer than 2 distinct values of f.</summary>
    public static (double A, double B)? Affine(double[] f, double[] y)
    {
        int n = f.Length;
        if (n < 2 || y.Length != n) return null;
        double mf = f.Average(), my = y.Average(), sff = 0, sfy = 0;
        for (int i = 0; i < n; i++) { sff += (f[i] - mf) * (f[i] - mf); sfy += (f[i] - mf) * (y[i] - my); }
        if (sff == 0) return null;
        double b = sfy / sff;
        return (my - b * mf, b);
    }

    /// <summary>y ≈ a + b √L (Figure 3).</summary>
    public static (double A, double B)? SqrtLaw(double[] L, double[] y) => Affine([.. L.Select(Math.Sqrt)], y);

    /// <summary>y ≈ a + b L (Figure 8: y = mean ln|J|, b = −1/ξ).</summary>
    public static (double A, double B)? Linear(double[] L, double[] y) => Affine(L, y);
}
