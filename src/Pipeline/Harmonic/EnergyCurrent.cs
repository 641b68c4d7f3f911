
namespace Ness.Pipeline.Harmonic;

/// <summary>Energy currents into the chain at finite lambda: left = lambda (T1 - T(1)) injected at site 1,
/// right = -lambda (TL - T(L)) extracted at site L (equal in the NESS).</summary>
public sealed record EnergyCurrent(double Left, double Right)
{
    public static EnergyCurrent? Of(HarmonicParameters p, TemperatureProfile profile) =>
        p.BathCoupling is double lambda
            ? new EnergyCurrent(lambda * (p.TLeft - profile.Temperatures[0]), -lambda * (p.TRight - profile.Temperatures[^1]))
            : null;
}
