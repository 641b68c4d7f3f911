namespace Ness.Pipeline.Harmonic;

/// <summary>The energy current through the chain from site 1 to site L, with its logarithm (it falls like e^{-L/xi} and
/// is computed with full relative accuracy: <see cref="LogAbs"/> stays meaningful where the value underflows).</summary>
public abstract record EnergyCurrent(double Value, double LogAbs)
{
    /// <summary>At finite lambda: J = lambda (T1 − T(1)) = lambda (T(L) − TL), injected at site 1 and extracted at site L.</summary>
    public sealed record Finite(double Value, double LogAbs) : EnergyCurrent(Value, LogAbs);

    /// <summary>At weak coupling: the leading order J / lambda of the current, which vanishes with lambda
    /// (<see cref="WeakCoupling.Solve"/>).</summary>
    public sealed record PerBathCoupling(double Value, double LogAbs) : EnergyCurrent(Value, LogAbs);
}
