using System.CommandLine;
using LanguageExt;
using Ness.Pipeline.Harmonic;

namespace Ness.Cli.Commands;

/// <summary>The model flags of the pinned harmonic chain, shared by <c>ness harmonic</c> and
/// <c>ness ensemble harmonic</c>. Defaults and ranges come from <see cref="HarmonicParameters"/>.</summary>
public sealed class HarmonicOptions
{
    public readonly Flag<int> Length =
        Flags.Int("--length", $"Number of sites L (2..{HarmonicParameters.MaxLength}) of the chain; or --shape for a box.", 2, HarmonicParameters.MaxLength, "-L");
    public readonly Flag<double[]> PinningRange =
        Flags.Doubles("--pinning-range", "Pinning V_x drawn uniformly in [a,b) from --seed by the documented generator; " +
                      "0 < a <= b. The paper states no range.", 2, "bounds a,b")
            .Default([HarmonicParameters.DefaultPinningRange.A, HarmonicParameters.DefaultPinningRange.B]);
    public readonly Flag<double> Coupling =
        Flags.Double("--coupling", "Harmonic coupling g > 0 in H = V - g Laplacian.").Default(HarmonicParameters.DefaultCoupling);
    public readonly Flag<double> BathCoupling =
        Flags.Double("--bath-coupling", "Finite bath coupling lambda > 0: the exact NESS, eq. (2.5)-(2.7), at any length (certified for lambda in [1e-3, 1e3] at g = 0.1); or --weak-coupling.");
    public readonly Flag<bool> WeakCoupling =
        Flags.Switch("--weak-coupling", "The weak-coupling limit lambda -> 0, eq. (2.9); or --bath-coupling.");
    public readonly Flag<double[]> Temperatures =
        Flags.Doubles("--temperatures", "Bath temperatures T1,TL >= 0.", 2, "temperatures T1,TL")
            .Default([HarmonicParameters.DefaultTemperatures.T1, HarmonicParameters.DefaultTemperatures.TL]);

    public void AddTo(Command c)
    {
        foreach (var o in new System.CommandLine.Option[] { Length, PinningRange, Coupling, BathCoupling, WeakCoupling, Temperatures })
            c.Options.Add(o);
    }

    /// <summary>Validated parameters with the pinning given explicitly or drawn from the seed (realization 0).</summary>
    public Fin<HarmonicParameters> Parameters(ParseResult r, LanguageExt.Option<double[]> pinning, LanguageExt.Option<long> seed) =>
        r.Given(Length).IsNone
            ? new Ness.Pipeline.BadInput("--length", "required: --length L (the chain) or --shape NX[xNY[xNZ]] (a box)")
            : HarmonicParameters.Create(r.Value(Length), r.Value(Coupling), r.Given(BathCoupling), r.Value(WeakCoupling),
            r.Value(Temperatures), pinning, r.Given(PinningRange), seed);
}
