using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using LanguageExt;
using Ness.Pipeline;
using Ness.Pipeline.Harmonic;

namespace Ness.Cli.Json;

/// <summary>The three output formats of <c>ness harmonic</c> (docs/interface.md): json (numbers round-trip),
/// csv (one row per site) and a table for people.</summary>
public static class HarmonicJson
{
    public static string Render(HarmonicSteadyState r, string format, Option<Draw> draw = default) => format switch
    {
        "csv" => Csv(r, draw),
        "table" => Table(r),
        _ => Json(r, draw),
    };

    /// <summary>The JSON object of docs/interface.md, fields in contract order; doubles are written shortest round-trip.</summary>
    public static string Json(HarmonicSteadyState r, Option<Draw> draw = default) => Output.Json(Of(r, draw));

    /// <summary>The `ness harmonic` output object (also one line of `ness ensemble harmonic`).</summary>
    /// <param name="draw">the disorder draw the pinning came from; None for explicit --pinning</param>
    public static JsonObject Of(HarmonicSteadyState r, Option<Draw> draw = default)
    {
        var p = r.Parameters;
        var diagnostics = CertificateJson.AddTo(new JsonObject { ["method"] = r.Method, ["seconds"] = r.Seconds }, r.Certificate);
        return new JsonObject
        {
            ["model"] = "harmonic",
            ["length"] = p.Length,
            ["coupling"] = p.Coupling,
            ["bath_coupling"] = p.Bath is BathCoupling.Finite f ? (JsonNode?)f.Lambda : null,
            ["temperatures"] = Output.Array([p.TLeft, p.TRight]),
            ["pinning"] = Output.Array(p.Pinning),
            ["profile"] = Output.Array(r.Temperatures),
            ["step"] = new JsonObject { ["width"] = r.Step.Width, ["midpoint"] = r.Step.Midpoint },
            ["current"] = Current(r.Current),
            ["diagnostics"] = diagnostics,
            ["provenance"] = ProvenanceJson.Harmonic(r, draw),
        };
    }

    /// <summary>finite lambda: {"left": J, "right": J, "ln_abs": ln|J|} (J injected at site 1 = extracted at site L);
    /// weak coupling: {"per_bath_coupling": J / lambda, "ln_abs": ln|J / lambda|}. ln_abs stays finite where the
    /// value underflows to 0 (long chains).</summary>
    static JsonObject Current(EnergyCurrent c) => c switch
    {
        EnergyCurrent.Finite f => new JsonObject { ["left"] = f.Value, ["right"] = f.Value, ["ln_abs"] = Output.Finite(f.LogAbs) },
        _ => new JsonObject { ["per_bath_coupling"] = c.Value, ["ln_abs"] = Output.Finite(c.LogAbs) },
    };

    /// <summary>One row per site: the provenance and parameter columns (<see cref="Tables.Columns.Lead"/>), then
    /// site,pinning,temperature (round-trip numbers). The energy currents and the certificate are in --format json.</summary>
    public static string Csv(HarmonicSteadyState r, Option<Draw> draw = default)
    {
        var (ph, pv) = Tables.Columns.Lead(Of(r, draw), DateTime.UtcNow);
        var t = r.Temperatures;
        return Output.Csv([.. ph, "site", "pinning", "temperature"],
            Enumerable.Range(0, t.Length).Select(x => (object?[])[.. pv, x + 1, r.Parameters.Pinning[x], t[x]]));
    }

    public static string Table(HarmonicSteadyState r)
    {
        var p = r.Parameters;
        var ic = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(ic, $"harmonic chain  L = {p.Length}  g = {p.Coupling}  lambda = {(p.Bath is BathCoupling.Finite f ? f.Lambda.ToString(ic) : "-> 0 (weak coupling)")}  T1 = {p.TLeft}  TL = {p.TRight}\n");
        sb.Append(ic, $"step: width = {(r.Step.Width?.ToString(ic) ?? "n/a")}  midpoint = {(r.Step.Midpoint?.ToString(ic) ?? "n/a")}\n");
        if (r.Current is EnergyCurrent.Finite)
            sb.Append(ic, $"energy current: J = {r.Current.Value:G10}  (ln|J| = {r.Current.LogAbs:G10})\n");
        else
            sb.Append(ic, $"energy current per bath coupling: J/lambda = {r.Current.Value:G10}  (ln|J/lambda| = {r.Current.LogAbs:G10})\n");
        sb.Append(ic, $"method: {r.Method}  ({r.Seconds:F3} s)\n");
        foreach (var fact in r.Certificate.Facts)
            sb.Append(ic, $"  {fact.Name} = {r.Certificate.Value(fact.Name).IfNone(double.NaN):G4}\n");
        sb.Append(ic, $"{"site",6}  {"V_x",10}  {"T(x)",18}\n");
        for (int x = 0; x < p.Length; x++)
            sb.Append(ic, $"{x + 1,6}  {p.Pinning[x],10:F6}  {r.Temperatures[x],18:F15}\n");
        return sb.ToString();
    }
}
