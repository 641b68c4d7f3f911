using System.CommandLine;
using LanguageExt;
using Ness.Cli.Json;
using Ness.Pipeline;
using Ness.Pipeline.Harmonic;
using static LanguageExt.Prelude;

namespace Ness.Cli.Commands;

/// <summary><c>ness harmonic</c>: one NESS of the disordered pinned harmonic chain (docs/interface.md).
/// Flags are read as text and parsed by <see cref="Flags"/> so every bad value exits 2 naming its flag.</summary>
public static class HarmonicCommand
{
    public static Command Create()
    {
        var (ra, rb) = HarmonicParameters.DefaultPinningRange;
        var length = Opt("--length", $"Number of sites L (2..{HarmonicParameters.MaxLength}).");
        var pinning = Opt("--pinning", "Pinning V_1,...,V_L (L comma-separated numbers > 0).");
        var range = Opt("--pinning-range",
            $"Draw V_x uniformly in [a,b) with the documented generator (realization 0 of --seed); 0 < a <= b. " +
            $"The paper states no range; default {ra},{rb} as in docs/numerics.md.");
        var seed = Opt("--seed", "Disorder seed S (integer), with --pinning-range.");
        var coupling = Opt("--coupling", $"Harmonic coupling g > 0 in H = V - g Laplacian (default {HarmonicParameters.DefaultCoupling}).");
        var bath = Opt("--bath-coupling", "Finite bath coupling lambda > 0: exact NESS covariance, eq. (2.5)-(2.7).");
        var weak = new System.CommandLine.Option<bool>("--weak-coupling")
        {
            Description = "The weak-coupling limit lambda -> 0, eq. (2.9).",
        };
        var temps = Opt("--temperatures", "Bath temperatures T1,TL >= 0 (default 1,2).");
        var format = Opt("--format", "Output: json (default), csv (one row per site) or table.");

        var cmd = new Command("harmonic",
            "One NESS of the disordered pinned harmonic chain (paper, section 2): kinetic temperature profile " +
            "T(x) = <p_x^2>, Figure 3 step width/midpoint and energy currents.");
        foreach (var o in new[] { length, pinning, range, seed, coupling, bath, temps, format }) cmd.Options.Add(o);
        cmd.Options.Add(weak);

        cmd.SetAction(r => Exit.Run(() =>
            from fmt in Flags.Choice("--format", r.GetValue(format) ?? "json", "json", "csv", "table")
            from p in Parameters(
                r.GetValue(length), r.GetValue(pinning), r.GetValue(range), r.GetValue(seed), r.GetValue(coupling),
                r.GetValue(bath), r.GetValue(weak), r.GetValue(temps))
            from result in HarmonicNess.Run(p)
            select HarmonicJson.Render(result, fmt)));
        return cmd;
    }

    /// <summary>Flag text to validated parameters; <c>--pinning-range</c> defaults to the documented range when
    /// only <c>--seed</c> is given.</summary>
    public static Fin<HarmonicParameters> Parameters(
        string? length, string? pinning, string? range, string? seed, string? coupling, string? bath, bool weak, string? temps)
    {
        var (ra, rb) = HarmonicParameters.DefaultPinningRange;
        if (length is null) return new BadInput("--length", "required: the number of sites L (integer >= 2)");
        if (range is null && pinning is null && seed is not null) range = FormattableString.Invariant($"{ra},{rb}");
        return
            from l in Flags.Long("--length", length)
            from lInt in l is >= int.MinValue and <= int.MaxValue
                ? FinSucc((int)l)
                : FinFail<int>(new BadInput("--length", $"{l} is out of range; allowed: 2..{HarmonicParameters.MaxLength}"))
            from v in Optional(pinning, t => Flags.Doubles("--pinning", t))
            from ab in Optional(range, t => Flags.Doubles("--pinning-range", t))
            from s in Optional(seed, t => Flags.Long("--seed", t))
            from g in Flags.Double("--coupling", coupling ?? FormattableString.Invariant($"{HarmonicParameters.DefaultCoupling}"))
            from lam in Optional(bath, t => Flags.Double("--bath-coupling", t))
            from t in Flags.Doubles("--temperatures", temps ?? "1,2", 2, "temperatures T1,TL")
            from p in HarmonicParameters.Create(lInt, g, lam.Value, weak, t, v.Value, ab.Value, s.Value)
            select p;
    }

    /// <summary>A flag that may be absent (Fin cannot carry null).</summary>
    sealed record Given<T>(T Value);

    static Fin<Given<double[]?>> Optional(string? text, Func<string, Fin<double[]>> parse) =>
        text is null ? FinSucc(new Given<double[]?>(null)) : parse(text).Map(x => new Given<double[]?>(x));

    static Fin<Given<T?>> Optional<T>(string? text, Func<string, Fin<T>> parse) where T : struct =>
        text is null ? FinSucc(new Given<T?>(null)) : parse(text).Map(x => new Given<T?>(x));

    static System.CommandLine.Option<string> Opt(string name, string description) => new(name) { Description = description };
}
