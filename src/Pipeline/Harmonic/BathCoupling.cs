namespace Ness.Pipeline.Harmonic;

/// <summary>The bath coupling lambda of eq. (2.4): <see cref="Weak"/>, the limit lambda → 0 of eq. (2.9)
/// (<c>--weak-coupling</c>), or <see cref="Finite"/> lambda &gt; 0, the exact NESS of eq. (2.6)–(2.7)
/// (<c>--bath-coupling LAMBDA</c>).</summary>
public abstract record BathCoupling
{
    /// <summary>The weak-coupling limit lambda → 0.</summary>
    public static readonly BathCoupling Weak = new WeakLimit();

    public sealed record WeakLimit : BathCoupling;

    /// <summary>A finite bath coupling lambda &gt; 0.</summary>
    public sealed record Finite(double Lambda) : BathCoupling;
}
