using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LanguageExt;
using Ness.Pipeline.Ensemble;

namespace Ness.Cli.Json;

/// <summary>
/// Reading one ensemble line into its typed <see cref="Realization"/> (the file boundary, the reverse of
/// <see cref="FermionJson"/> / <see cref="HarmonicJson"/>): the line is validated as data, since ensemble files come
/// from collaborators and clusters: "length" a positive integer; "profile" that many numbers (densities in [0, 1],
/// temperatures finite and ≥ 0); "fields" / "pinning" that many numbers; "current" an object of numbers (fermion
/// "left", "right" and L − 1 "bonds"; harmonic "left", "right" or "per_bath_coupling", and "ln_abs", a number or null
/// where the current is exactly 0); "step" an object of numbers or null; "diagnostics" present, an object naming its
/// solver or method. A refused line carries its reason ("refused") instead. A failure names the field.
/// </summary>
public static class RealizationJson
{
    /// <summary>The field that is wrong and why.</summary>
    public sealed record Invalid(string Field, string Why);

    /// <summary>The line at <paramref name="where"/> ("FILE line N") as a typed realization, or exit 2 naming the file,
    /// the line and the field (<paramref name="flag"/>: the flag that named the file).</summary>
    public static Fin<Realization> Read(string flag, string where, EnsembleLine.Parsed p) =>
        Read(p).Match(
            Right: r => Fin<Realization>.Succ(r),
            Left: bad => Fin<Realization>.Fail(new Pipeline.BadInput(flag,
                $"{where}: field \"{bad.Field}\" {bad.Why}; the line is not a certified realization of ness (was the file edited?)")));

    /// <summary>The disorder average of the lines (<see cref="Aggregate.Run"/>), each read as a typed realization first.</summary>
    public static Fin<EnsembleAverage> Average(string flag, IEnumerable<(string Where, EnsembleLine.Parsed Parsed)> lines)
    {
        var sources = new List<Aggregate.Source>();
        foreach (var (where, p) in lines)
        {
            var r = Read(flag, where, p);
            if (r.IsFail) return r.Map(_ => default(EnsembleAverage)!);
            sources.Add(new Aggregate.Source(where, p, r.IfFail(_ => throw new InvalidOperationException("checked above"))));
        }
        return Aggregate.Run(sources);
    }

    public static Either<Invalid, Realization> Read(EnsembleLine.Parsed p)
    {
        var o = p.Line;
        if (p.IsRefused)
            return o[EnsembleLine.RefusedKey] is JsonValue v && v.TryGetValue<string>(out var why)
                ? new Realization.Refused(p.Realization, why)
                : new Invalid(EnsembleLine.RefusedKey, "must be a string (the reason the numerics refused this realization)");
        return p.Model switch
        {
            "fermion" => Fermion(p.Realization, o),
            "harmonic" when o.ContainsKey("shape") => Box(p.Realization, o),
            "harmonic" => Harmonic(p.Realization, o),
            var m => new Invalid("model", $"\"{m}\" is not a model of ness (fermion, harmonic)"),
        };
    }

    static Either<Invalid, Realization> Fermion(long r, JsonObject o) =>
        o["weak_coupling"] is JsonValue w && w.TryGetValue<bool>(out var weak) && weak ? WeakFermion(r, o) :
        from f in FermionHead(o)
        from bonds in Numbers(f.Current, "bonds", Math.Max(f.L - 1, 0), double.IsFinite, "a finite number", "current.bonds")
        from st in FermionTail(o)
        let j = bonds.Length > 0 ? bonds[(bonds.Length - 1) / 2] : f.Left
        select f.Solved(r, st, j, Log(j));

    /// <summary>A fermion line in the weak-coupling limit ("weak_coupling": true, docs/weak-coupling.md): no bond
    /// currents (the NESS is diagonal in the eigenbasis of H_F); the transport current is J/eps, "per_coupling"
    /// (null when not one digit survives the cancellation of the boundary fluxes), and "ln_abs" its logarithm.</summary>
    static Either<Invalid, Realization> WeakFermion(long r, JsonObject o) =>
        from f in FermionHead(o)
        from j in NumberOrNull(f.Current, "current.per_coupling", "per_coupling")
        from ln in NumberOrNull(f.Current, "current.ln_abs", "ln_abs")
        from st in FermionTail(o)
        select f.Solved(r, st, j.Case is double jv ? jv : null, ln.Case is double la ? la : j.Case is double jl ? Log(jl) : null);

    /// <summary>What every fermion line has first: the length, L densities in [0, 1], L finite fields, and the current
    /// object with the boundary currents "left" and "right".</summary>
    sealed record FermionLine(int L, double[] Profile, double[] Fields, JsonObject Current, double Left)
    {
        public Realization Solved(long r, JsonObject step, double? transport, double? logTransport) =>
            new Realization.Solved(r, new Observables([.. Profile], Scalars(step), Scalars(Current), transport, logTransport)
            {
                Disorder = [.. Fields],
            });
    }

    static Either<Invalid, FermionLine> FermionHead(JsonObject o) =>
        from L in Length(o)
        from n in Numbers(o, "profile", L, x => x >= 0 && x <= 1, "a density in [0, 1]")
        from h in Numbers(o, "fields", L, double.IsFinite, "a finite number")
        from c in Object(o, "current")
        from left in Number(c, "current.left", "left")
        from right in Number(c, "current.right", "right")
        select new FermionLine(L, n, h, c, left);

    /// <summary>What every fermion line has last: the step metrics (max_jump, end_to_end numbers, residual_roughness a
    /// number or null) and the certificate naming its solver. Returns the step object.</summary>
    static Either<Invalid, JsonObject> FermionTail(JsonObject o) =>
        from st in Object(o, "step")
        from _1 in Number(st, "step.max_jump", "max_jump")
        from _2 in Number(st, "step.end_to_end", "end_to_end")
        from _3 in NumberOrNull(st, "step.residual_roughness", "residual_roughness")
        from d in Diagnostics(o, "solver")
        select st;

    static Either<Invalid, Realization> Harmonic(long r, JsonObject o) =>
        from L in Length(o)
        from t in Numbers(o, "profile", L, x => double.IsFinite(x) && x >= 0, "a finite temperature >= 0")
        from v in Numbers(o, "pinning", L, double.IsFinite, "a finite number")
        from c in Object(o, "current")
        from j in c.ContainsKey("per_bath_coupling") ? Number(c, "current.per_bath_coupling", "per_bath_coupling")
                  : from l in Number(c, "current.left", "left") from _ in Number(c, "current.right", "right") select l
        from ln in NumberOrNull(c, "current.ln_abs", "ln_abs")
        from st in Object(o, "step")
        from _1 in NumberOrNull(st, "step.width", "width")
        from _2 in NumberOrNull(st, "step.midpoint", "midpoint")
        from d in Diagnostics(o, "method")
        select (Realization)new Realization.Solved(r, new Observables(
            [.. t], Scalars(st), Scalars(c), j, ln.Case is double la ? la : Log(j)) { Disorder = [.. v] });

    /// <summary>A harmonic box in Z^d (--shape, docs/lattice.md): "sites" sites, the profile and pinning of that many,
    /// "profile_x" the mean T per slice, "current" an object whose numbers are averaged, the certificate present.</summary>
    static Either<Invalid, Realization> Box(long r, JsonObject o) =>
        from n in Count(o, "sites")
        from t in Numbers(o, "profile", n, x => double.IsFinite(x) && x >= 0, "a finite temperature >= 0")
        from v in Numbers(o, "pinning", n, double.IsFinite, "a finite number")
        from px in o["profile_x"] is JsonArray a
            ? Numbers(o, "profile_x", a.Count, x => double.IsFinite(x) && x >= 0, "a finite temperature >= 0")
            : new Invalid("profile_x", o.ContainsKey("profile_x") ? "must be an array of numbers" : "is missing")
        from c in Object(o, "current")
        from d in Diagnostics(o, "method")
        select (Realization)new Realization.Solved(r, new Observables([.. t], [], Scalars(c), null, null) { ProfileX = [.. px], Disorder = [.. v] });

    static double? Log(double j) => j != 0 ? Math.Log(Math.Abs(j)) : null;

    static Either<Invalid, int> Length(JsonObject o) => Count(o, "length");

    static Either<Invalid, int> Count(JsonObject o, string key) =>
        o[key] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && int.TryParse(v.ToJsonString(), out var L) && L >= 1
            ? L : new Invalid(key, "must be a positive integer");

    static Either<Invalid, JsonObject> Object(JsonObject o, string key) =>
        o[key] is JsonObject x ? x : new Invalid(key, o.ContainsKey(key) ? "must be an object" : "is missing");

    static Either<Invalid, JsonObject> Diagnostics(JsonObject o, string nameKey) =>
        o["diagnostics"] is JsonObject d
            ? d[nameKey] is JsonValue v && v.GetValueKind() == JsonValueKind.String
                ? d : new Invalid($"diagnostics.{nameKey}", "must be a string (the certificate names its " + nameKey + ")")
            : new Invalid("diagnostics", o.ContainsKey("diagnostics")
                ? "must be the certificate object (a realization without its certificate is not certified)"
                : "is missing (a realization without its certificate is not certified)");

    static Either<Invalid, double> Number(JsonObject o, string field, string key) =>
        EnsembleLine.Number(o[key]) is double x && double.IsFinite(x)
            ? x : new Invalid(field, o.ContainsKey(key) ? $"must be a number, got {Show(o[key])}" : "is missing");

    static Either<Invalid, Option<double>> NumberOrNull(JsonObject o, string field, string key) =>
        !o.ContainsKey(key) ? new Invalid(field, "is missing")
        : o[key] is null ? Option<double>.None
        : EnsembleLine.Number(o[key]) is double x && double.IsFinite(x) ? Prelude.Some(x)
        : new Invalid(field, $"must be a number or null, got {Show(o[key])}");

    static Either<Invalid, double[]> Numbers(JsonObject o, string key, int count, Func<double, bool> ok, string what, string? field = null)
    {
        field ??= key;
        if (o[key] is not JsonArray a) return new Invalid(field, o.ContainsKey(key) ? "must be an array of numbers" : "is missing");
        if (a.Count != count) return new Invalid(field, $"has {a.Count} entries, the chain has {count}");
        var x = new double[count];
        for (int i = 0; i < count; i++)
        {
            if (EnsembleLine.Number(a[i]) is not double v || !ok(v))
                return new Invalid($"{field}[{i}]", $"must be {what}, got {Show(a[i])}");
            x[i] = v;
        }
        return x;
    }

    /// <summary>The numeric scalar members of an object, in order (arrays and objects skipped; null stays null).</summary>
    static ImmutableArray<Scalar> Scalars(JsonObject o) =>
        [.. o.Where(kv => kv.Value is not JsonArray and not JsonObject).Select(kv => new Scalar(kv.Key, EnsembleLine.Number(kv.Value)))];

    static string Show(JsonNode? n)
    {
        var t = n?.ToJsonString() ?? "null";
        return t.Length <= 40 ? t : t[..37] + "...";
    }
}
