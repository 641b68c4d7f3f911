using System.Text;
using LanguageExt;

namespace Ness.Pipeline.Ensemble;

/// <summary>
/// Reading an ensemble file (pure: works on its bytes).
/// <list type="bullet">
/// <item>Lines are separated by '\n' (a trailing '\r' is tolerated); blank lines are skipped.</item>
/// <item>The <em>last</em> line is torn if it has no terminating '\n' or is not a valid ensemble line (a
/// crash in the middle of a write leaves exactly this). It is dropped: <see cref="Scan.KeepBytes"/> is the
/// length of the file up to and including the last good line, to which a resuming run truncates.</item>
/// <item>Any other line that is not a valid ensemble line makes the whole file invalid (exit 2): that is
/// not something a crash produces, and guessing would risk mixing data.</item>
/// </list>
/// </summary>
public static class EnsembleFile
{
    public sealed record Line(int Number, EnsembleLine.Parsed Parsed);

    /// <param name="Lines">the complete, valid lines in file order, with 1-based line numbers</param>
    /// <param name="KeepBytes">byte length of the file without the torn last line</param>
    /// <param name="Torn">why the last line was dropped, or null if it was not</param>
    public sealed record Scan(IReadOnlyList<Line> Lines, long KeepBytes, string? Torn);

    /// <param name="flag">the flag to blame in a refusal ("--out", "FILE")</param>
    /// <param name="path">the file name, for messages</param>
    public static Fin<Scan> Read(string flag, string path, byte[] content)
    {
        var lines = new List<Line>();
        long keep = 0;
        int pos = 0, number = 0;
        string? torn = null;
        while (pos < content.Length)
        {
            number++;
            int nl = Array.IndexOf(content, (byte)'\n', pos);
            bool terminated = nl >= 0;
            int end = terminated ? nl : content.Length;
            int next = terminated ? nl + 1 : content.Length;
            bool isLast = next >= content.Length;
            string text;
            try { text = new UTF8Encoding(false, true).GetString(content, pos, end - pos).TrimEnd('\r'); }
            catch (DecoderFallbackException) { text = "\u0000invalid UTF-8"; }

            if (!terminated)
            {
                if (!LooksLikeFragment(text))
                    return new BadInput(flag, $"{path} line {number} is not an ensemble line (is this file the output of 'ness ensemble'?)");
                torn = text.Trim().Length == 0
                    ? $"line {number} is an unterminated blank fragment"
                    : $"line {number} is unterminated (cut short by a crash?)";
                break;
            }
            if (text.Trim().Length == 0) { pos = next; keep = next; continue; }
            var parsed = EnsembleLine.Parse(text);
            if (parsed.IsLeft)
            {
                var why = parsed.Match(Left: l => l, Right: _ => "");
                if (isLast && LooksLikeFragment(text)) { torn = $"line {number} is {why}"; break; }
                return new BadInput(flag, $"{path} line {number} is not a valid ensemble line: {why}; " +
                                          "only the last line of a file may be damaged (by a crash)");
            }
            lines.Add(new Line(number, parsed.Match(Left: _ => null!, Right: p => p)));
            pos = next;
            keep = next;
        }
        return new Scan(lines, keep, torn);
    }

    /// <summary>A torn line is a prefix of a line we wrote: it starts with '{' (or is blank / NUL bytes left
    /// by a crash of the machine). Anything else means the file is not an ensemble file, and it is refused
    /// rather than truncated.</summary>
    static bool LooksLikeFragment(string text)
    {
        var t = text.Trim().Trim('\0');
        return t.Length == 0 || t[0] == '{';
    }

    /// <summary>What a resumed file holds: the realizations done (certified, and refused unless they are retried), how
    /// many of those were refused, and how many refused ones are computed again (--retry-refused).</summary>
    public sealed record Resumed(System.Collections.Generic.HashSet<long> Done, long Refused, long Retried);

    /// <summary>
    /// Resume rules: every line must belong to this run (same model, seed and "ensemble" options, equal
    /// parameters in every certified line), be a realization of this run (r &lt; N and r in the shard) and be
    /// certified at most once (a refused line may precede the certified line of the same realization: a retry).
    /// Otherwise the file is refused (exit 2, flag --out) and left untouched. Returns the realizations already done;
    /// with <paramref name="retryRefused"/> the refused ones are not done (they are computed again).
    /// </summary>
    public static Fin<Resumed> CheckResume(
        string path, Scan scan, EnsembleModel model, long seed, long total, Shard shard, bool retryRefused = false)
    {
        var solved = new System.Collections.Generic.HashSet<long>();
        var refused = new System.Collections.Generic.HashSet<long>();
        var expected = EnsembleLine.Canonical(Options(model));
        EnsembleLine.Parsed? first = null;
        int firstNumber = 0;
        foreach (var (number, p) in scan.Lines)
        {
            var where = $"{path} line {number}";
            if (p.Model != model.Name)
                return Refuse<Resumed>(path, $"{where} is a \"{p.Model}\" realization, this run is \"{model.Name}\"");
            if (p.Seed != seed)
                return Refuse<Resumed>(path, $"{where} was written with --seed {p.Seed}, this run has --seed {seed}");
            var opts = p.Line[EnsembleLine.EnsembleKey] as System.Text.Json.Nodes.JsonObject;
            if (opts is null || EnsembleLine.Canonical(opts) != expected)
                return Refuse<Resumed>(path, $"{where} was written with other options: " +
                    EnsembleLine.Difference(opts ?? new(), Options(model), "in the file", "this run"));
            if (!p.IsRefused && first is null) (first, firstNumber) = (p, number);
            else if (!p.IsRefused && p.ParameterKey != first!.ParameterKey)
                return Refuse<Resumed>(path, $"{where} has other parameters than line {firstNumber}: " +
                    EnsembleLine.Difference(EnsembleLine.ParametersOf(p.Line), EnsembleLine.ParametersOf(first.Line),
                        $"line {number}", $"line {firstNumber}"));
            if (p.Realization >= total || !shard.Contains(p.Realization))
                return new BadInput("--out",
                    $"{where} holds realization {p.Realization}, which is not part of this run " +
                    $"(shard {shard} of --realizations {total}); use the --realizations/--shard it was written with, or another --out");
            if (p.IsRefused) refused.Add(p.Realization);
            else if (!solved.Add(p.Realization))
                return new BadInput("--out", $"{where} repeats realization {p.Realization}; the file is not one written by a single ensemble run");
        }
        refused.ExceptWith(solved);
        var done = new System.Collections.Generic.HashSet<long>(solved);
        if (!retryRefused) done.UnionWith(refused);
        return new Resumed(done, retryRefused ? 0 : refused.Count, retryRefused ? refused.Count : 0);
    }

    static Fin<T> Refuse<T>(string path, string detail) =>
        new BadInput("--out", $"{detail}. Refusing to mix parameters in one file; use another --out or the original parameters");

    public static System.Text.Json.Nodes.JsonObject Options(EnsembleModel model)
    {
        var o = new System.Text.Json.Nodes.JsonObject();
        foreach (var (k, v) in model.Parameters) o[k] = v?.DeepClone();
        return o;
    }
}
