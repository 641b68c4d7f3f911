using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ness.Cli;

/// <summary>Rendering of results: json (one object, round-trip doubles), csv (one row per site), table.</summary>
public static class Output
{
    public static readonly string[] Formats = ["json", "csv", "table"];

    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string Json(JsonNode node, bool indented = true) =>
        node.ToJsonString(indented ? Indented : JsonSerializerOptions.Default) + "\n";

    /// <summary>A JSON array of numbers.</summary>
    public static JsonArray Array(IEnumerable<double> x) => new([.. x.Select(v => (JsonNode?)JsonValue.Create(v))]);

    /// <summary>A JSON number, or null where the value is not finite (ln 0 of a current that vanishes exactly).</summary>
    public static JsonNode? Finite(double x) => double.IsFinite(x) ? JsonValue.Create(x) : null;

    /// <summary>The JSON of an optional value: <paramref name="json"/> of the value, or JSON null when there is none
    /// (the one place where absence becomes null: at the file boundary).</summary>
    public static JsonNode? Optional<T>(LanguageExt.Option<T> o, Func<T, JsonNode?> json)
    {
        foreach (var x in o) return json(x);
        return null;
    }

    /// <summary>A CSV cell of an optional value: the value, or an empty cell when there is none (absence becomes the
    /// empty cell here, at the file boundary).</summary>
    public static object? Cell<T>(LanguageExt.Option<T> o)
    {
        foreach (var x in o) return x;
        return null;
    }

    /// <summary>A CSV with a header; numbers in invariant round-trip form.</summary>
    public static string Csv(string[] header, IEnumerable<object?[]> rows)
    {
        var sb = new StringBuilder(string.Join(',', header)).Append('\n');
        foreach (var row in rows) sb.Append(string.Join(',', row.Select(Cell))).Append('\n');
        return sb.ToString();
    }

    public static string Cell(object? v) => v switch
    {
        null => "",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => Quote(v.ToString() ?? ""),
    };

    /// <summary>RFC 4180: a text with a comma, quote or line break is quoted, its quotes doubled.</summary>
    static string Quote(string s) => s.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;

    /// <summary>Fixed-width columns for people.</summary>
    public static string Table(string[] header, IEnumerable<string[]> rows)
    {
        var all = new List<string[]> { header };
        all.AddRange(rows);
        var w = new int[header.Length];
        foreach (var r in all) for (int i = 0; i < r.Length; i++) w[i] = Math.Max(w[i], r[i].Length);
        var sb = new StringBuilder();
        foreach (var r in all)
            sb.Append(string.Join("  ", r.Select((c, i) => c.PadLeft(w[i])))).Append('\n');
        return sb.ToString();
    }

    public static string G(double x, int digits = 6) => x.ToString("G" + digits, CultureInfo.InvariantCulture);
}
