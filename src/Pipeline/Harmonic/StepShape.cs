using System.Collections.Immutable;

namespace Ness.Pipeline.Harmonic;

/// <summary>
/// Step width w and midpoint m of a temperature profile, paper Figure 3 (1-based sites): x- is the first site
/// with T(x-) &gt; T1 + 0.3 (TL - T1), x+ the last site with T(x+) &lt; TL - 0.3 (TL - T1), w = x+ - x- + 1,
/// m = (x+ + x-)/2. Generalized to T1 &gt; TL by reading "&gt;" and "&lt;" as "past 30% of the way from T1 towards TL"
/// and "short of 70% of the way": with s = sign(TL - T1), s T(x-) &gt; s (T1 + 0.3 (TL - T1)) and
/// s T(x+) &lt; s (TL - 0.3 (TL - T1)); this makes (w, m) invariant under T -&gt; a + b T and under mirror
/// reflection (reversed profile, swapped temperatures: m -&gt; L + 1 - m). Both are null when T1 = TL (no step)
/// or when no site qualifies as x- or x+. A perfectly sharp step gives w = 0 (x+ = x- - 1).
/// </summary>
public sealed record StepShape(int? Width, double? Midpoint)
{
    public static readonly StepShape None = new(null, null);

    /// <summary>Figure 3's step width and midpoint of the profile T(1..L) between bath temperatures t1 and tL.</summary>
    public static StepShape Of(ImmutableArray<double> t, double t1, double tL)
    {
        if (!(t1 != tL)) return None;
        double s = Math.Sign(tL - t1);
        double lower = s * (t1 + 0.3 * (tL - t1)), upper = s * (tL - 0.3 * (tL - t1));
        int xMinus = -1, xPlus = -1;
        for (int x = 0; x < t.Length; x++)
            if (s * t[x] > lower) { xMinus = x + 1; break; }
        for (int x = t.Length - 1; x >= 0; x--)
            if (s * t[x] < upper) { xPlus = x + 1; break; }
        if (xMinus < 0 || xPlus < 0) return None;
        return new StepShape(xPlus - xMinus + 1, 0.5 * (xPlus + xMinus));
    }
}
