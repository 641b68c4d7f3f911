namespace Ness.Pipeline.Fermion;

/// <summary>Lindblad rates of eq. (3.8): injection g1p and extraction g1m at site 1, gLp and gLm at site L.</summary>
public sealed record Rates(double G1p, double G1m, double GLp, double GLm)
{
    /// <summary>The default rates of <c>ness fermion</c> and of the library: injection dominates at site 1,
    /// extraction at site L.</summary>
    public static readonly Rates Default = new(3, 1, 2, 1);

    public double[] ToArray() => [G1p, G1m, GLp, GLm];
}
