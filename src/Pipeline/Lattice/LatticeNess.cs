using System.Collections.Immutable;

namespace Ness.Pipeline.Lattice;

/// <summary>A certified NESS of the harmonic model on a box (<see cref="HarmonicBox.SteadyState"/>): T(x) per site
/// (x fastest) and its mean over each x-slice, the energy current into each bath and their sum (zero to rounding),
/// the certificate (method and checks) and the wall time of the solve.</summary>
public sealed record LatticeSteadyState(
    LatticeParameters Parameters, ImmutableArray<double> Profile, ImmutableArray<double> ProfileX,
    ImmutableArray<double> BathCurrents, double CurrentSum, Certificate Certificate, double Seconds)
{
    /// <summary>How the profile was computed (<see cref="Certificate.Method"/>).</summary>
    public string Method => Certificate.Method;
}

/// <summary>Observables of a box's profile.</summary>
public static class LatticeNess
{
    /// <summary>profile_x: the mean of T over each slice x = const (NY NZ sites each).</summary>
    public static ImmutableArray<double> SliceMeans(LatticeParameters p, ImmutableArray<double> t)
    {
        var b = p.Box;
        var m = new double[b.NX];
        for (int i = 0; i < t.Length; i++) m[i % b.NX] += t[i];
        for (int x = 0; x < b.NX; x++) m[x] /= b.NY * b.NZ;
        return [.. m];
    }
}
