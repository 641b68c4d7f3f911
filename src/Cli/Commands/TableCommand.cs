using System.CommandLine;
using LanguageExt;
using Ness.Cli.Tables;
using Ness.Pipeline;

namespace Ness.Cli.Commands;

/// <summary>
/// <c>ness table FILE...</c>: one CSV row per realization of ensemble files (JSON Lines; single-run JSON objects
/// too), sorted by parameters, seed and realization, with the same column names for every solver and both models
/// (see <see cref="RealizationTable"/> and docs/ensembles.md). stdout: the CSV; exit 2 for a file that is not an
/// ensemble file, 4 for one that cannot be read.
/// </summary>
public static class TableCommand
{
    public static Command Create()
    {
        var cmd = new Command("table",
            "One CSV row per realization of ensemble files: provenance, parameters, realization, n_1..n_L, currents, " +
            "step metrics, certificate, refusal; sorted; the same columns for every solver and model.");
        var files = new Argument<string[]>("FILE")
        {
            Description = "Ensemble files (JSON Lines) of 'ness ensemble' or 'ness sweep', or single-run JSON of 'ness fermion|harmonic'.",
            Arity = ArgumentArity.OneOrMore,
        };
        cmd.Arguments.Add(files);
        cmd.SetAction(p => Exit.Run(() => Rows(p.GetValue(files) ?? [], Console.Error).Map(r => RealizationTable.Csv(r, DateTime.UtcNow))));
        return cmd;
    }

    public static Fin<List<RealizationTable.Row>> Rows(IEnumerable<string> paths, TextWriter log)
    {
        var all = new List<RealizationTable.Row>();
        foreach (var path in paths)
        {
            string text;
            try { text = File.ReadAllText(path); }
            catch (FileNotFoundException) { return new IoFailure($"FILE: cannot read '{path}': no such file"); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                return OutputLock.Cannot("FILE", path, "read", e);
            }
            var rows = RealizationTable.Read(path, text, log);
            if (rows.IsFail) return (LanguageExt.Common.Error)rows;
            all.AddRange((List<RealizationTable.Row>)rows);
        }
        return all;
    }
}
