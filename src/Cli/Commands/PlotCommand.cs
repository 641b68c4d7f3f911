using System.CommandLine;
using System.Text.Json.Nodes;
using LanguageExt;
using Ness.Cli.Plotting;
using Ness.Cli.Reproduce;
using Ness.Pipeline;
using static LanguageExt.Prelude;

namespace Ness.Cli.Commands;

/// <summary>
/// <c>ness plot FILE... [--out DIR]</c>: figures (PNG and SVG) of a result of <c>ness fermion</c>/<c>ness harmonic</c>
/// (one JSON object), of <c>ness ensemble</c> (JSON Lines) or of <c>ness aggregate</c> (one JSON object); several
/// files are overlaid (see docs/plot.md). The figures go into DIR (created if missing, its parent must exist; default: the directory of
/// the first FILE) as STEM.kind.png/.svg, STEM the file's name without extension, or "overlay" for several files.
/// stdout: one JSON object listing the files written; exit 2 for a file that is none of these, 4 when DIR cannot
/// be written.
/// </summary>
public static class PlotCommand
{
    public static Command Create()
    {
        var cmd = new Command("plot",
            "Figures (PNG and SVG) of a single-run JSON, an ensemble JSONL or an aggregate JSON: profile, bond currents " +
            "on a log scale, histogram of the step size over an ensemble. Several files: one overlay of their profiles, " +
            "labelled by the parameters that differ (and step size and ln|J| against the one numeric parameter that differs).");
        var file = new Argument<string[]>("FILE")
        {
            Description = "output(s) of ness fermion|harmonic (--format json), ness ensemble, or ness aggregate",
            Arity = ArgumentArity.OneOrMore,
        };
        var outDir = Flags.Text("--out", "Directory for the figures (created if missing, its parent must exist); default: the directory of the first FILE. " +
                                         "Files: DIR/STEM.kind.png and .svg, STEM = FILE without extension, or 'overlay' for several files.");
        cmd.Arguments.Add(file);
        cmd.Options.Add(outDir);
        cmd.SetAction(r => Exit.Run(() =>
        {
            var paths = r.GetValue(file) ?? [];
            var dir = r.Given(outDir).IfNone(() => Path.GetDirectoryName(paths[0]) is { Length: > 0 } d ? d : ".");
            var stem = paths.Length == 1 ? Path.GetFileNameWithoutExtension(paths[0]) : "overlay";
            return from texts in ReadAll(paths)
                   from figures in texts.Count == 1 ? ResultFigures.Of(texts[0].p, texts[0].t) : ResultFigures.Overlay([.. texts])
                   from files in Write(dir, stem, figures)
                   select Output.Json(new JsonObject
                   {
                       ["input"] = paths.Length == 1 ? paths[0] : new JsonArray([.. paths.Select(p => (JsonNode?)p)]),
                       ["files"] = new JsonArray([.. files.Select(f => (JsonNode?)f)]),
                   });
        }));
        return cmd;
    }

    /// <summary>Renders the figures into <paramref name="dir"/>; an unwritable directory is an I/O failure (exit 4).</summary>
    static Fin<IReadOnlyList<string>> Write(string dir, string stem, IReadOnlyList<ResultFigures.Named> figures)
    {
        try
        {
            // like mkdir (not mkdir -p): a mistyped parent is reported rather than created
            var parent = Path.GetDirectoryName(Path.GetFullPath(dir));
            if (parent is not null && !Directory.Exists(parent))
                return new IoFailure($"--out: cannot write figures into '{dir}': the directory '{parent}' does not exist");
            Directory.CreateDirectory(dir);
            return figures.SelectMany(f => Plots.SaveAs(Path.Combine(dir, $"{stem}.{f.Kind}"), f.Figure)).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return OutputLock.Cannot("--out", dir, "write figures into", e);
        }
    }

    static Fin<List<(string p, string t)>> ReadAll(IEnumerable<string> paths)
    {
        var all = new List<(string, string)>();
        foreach (var p in paths)
        {
            var t = Read(p);
            if (t.IsFail) return (LanguageExt.Common.Error)t;
            all.Add((p, (string)t));
        }
        return all;
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
