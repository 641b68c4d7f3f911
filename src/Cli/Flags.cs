using ArgumentArity = System.CommandLine.ArgumentArity;
using ParseResult = System.CommandLine.ParseResult;
using System.Globalization;
using LanguageExt;
using LanguageExt.Common;
using Ness.Pipeline;
using static LanguageExt.Prelude;

namespace Ness.Cli;

/// <summary>
/// Typed command-line flags: one parser per kind (integer, number, list of numbers, choice, text), each
/// naming its flag in the message of a bad value (exit 2). A default is set with <see cref="Default{T}"/>
/// from the pipeline's parameter records and printed once, by the help (<c>[default: ...]</c>); a flag
/// that may be missing is read as an <c>Option&lt;T&gt;</c> with <see cref="Given{T}"/>.
/// Range checks that belong to the physics live in the parameter records of the pipeline; the integer
/// parsers check only what the type (or the size of an allocation) demands.
/// <para>To add a flag: declare it once, where its command's flags are (a model flag in
/// <c>FermionOptions</c>/<c>HarmonicOptions</c>, which the single run and the ensemble share; an ensemble flag in
/// <c>EnsembleCommand.Common</c>), e.g.
/// <c>public readonly Flag&lt;int&gt; Restart = Flags.Int("--restart", "GMRES restart length.", 1, 4096).Default(KrylovOptions.Default.Restart);</c>,
/// add it in <c>AddTo</c>, and read it with <c>r.Value(Restart)</c> (or <c>r.Given(...)</c>, an Option,
/// when it has no default). The default lives in the pipeline's record and the help prints it. A new solver is
/// a member of the <c>FermionSolver</c> enum: <c>Flags.Choice&lt;FermionSolver&gt;</c> offers it at once.</para>
/// </summary>
public static class Flags
{
    /// <summary>An integer in <paramref name="min"/>..<paramref name="max"/>.</summary>
    public static Flag<int> Int(string name, string description, int min, int max, params string[] aliases) =>
        Make(name, description, t => ParseInt(name, t, min, max), aliases);

    /// <summary>A 64-bit integer in <paramref name="min"/>..<paramref name="max"/>.</summary>
    public static Flag<long> Long(string name, string description, long min = long.MinValue, long max = long.MaxValue,
                                    params string[] aliases) =>
        Make(name, description, t => ParseLong(name, t, min, max), aliases);

    /// <summary>A finite number.</summary>
    public static Flag<double> Double(string name, string description, params string[] aliases) =>
        Make(name, description, t => ParseDouble(name, t), aliases);

    /// <summary>Comma-separated finite numbers; exactly <paramref name="count"/> of them if given.</summary>
    public static Flag<double[]> Doubles(string name, string description, int? count = null, string? what = null,
                                           params string[] aliases) =>
        Make(name, description, t => ParseDoubles(name, t, count, what), aliases);

    /// <summary>Comma-separated integers, each in <paramref name="min"/>..<paramref name="max"/>.</summary>
    public static Flag<int[]> Ints(string name, string description, int min, int max, params string[] aliases) =>
        Make(name, description, t => ParseInts(name, t, min, max), aliases);

    /// <summary>One of the values of the enum <typeparamref name="T"/>, written in lower case: adding a
    /// member to the enum adds the choice to the command line.</summary>
    public static Flag<T> Choice<T>(string name, string description, params string[] aliases) where T : struct, Enum
    {
        var o = Make(name, description, t => ParseChoice<T>(name, t), aliases);
        o.HelpName = string.Join("|", Names<T>());
        return o;
    }

    /// <summary>One of the words <paramref name="allowed"/> (case-insensitive), given back as written there.</summary>
    public static Flag<string> Choice(string name, string description, string[] allowed, params string[] aliases)
    {
        var o = Make(name, description, t => ParseChoice(name, t, allowed), aliases);
        o.HelpName = string.Join("|", allowed);
        return o;
    }

    /// <summary>Any non-empty text (a file or directory name).</summary>
    public static Flag<string> Text(string name, string description, params string[] aliases) =>
        Make(name, description, t => t.Trim().Length > 0 ? FinSucc(t) : FinFail<string>(new BadInput(name, "is empty")), aliases);

    /// <summary>A value parsed by <paramref name="parse"/> (for kinds that belong to the pipeline, e.g. a shard).</summary>
    public static Flag<T> Of<T>(string name, string description, Func<string, Fin<T>> parse, params string[] aliases) =>
        Make(name, description, parse, aliases);

    /// <summary>A switch (present or not).</summary>
    public static Flag<bool> Switch(string name, string description) => new(name) { Description = description };

    /// <summary>The value used when the flag is not given; the help prints it (once, as it is written
    /// on the command line).</summary>
    public static Flag<T> Default<T>(this Flag<T> o, T value, string? shown = null)
    {
        o.Fallback = value;
        o.Description = $"{o.Description} [default: {shown ?? Show(value)}]";
        return o;
    }

    public static Flag<T> Required<T>(this Flag<T> o)
    {
        o.Required = true;
        return o;
    }

    /// <summary>The value written on the command line, or None (a default does not count as given).</summary>
    public static Option<T> Given<T>(this ParseResult r, Flag<T> o) =>
        r.GetResult(o) is not null ? Some(r.GetValue(o)!) : None;

    /// <summary>The value written on the command line, or its default.</summary>
    public static T Value<T>(this ParseResult r, Flag<T> o) => r.Given(o).IfNone(() => o.Fallback.IfNone(default(T)!));

    /// <summary>The value, or <paramref name="missing"/> as the failure.</summary>
    public static Fin<T> OrFail<T>(this Option<T> o, Error missing) =>
        o.Match(Some: FinSucc, None: () => FinFail<T>(missing));

    /// <summary>A default as it is written on the command line: lists comma-separated, choices in lower case.</summary>
    public static string Show(object? value) => value switch
    {
        null => "",
        string t => t,
        Enum e => e.ToString().ToLowerInvariant(),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        System.Collections.IEnumerable xs => string.Join(",", xs.Cast<object?>().Select(Show)),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    static Flag<T> Make<T>(string name, string description, Func<string, Fin<T>> parse, string[] aliases)
    {
        var o = new Flag<T>(name, aliases) { Description = description, Arity = ArgumentArity.ExactlyOne };
        o.CustomParser = r => r.Tokens.Count == 1
            ? parse(r.Tokens[0].Value).Match(Succ: x => x, Fail: e => { r.AddError(e.Message); return default!; })
            : default!;
        return o;
    }

    // ---- one parser per kind (text -> value), also used where a value is not a flag of its own ----

    public static Fin<double> ParseDouble(string flag, string text) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var x)
            ? double.IsFinite(x) ? FinSucc(x) : FinFail<double>(new BadInput(flag, $"'{text}' is not a finite number"))
            : FinFail<double>(new BadInput(flag, $"'{text}' is not a number"));

    /// <summary>A comma-separated list of finite numbers; <paramref name="count"/> if it must have that many.</summary>
    public static Fin<double[]> ParseDoubles(string flag, string text, int? count = null, string? what = null)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (count is int n && parts.Length != n)
            return new BadInput(flag, $"expected {n} comma-separated {what ?? "values"}, got {parts.Length}");
        var x = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            var v = ParseDouble(flag, parts[i]);
            if (v.IsFail) return (Error)v;
            x[i] = (double)v;
        }
        return x;
    }

    /// <summary>An integer in <paramref name="min"/>..<paramref name="max"/>; an integer too large for 64 bits
    /// is reported as out of range (with the range), not as "not an integer".</summary>
    public static Fin<long> ParseLong(string flag, string text, long min = long.MinValue, long max = long.MaxValue)
    {
        var t = text.Trim();
        if (long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var x))
            return x >= min && x <= max ? FinSucc(x) : FinFail<long>(new BadInput(flag, $"{x} is out of range; allowed: {min}..{max}"));
        return System.Numerics.BigInteger.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
            ? FinFail<long>(new BadInput(flag, $"{t} is out of range; allowed: {min}..{max}"))
            : FinFail<long>(new BadInput(flag, $"'{text}' is not an integer"));
    }

    public static Fin<int[]> ParseInts(string flag, string text, int min, int max)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var x = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            var v = ParseInt(flag, parts[i], min, max);
            if (v.IsFail) return (Error)v;
            x[i] = (int)v;
        }
        return x;
    }

    public static Fin<int> ParseInt(string flag, string text, int min = int.MinValue, int max = int.MaxValue) =>
        ParseLong(flag, text, min, max).Map(x => (int)x);

    /// <summary>One of the allowed words (case-insensitive).</summary>
    public static Fin<string> ParseChoice(string flag, string text, params string[] allowed) =>
        allowed.FirstOrDefault(a => a.Equals(text.Trim(), StringComparison.OrdinalIgnoreCase)) is string s
            ? FinSucc(s)
            : FinFail<string>(new BadInput(flag, $"'{text}' is not one of {string.Join(", ", allowed)}"));

    public static Fin<T> ParseChoice<T>(string flag, string text) where T : struct, Enum =>
        ParseChoice(flag, text, Names<T>()).Map(s => Enum.Parse<T>(s, ignoreCase: true));

    public static string[] Names<T>() where T : struct, Enum =>
        [.. Enum.GetNames<T>().Select(n => n.ToLowerInvariant())];
}

/// <summary>A typed command-line flag (made by <see cref="Flags"/>).</summary>
public sealed class Flag<T>(string name, params string[] aliases) : System.CommandLine.Option<T>(name, aliases)
{
    /// <summary>The value when the flag is not given (set by <see cref="Flags.Default{T}"/>).</summary>
    public Option<T> Fallback { get; set; }
}
