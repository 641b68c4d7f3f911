using System.Globalization;
using LanguageExt;
using Ness.Pipeline;
using static LanguageExt.Prelude;

namespace Ness.Cli;

/// <summary>Turns raw flag text into numbers, with messages that name the flag.
/// Range checks that belong to the physics live in the parameter records of the pipeline.</summary>
public static class Flags
{
    public static Fin<double> Double(string flag, string text) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var x)
            ? double.IsFinite(x) ? FinSucc(x) : FinFail<double>(new BadInput(flag, $"'{text}' is not a finite number"))
            : FinFail<double>(new BadInput(flag, $"'{text}' is not a number"));

    /// <summary>A comma-separated list of finite numbers; <paramref name="count"/> if it must have that many.</summary>
    public static Fin<double[]> Doubles(string flag, string text, int? count = null, string? what = null)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (count is int n && parts.Length != n)
            return new BadInput(flag, $"expected {n} comma-separated {what ?? "values"}, got {parts.Length}");
        var x = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            var v = Double(flag, parts[i]);
            if (v.IsFail) return (Fin<double[]>)v.Map(_ => x);
            x[i] = (double)v;
        }
        return x;
    }

    public static Fin<long> Long(string flag, string text) =>
        long.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var x)
            ? FinSucc(x)
            : FinFail<long>(new BadInput(flag, $"'{text}' is not an integer"));

    /// <summary>One of the allowed words (case-insensitive).</summary>
    public static Fin<string> Choice(string flag, string text, params string[] allowed) =>
        allowed.FirstOrDefault(a => a.Equals(text.Trim(), StringComparison.OrdinalIgnoreCase)) is string s
            ? FinSucc(s)
            : FinFail<string>(new BadInput(flag, $"'{text}' is not one of {string.Join(", ", allowed)}"));
}
