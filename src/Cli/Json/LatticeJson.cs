using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using LanguageExt;
using Ness.Pipeline;
using Ness.Pipeline.Lattice;

namespace Ness.Cli.Json;

/// <summary>The output of <c>ness harmonic --shape</c> (docs/lattice.md): json, csv (one row per site) or a table.</summary>
public static class LatticeJson
{
    public static string Render(LatticeSteadyState r, string format, Option<Draw> draw = default) => format switch
    {
        "csv" => Csv(r, draw),
        "table" => Table(r),
        _ => Output.Json(Of(r, draw)),
    };

    /// <summary>The JSON object: model, shape, parameters, bath set, profile (per site, x fastest), profile_x (mean per
    /// x-slice), the energy current into each bath and their sum, diagnostics (method, seconds, the certificate) and
    /// provenance.</summary>
    public static JsonObject Of(LatticeSteadyState r, Option<Draw> draw = default)
    {
        var p = r.Parameters;
        var diagnostics = CertificateJson.AddTo(new JsonObject { ["method"] = r.Method, ["seconds"] = r.Seconds }, r.Certificate);
        return new JsonObject
        {
            ["model"] = "harmonic",
            ["shape"] = new JsonArray([.. p.Box.Extents.Select(e => (JsonNode?)e)]),
            ["sites"] = p.Sites,
            ["coupling"] = p.Coupling,
            ["bath_coupling"] = p.Bath is Ness.Pipeline.Harmonic.BathCoupling.Finite f ? f.Lambda : null,
            ["baths"] = new JsonObject
            {
                ["faces"] = p.Faces,
                ["sites"] = new JsonArray([.. p.Baths.Select(b => (JsonNode?)Coordinates(p, b.Site))]),
                ["temperatures"] = Output.Array(p.Baths.Select(b => b.Temperature)),
            },
            ["pinning"] = Output.Array(p.Pinning),
            ["profile"] = Output.Array(r.Profile),
            ["profile_x"] = Output.Array(r.ProfileX),
            ["current"] = new JsonObject
            {
                ["into_baths"] = Output.Array(r.BathCurrents),
                ["sum"] = r.CurrentSum,
            },
            ["diagnostics"] = diagnostics,
            ["provenance"] = new JsonObject
            {
                ["version"] = BuildInfo.Version,
                ["commit"] = ProvenanceJson.Commit,
                ["seed"] = Output.Optional(draw, d => d.Seed),
                ["realization"] = Output.Optional(draw, d => d.Realization),
                ["pinning_range"] = Output.Optional(draw, d => new JsonArray(d.A, d.B)),
                ["generator"] = Output.Optional(draw, _ => Disorder.GeneratorName),
                ["solver"] = p.WeakCoupling ? "lattice-weak-coupling" : "lattice-finite-lambda",
            },
        };
    }

    static JsonArray Coordinates(LatticeParameters p, int site)
    {
        var (x, y, z) = p.Box.Coordinates(site);
        int[] c = [x, y, z];
        return new JsonArray([.. c.Take(p.Box.Dimension).Select(v => (JsonNode?)v)]);
    }

    /// <summary>One row per site: x, y, z (1-based), pinning, temperature.</summary>
    public static string Csv(LatticeSteadyState r, Option<Draw> draw = default)
    {
        var p = r.Parameters;
        return Output.Csv(["x", "y", "z", "pinning", "temperature"],
            Enumerable.Range(0, p.Sites).Select(i =>
            {
                var (x, y, z) = p.Box.Coordinates(i);
                return (object?[])[x, y, z, p.Pinning[i], r.Profile[i]];
            }));
    }

    public static string Table(LatticeSteadyState r)
    {
        var p = r.Parameters;
        var ic = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(ic, $"harmonic box {p.Box} ({p.Sites} sites)  g = {p.Coupling}  lambda = {(p.Bath is Ness.Pipeline.Harmonic.BathCoupling.Finite f ? f.Lambda.ToString(ic) : "-> 0 (weak coupling)")}  baths: {(p.Faces ? "faces x = 1, x = NX" : "from file")} ({p.Baths.Length} sites)\n");
        sb.Append(ic, $"energy current into the baths{(p.WeakCoupling ? " per lambda" : "")}: sum = {r.CurrentSum:G4}, largest |J_y| = {r.BathCurrents.Max(Math.Abs):G4}\n");
        sb.Append(ic, $"method: {r.Method}  ({r.Seconds:F3} s)\n");
        foreach (var g in r.Certificate.Facts)
            sb.Append(g switch
            {
                Check c => FormattableString.Invariant($"  {c.Name} = {c.Value:G4}  (limit {c.Limit:G3})\n"),
                Number n => FormattableString.Invariant($"  {n.Name} = {n.Value:G4}\n"),
                Flag b => $"  {b.Name} = {(b.Value ? 1 : 0)}\n",
                Note t => $"  {t.Name}: {t.Text}\n",
                _ => "",
            });
        sb.Append(ic, $"{"x",6}  {"mean T over the slice",22}\n");
        for (int x = 0; x < p.Box.NX; x++) sb.Append(ic, $"{x + 1,6}  {r.ProfileX[x],22:F12}\n");
        return sb.ToString();
    }
}
