using System.CommandLine;
using LanguageExt;
using Ness.Cli.Json;
using Ness.Pipeline.Harmonic;

namespace Ness.Cli.Commands;

/// <summary><c>ness harmonic</c>: one NESS of the disordered pinned harmonic chain (docs/interface.md).</summary>
public static class HarmonicCommand
{
    public static Command Create()
    {
        var cmd = new Command("harmonic",
            "One NESS of the disordered pinned harmonic chain (paper, section 2): kinetic temperature profile " +
            "T(x) = <p_x^2>, Figure 3 step width/midpoint and energy currents.");
        var m = new HarmonicOptions();
        m.AddTo(cmd);
        var pinning = Flags.Doubles("--pinning", "Pinning V_1,...,V_L (L comma-separated numbers > 0), instead of --seed.");
        var seed = Flags.Long("--seed", "Disorder seed S: the pinning is drawn in --pinning-range (realization 0 of S).");
        var format = Flags.Choice("--format", "Output: csv is one row per site.", Output.Formats).Default("json");
        cmd.Options.Add(pinning);
        cmd.Options.Add(seed);
        cmd.Options.Add(format);
        var box = new LatticeOptions();
        box.AddTo(cmd);
        cmd.SetAction(r => Exit.Run(() => r.Given(box.Shape).IsSome
            ? from p in box.Parameters(r, m, r.Given(pinning), r.Given(seed))
              from result in Ness.Pipeline.HarmonicBox.SteadyState(p, r.Value(box.Threads))
              select LatticeJson.Render(result, r.Value(format), Draw(r, m, seed))
            : from p in m.Parameters(r, r.Given(pinning), r.Given(seed))
              from result in Ness.Pipeline.HarmonicChain.SteadyState(p)
            select HarmonicJson.Render(result, r.Value(format), Draw(r, m, seed))));
        return cmd;
    }

    /// <summary>The draw behind the pinning: realization 0 of --seed in --pinning-range; None for explicit --pinning.</summary>
    static LanguageExt.Option<Ness.Pipeline.Draw> Draw(ParseResult r, HarmonicOptions m, Flag<long> seed) =>
        r.Given(seed).Map(s =>
        {
            var ab = r.Value(m.PinningRange);
            return new Ness.Pipeline.Draw(s, 0, ab[0], ab[1]);
        });
}
