namespace Ness.Numerics;

/// <summary>Sums of numbers held as their logarithms, for tails far below double's range (e.g. the weak-coupling
/// currents of long localized chains, ln|J| ~ −1000).</summary>
public static class LogSpace
{
    /// <summary>ln Σ_i exp(a_i), shifted by the largest term so that no exp overflows or underflows to zero
    /// for the dominant terms; −∞ for an empty or all −∞ input (and NaN/±∞ passed through).</summary>
    public static double Sum(ReadOnlySpan<double> a)
    {
        double m = double.NegativeInfinity;
        foreach (var v in a) m = Math.Max(m, v);
        if (!double.IsFinite(m)) return m;
        double s = 0;
        foreach (var v in a) s += Math.Exp(v - m);
        return m + Math.Log(s);
    }
}
