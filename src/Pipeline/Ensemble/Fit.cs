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

    /// <summary>y ≈ a + b x by least squares weighted with 1/σ² (σ = the standard errors of the y), with the
    /// standard errors of a and b from the σ alone (the covariance (XᵀWX)⁻¹) and χ² = Σ (y − a − b x)²/σ²
    /// (about points − 2 if the line fits within the errors). Null with fewer than 2 distinct x or a σ ≤ 0.</summary>
    public static (double A, double B, double SeA, double SeB, double Chi2)? WeightedLinear(double[] x, double[] y, double[] sigma)
    {
        int n = x.Length;
        if (n < 2 || y.Length != n || sigma.Length != n || sigma.Any(v => !(v > 0))) return null;
        double S = 0, Sx = 0, Sy = 0;
        for (int i = 0; i < n; i++) { double w = 1 / (sigma[i] * sigma[i]); S += w; Sx += w * x[i]; Sy += w * y[i]; }
        double mx = Sx / S, my = Sy / S, Sxx = 0, Sxy = 0;
        for (int i = 0; i < n; i++) { double w = 1 / (sigma[i] * sigma[i]); Sxx += w * (x[i] - mx) * (x[i] - mx); Sxy += w * (x[i] - mx) * (y[i] - my); }
        if (!(Sxx > 0)) return null;
        double b = Sxy / Sxx, a = my - b * mx, chi2 = 0;
        for (int i = 0; i < n; i++) { double r = (y[i] - a - b * x[i]) / sigma[i]; chi2 += r * r; }
        return (a, b, Math.Sqrt(1 / S + mx * mx / Sxx), Math.Sqrt(1 / Sxx), chi2);
    }
}
