namespace Ness.Pipeline;

/// <summary>
/// The documented disorder generator. Realization r of an ensemble with seed S draws its values from
/// a SplitMix64 stream whose state starts at Mix(Mix(S) ^ (r + 1) * 0x9E3779B97F4A7C15) (Mix = the
/// SplitMix64 finaliser); each value is a + (b - a) u with u = (next >> 11) 2^-53 in [0, 1).
/// Integer arithmetic only: the same (S, r) gives the same values on every machine, runtime and
/// thread count. A single run with <c>--seed S</c> is realization 0 of the ensemble with seed S.
/// </summary>
public static class Disorder
{
    /// <summary>The generator's name in the output's provenance.</summary>
    public const string GeneratorName = "splitmix64-uniform";

    /// <summary>n values uniform in [a, b) for realization r of seed S.</summary>
    public static double[] Uniform(long seed, long realization, int n, double a, double b)
    {
        ulong state = Mix(Mix(unchecked((ulong)seed)) ^ unchecked(((ulong)realization + 1UL) * 0x9E3779B97F4A7C15UL));
        var x = new double[n];
        for (int i = 0; i < n; i++)
        {
            state = unchecked(state + 0x9E3779B97F4A7C15UL);
            double u = (Mix(state) >> 11) * (1.0 / 9007199254740992.0);
            x[i] = a + (b - a) * u;
        }
        return x;
    }

    static ulong Mix(ulong z)
    {
        unchecked
        {
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
