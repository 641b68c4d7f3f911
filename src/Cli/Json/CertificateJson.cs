using System.Text.Json.Nodes;
using Ness.Pipeline;

namespace Ness.Cli.Json;

/// <summary>A certificate's facts as JSON members, in order, each under its name: a check or a number as its value
/// (null where it is not finite, e.g. a defect relative to a current that is exactly 0), a flag as 1 or 0, a note as its text.</summary>
public static class CertificateJson
{
    public static JsonObject AddTo(JsonObject o, Certificate c)
    {
        foreach (var f in c.Facts)
            o[f.Name] = f switch
            {
                Check k => Finite(k.Value),
                Number n => Finite(n.Value),
                Flag b => b.Value ? 1 : 0,
                Note t => t.Text,
                _ => throw new InvalidOperationException($"unknown fact {f}"),
            };
        return o;
    }

    static JsonNode? Finite(double v) => double.IsFinite(v) ? v : null;
}
