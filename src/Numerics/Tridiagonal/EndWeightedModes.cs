namespace Ness.Numerics.Tridiagonal;

/// <summary>
/// Averages over the eigenvectors psi_k of a <see cref="SymmetricTridiagonal"/> matrix with weights set by their two
/// ends, the form of eq. (2.9) and of its free-fermion twin: <see cref="Num"/>[x] = sum_k psi_k(x)^2 f_k and
/// <see cref="Den"/>[x] = sum_k psi_k(x)^2 (1 exactly; its computed deviation is <see cref="Completeness"/>), with
/// f_k and a log-term l_k given by ln psi_k(1)^2 and ln psi_k(L)^2. The eigenvectors come as logarithms of their
/// squares (<see cref="TwistedEigenvector"/>): full relative accuracy in the tails; terms whose exponential underflows
/// are skipped. O(L^2) time, O(L) memory.
/// </summary>
public sealed record EndWeightedModes(double[] Num, double[] Den, double[] LogTerm, double MaxResidual)
{
    /// <summary>max_x |sum_k psi_k(x)^2 − 1|: how far the computed eigenvectors are from complete.</summary>
    public double Completeness
    {
        get
        {
            double c = 0;
            for (int x = 0; x < Den.Length; x++) c = Math.Max(c, Math.Abs(Den[x] - 1));
            return c;
        }
    }

    /// <param name="e">the eigenvalues of <paramref name="h"/> (<see cref="SturmBisection"/>)</param>
    /// <param name="weight">(ln psi_k(1)^2, ln psi_k(L)^2) → (f_k, l_k)</param>
    public static EndWeightedModes Of(SymmetricTridiagonal h, double[] e, Func<double, double, (double F, double LogTerm)> weight)
    {
        int n = h.Length;
        var dPlus = new double[n];
        var dMinus = new double[n];
        var logPsi2 = new double[n];
        var num = new double[n];
        var den = new double[n];
        var logTerm = new double[n];
        double maxResidual = 0;
        for (int k = 0; k < n; k++)
        {
            var (_, residual) = TwistedEigenvector.LogSquares(h, e[k], dPlus, dMinus, logPsi2);
            maxResidual = Math.Max(maxResidual, residual);
            var (f, l) = weight(logPsi2[0], logPsi2[n - 1]);
            logTerm[k] = l;
            for (int x = 0; x < n; x++)
                if (logPsi2[x] > TwistedEigenvector.ExpUnderflow)   // exp would underflow to 0
                {
                    double w = Math.Exp(logPsi2[x]);
                    num[x] += w * f;
                    den[x] += w;
                }
        }
        return new EndWeightedModes(num, den, logTerm, maxResidual);
    }
}

/// <summary>The smallest gap of an ascending spectrum e, where it is (between e[At] and e[At + 1]) and in ulps of
/// max |e| (+∞ for a single eigenvalue): gaps of a few ulps cannot separate their eigenvectors in double precision.</summary>
public readonly record struct SpectralGap(double Gap, int At, double Ulps)
{
    public static SpectralGap Of(double[] e)
    {
        int n = e.Length;
        double scale = Math.Max(Math.Abs(e[0]), Math.Abs(e[n - 1]));
        double minGap = double.PositiveInfinity;
        int at = 0;
        for (int k = 0; k + 1 < n; k++)
            if (e[k + 1] - e[k] < minGap) { minGap = e[k + 1] - e[k]; at = k; }
        return new SpectralGap(minGap, at, minGap / (Math.BitIncrement(scale) - scale));
    }
}
