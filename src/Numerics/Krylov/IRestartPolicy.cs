using LanguageExt;

namespace Ness.Numerics.Krylov;

/// <summary>How long a GMRES cycle is, and whether it may grow when GMRES stagnates.</summary>
public interface IRestartPolicy
{
    int Initial { get; }

    /// <summary>A longer cycle after stagnation at cycle length <paramref name="current"/>, or None.</summary>
    Option<int> Grow(int current);
}

/// <summary>Cycle m, doubled on stagnation up to <see cref="Max"/> while <see cref="Fits"/> (the memory budget)
/// allows it.</summary>
public sealed record DoublingRestart(int Initial, int Max, Func<int, bool> Fits) : IRestartPolicy
{
    public static DoublingRestart Fixed(int m) => new(m, m, _ => true);

    public Option<int> Grow(int current) =>
        2 * current <= Max && Fits(2 * current) ? Prelude.Some(2 * current) : Prelude.None;
}
