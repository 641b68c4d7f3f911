using System.Collections.Immutable;
using System.Globalization;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Ness.Pipeline;

/// <summary>One number of a certificate, named as in the JSON output: a <see cref="Check"/> (a number with the limit
/// it must meet), a <see cref="Number"/> (a count, a timing, a setting: reported, not judged) or a <see cref="Flag"/>
/// (a yes/no fact of the solve, written 1/0).</summary>
public abstract record Fact(string Name);

/// <summary>
/// A certification check: <see cref="Value"/> must be at most <see cref="Limit"/> (or at least, when
/// <see cref="AtLeast"/>); NaN never passes. <see cref="Refusal"/> says, in the user's terms, what a failure means
/// (it becomes the exit-3 message). A check that does not apply to this result (e.g. the current's relative error when
/// the current is exactly 0) has the limit +∞ (or −∞ with <see cref="AtLeast"/>).
/// </summary>
public sealed record Check(string Name, double Value, double Limit, string Refusal, bool AtLeast = false) : Fact(Name)
{
    public bool Passes => AtLeast ? Value >= Limit : Value <= Limit;

    /// <summary>"value &gt; limit" (or "&lt;"), for refusal messages.</summary>
    public string Comparison => string.Create(CultureInfo.InvariantCulture,
        $"{Value:G3} {(AtLeast ? "<" : ">")} {Limit:G3}");
}

/// <summary>A reported number that certifies nothing by itself (iterations, timings, sizes).</summary>
public sealed record Number(string Name, double Value) : Fact(Name);

/// <summary>A yes/no fact of the solve (written 1/0 in the JSON, as before the certificate was typed).</summary>
public sealed record Flag(string Name, bool Value) : Fact(Name);

/// <summary>A sentence the reader of an accepted result should see (e.g. why a refinement stopped short of its
/// targets); not a number: <see cref="Certificate.Value"/> does not return it.</summary>
public sealed record Note(string Name, string Text) : Fact(Name);

/// <summary>
/// The certificate of a result: the method that computed it and its facts in output order. Every model and solver
/// reports through this type; the first failing <see cref="Check"/> is the refusal (<see cref="Verify"/>), so a
/// result that exists has passed all of its checks.
/// </summary>
public sealed record Certificate(string Method, ImmutableArray<Fact> Facts)
{
    public IEnumerable<Check> Checks => Facts.OfType<Check>();

    /// <summary>The first check that fails, in order.</summary>
    public Option<Check> FirstFailure => Checks.Where(c => !c.Passes).HeadOrNone();

    /// <summary>The value of a check, number or flag (1/0) by name (None for a <see cref="Note"/>).</summary>
    public Option<double> Value(string name) =>
        Facts.Where(f => f.Name == name && f is not Note).HeadOrNone().Map(f => f switch
        {
            Check c => c.Value,
            Number n => n.Value,
            Flag b => b.Value ? 1.0 : 0.0,
            _ => throw new InvalidOperationException($"unknown fact {f}"),
        });

    /// <summary>The check of that name.</summary>
    public Option<Check> CheckNamed(string name) => Checks.Where(c => c.Name == name).HeadOrNone();

    /// <summary>This certificate, or the refusal "PREFIX + the first failing check's refusal" (exit 3).</summary>
    public Fin<Certificate> Verify(string prefix = "") =>
        FirstFailure.Match(
            Some: c => FinFail<Certificate>(new NumericsRefused(prefix + c.Refusal)),
            None: () => FinSucc(this));

    /// <summary>The facts of <paramref name="more"/> appended to these.</summary>
    public Certificate With(IEnumerable<Fact> more) => this with { Facts = Facts.AddRange(more) };
}
