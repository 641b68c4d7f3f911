using LanguageExt;

namespace Ness.Pipeline;

/// <summary>The refusals of Ness.Numerics as the pipeline's own errors: <see cref="Numerics.Decoupled"/> is a
/// <see cref="SteadyStateNotUnique"/>, any other <see cref="Numerics.Refused"/> a <see cref="NumericsRefused"/>
/// (same message, exit 3); other errors pass unchanged.</summary>
static class Refusals
{
    public static Fin<T> AsRefusal<T>(this Fin<T> result) =>
        result.Match(Fin<T>.Succ, e => Fin<T>.Fail(e switch
        {
            Numerics.Decoupled d => new SteadyStateNotUnique(d.Reason),
            Numerics.Refused r => new NumericsRefused(r.Detail),
            _ => e,
        }));
}
