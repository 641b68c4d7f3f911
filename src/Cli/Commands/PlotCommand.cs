using System.CommandLine;
using System.Text.Json.Nodes;
using LanguageExt;
using Ness.Cli.Plotting;
using Ness.Pipeline;
using Ness.Pipeline.Ensemble;

namespace Ness.Cli.Commands;

/// <summary>
/// <c>ness plot FILE [--out PREFIX]</c>: figures (PNG and SVG) of a result of <c>ness fermion</c>/<c>ness harmonic</c>
/// (one JSON object), of <c>ness ensemble</c> (JSON Lines) or of <c>ness aggregate</c> (one JSON object), see
/// docs/plot.md. stdout: one JSON object listing the files written; exit 2 for a file that is none of these.
/// </summary>
public static class PlotCommand
{
    public static Command Create()
    {
        var cmd = new Command("plot",
            "Figures (PNG and SVG) of a single-run JSON, an ensemble JSONL or an aggregate JSON: profile, bond currents " +
            "on a log scale, distribution of the step size over an ensemble.");
        var file = new Argument<string>("FILE") { Description = "output of ness fermion|harmonic (--format json), ness ensemble, or ness aggregate" };
        var prefix = Flags.Text("--out", "Prefix of the files written (PREFIX.profile.png, ...); default: FILE without its extension.");
        cmd.Arguments.Add(file);
        cmd.Options.Add(prefix);
        cmd.SetAction(r => Exit.Run(() =>
        {
            var path = r.GetValue(file)!;
            var stem = r.Given(prefix).IfNone(() => Path.Combine(Path.GetDirectoryName(path) ?? "", Path.GetFileNameWithoutExtension(path)));
            return from text in Read(path)
                   from files in ResultFigures.Of(path, text, stem)
                   select Output.Json(new JsonObject
                   {
                       ["input"] = path,
                       ["files"] = new JsonArray([.. files.Select(f => (JsonNode?)f)]),
                   });
        }));
        return cmd;
    }

    static Fin<string> Read(string path)
    {
        try { return File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return new BadInput("FILE", $"cannot read '{path}': {e.Message}");
        }
    }
}
