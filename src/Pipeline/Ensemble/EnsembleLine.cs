using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LanguageExt;
using LanguageExt.Common;

namespace Ness.Pipeline.Ensemble;

/// <summary>
/// One line of an ensemble file (JSON Lines, UTF-8, '\n'-terminated): the single-run object of realization r
/// plus <c>"realization": r</c>, <c>"seed": S</c> and <c>"ensemble": { model options }</c>, as read back (the lines
/// are written by the command line, from each realization's typed <see cref="Solution"/>).
/// The <em>parameters</em> of a line are the line minus <see cref="PerRealizationKeys"/>; all lines of a
/// file, and all files of an aggregate, must have equal parameters (compared in canonical form, see
/// <see cref="Canonical"/>).
/// </summary>
public static class EnsembleLine
{
    /// <summary>Keys whose values differ from realization to realization (data, disorder draw, timing).
    /// Everything else in a line is a parameter. A model that adds another per-realization key to its
    /// single-run output must add it here.</summary>
    public static readonly IReadOnlySet<string> PerRealizationKeys = new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal)
    {
        "realization", "profile", "profile_x", "current", "step", "diagnostics", "fields", "pinning", "provenance", RefusedKey,
    };

    /// <summary>The key of a refused realization's line: the reason the numerics gave (exit 3 of a single run).</summary>
    public const string RefusedKey = "refused";

    public const string EnsembleKey = "ensemble";

    static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    /// <summary>The parameter part of a line (a new object; the line is not modified).</summary>
    public static JsonObject ParametersOf(JsonObject line)
    {
        var p = new JsonObject();
        foreach (var (k, v) in line)
            if (!PerRealizationKeys.Contains(k)) p[k] = v?.DeepClone();
        return p;
    }

    /// <summary>Canonical text of a JSON value: object keys sorted (ordinal), no whitespace, numbers
    /// normalised (integral values below 2^53 as integers, others round-trip "R"; integer literals of any
    /// size exactly). Two values are "equal parameters" iff their canonical texts are equal.</summary>
    public static string Canonical(JsonNode? node)
    {
        var sb = new StringBuilder();
        Write(node, sb);
        return sb.ToString();
    }

    static void Write(JsonNode? node, StringBuilder sb)
    {
        switch (node)
        {
            case null: sb.Append("null"); break;
            case JsonObject o:
                sb.Append('{');
                bool first = true;
                foreach (var (k, v) in o.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    if (!first) sb.Append(',');
                    first = false;
                    sb.Append(JsonSerializer.Serialize(k)).Append(':');
                    Write(v, sb);
                }
                sb.Append('}');
                break;
            case JsonArray a:
                sb.Append('[');
                for (int i = 0; i < a.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    Write(a[i], sb);
                }
                sb.Append(']');
                break;
            case JsonValue v:
                var text = v.ToJsonString(Compact);
                if (v.GetValueKind() == JsonValueKind.Number) sb.Append(CanonicalNumber(text));
                else sb.Append(text);
                break;
        }
    }

    static string CanonicalNumber(string text)
    {
        if (BigInteger.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var big))
            return BigInteger.Abs(big) < (BigInteger.One << 53)
                ? big.ToString(CultureInfo.InvariantCulture)
                : "i" + big.ToString(CultureInfo.InvariantCulture);
        var d = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (d == Math.Floor(d) && Math.Abs(d) < 9007199254740992.0)
            return ((long)d).ToString(CultureInfo.InvariantCulture);
        return d.ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>A JSON number as a double, whatever its in-memory representation (int, long, double,
    /// parsed text); null for anything else.</summary>
    public static double? Number(JsonNode? n) =>
        n is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            ? double.Parse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture)
            : null;

    /// <summary>A parsed, structurally valid ensemble line.</summary>
    public sealed record Parsed(long Realization, long Seed, string Model, JsonObject Line)
    {
        /// <summary>The parameters of a certified line (its single-run parameters, seed and "ensemble" options).</summary>
        public string ParameterKey { get; } = Canonical(ParametersOf(Line));

        /// <summary>Model, seed and "ensemble" options: what a refused line shares with the certified ones.</summary>
        public string EnsembleKey { get; } = Canonical(new JsonObject
        {
            ["model"] = Model, ["seed"] = Seed, [EnsembleLine.EnsembleKey] = Line[EnsembleLine.EnsembleKey]?.DeepClone(),
        });

        /// <summary>A line recording a refusal (its "refused" reason) rather than a result.</summary>
        public bool IsRefused => Line.ContainsKey(RefusedKey);
    }

    /// <summary>Parses one line of text; fails (with a short reason) unless it is a JSON object with an
    /// integer "realization" >= 0, an integer "seed" and a string "model".</summary>
    public static Either<string, Parsed> Parse(string text)
    {
        JsonNode? node;
        try { node = JsonNode.Parse(text); }
        catch (JsonException e) { return $"not valid JSON ({e.Message})"; }
        if (node is not JsonObject o) return "not a JSON object";
        if (!TryLong(o["realization"], out var r) || r < 0) return "no integer \"realization\" >= 0";
        if (!TryLong(o["seed"], out var s)) return "no integer \"seed\"";
        if (o["model"] is not JsonValue mv || !mv.TryGetValue<string>(out var model)) return "no string \"model\"";
        return new Parsed(r, s, model, o);
    }

    static bool TryLong(JsonNode? n, out long x)
    {
        x = 0;
        if (n is not JsonValue v || v.GetValueKind() != JsonValueKind.Number) return false;
        return long.TryParse(v.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out x);
    }

    /// <summary>The first parameter key whose value differs between two parameter objects, for messages.</summary>
    public static string Difference(JsonObject a, JsonObject b, string aLabel = "", string bLabel = "")
    {
        foreach (var k in a.Select(kv => kv.Key).Union(b.Select(kv => kv.Key)).OrderBy(k => k, StringComparer.Ordinal))
        {
            var ca = a.ContainsKey(k) ? Canonical(a[k]) : "(absent)";
            var cb = b.ContainsKey(k) ? Canonical(b[k]) : "(absent)";
            if (ca != cb) return $"\"{k}\": {Shorten(ca)}{Label(aLabel)} vs {Shorten(cb)}{Label(bLabel)}";
        }
        return "(no difference)";
    }

    static string Label(string l) => l.Length > 0 ? $" ({l})" : "";

    static string Shorten(string s) => s.Length <= 80 ? s : s[..77] + "...";
}
