using System.Globalization;
using System.Text.Json.Nodes;
using LanguageExt;
using Ness.Cli.Reproduce;
using Ness.Pipeline;
using Ness.Pipeline.Ensemble;

namespace Ness.Cli.Plotting;

/// <summary>
/// The figures of <c>ness plot</c> for the harmonic model on a box (<c>ness harmonic --shape</c>, docs/lattice.md),
/// from a single run or from the average of an ensemble (its file or its aggregate): "profile_x", the mean of T over
/// each slice x = const against x (± one standard error over the realizations); in d = 2 "map", the temperature map
/// T(x, y) as a heat map; in d = 3 "map_z{k}", the map of the middle slice z = k = ⌈NZ/2⌉ (a box has no single
/// picture; the other slices are in the JSON's "profile", x fastest).
/// </summary>
public static class BoxFigures
{
    /// <summary>Whether a single run or an aggregate is of a box.</summary>
    public static bool IsBox(JsonObject o) => o["shape"] is JsonArray || o["parameters"]?["shape"] is JsonArray;

    static double[] Nums(JsonNode? a) => a is JsonArray arr ? [.. arr.Select(v => EnsembleLine.Number(v) ?? double.NaN)] : [];
    static string F(double x) => x.ToString("G6", CultureInfo.InvariantCulture);

    /// <param name="o">a single run (<paramref name="single"/>) or an aggregate-shaped object</param>
    public static Fin<IReadOnlyList<ResultFigures.Named>> Of(string path, JsonObject o, bool single)
    {
        var p = single ? o : o["parameters"] as JsonObject;
        var extents = Nums(p?["shape"]).Select(v => (int)v).ToArray();
        var profile = single ? Nums(o["profile"]) : Nums(o["profile"]?["mean"]);
        var slices = single ? Nums(o["profile_x"]) : Nums(o["profile_x"]?["mean"]);
        var slicesSe = single ? null : o["profile_x"]?["stderr"] is JsonArray se && se.All(v => v is not null) ? Nums(se) : null;
        if (extents.Length is < 1 or > 3 || extents.Any(e => e < 1) || p is null)
            return new BadInput("FILE", $"'{path}': \"shape\" must list 1 to 3 positive sizes");
        int nx = extents[0], ny = extents.Length > 1 ? extents[1] : 1, nz = extents.Length > 2 ? extents[2] : 1;
        if (profile.Length != nx * ny * nz || slices.Length != nx)
            return new BadInput("FILE", $"'{path}': a box of shape {string.Join("x", extents)} needs {nx * ny * nz} profile values and {nx} slice means (\"profile_x\"); " +
                                        $"found {profile.Length} and {slices.Length}");
        long count = single ? 1 : (long)(EnsembleLine.Number(o["count"]) ?? 0);
        string what = $"{Describe(p, single ? o : null)}; units: unit masses, k_B = 1";
        string bars = slicesSe is null ? "no error bars" : $"error bars: ± one standard error of the mean over {count} realizations";
        string averaged = single ? "one realization" : $"mean over {count} realizations";
        var figures = new List<ResultFigures.Named>
        {
            new("profile_x", new Figure($"Temperature averaged over each slice x = const, box {string.Join(" x ", extents)} ({averaged})",
                "slice x", extents.Length > 1 ? "mean T over the slice" : "T(x)",
                [new Series("", [.. Enumerable.Range(1, nx).Select(x => (double)x)], slices, slicesSe)],
                $"{bars}; {what}")),
        };
        if (extents.Length >= 2)
        {
            int z = (nz + 1) / 2;
            var map = Map(profile, nx, ny, z);
            string where = extents.Length == 3 ? $", slice z = {z} of {nz}" : "";
            figures.Add(new(extents.Length == 3 ? $"map_z{z}" : "map", new Figure(
                $"Temperature map T(x, y){where}, box {string.Join(" x ", extents)} ({averaged})", "x", "y", [],
                $"{(single ? "" : "mean over the realizations; ")}{what}",
                Map: new HeatMap(map, single ? "T(x, y)" : "mean T(x, y)"))));
        }
        return figures;
    }

    /// <summary>The temperatures of slice z (1-based) as a map: [y − 1, x − 1] = T at site (x − 1) + NX((y − 1) + NY(z − 1)).</summary>
    public static double[,] Map(double[] profile, int nx, int ny, int z)
    {
        var m = new double[ny, nx];
        for (int y = 0; y < ny; y++)
            for (int x = 0; x < nx; x++)
                m[y, x] = profile[x + nx * (y + ny * (z - 1))];
        return m;
    }

    /// <summary>The box's parameters in words, from a single run or an aggregate's "parameters".</summary>
    static string Describe(JsonObject p, JsonObject? single)
    {
        var lam = p["bath_coupling"] is JsonNode l ? $"λ = {l}" : "λ → 0 (weak coupling, eq. 2.10)";
        var baths = p["baths"] as JsonObject;
        var t = Nums(baths?["temperatures"]);
        string bathText = baths?["faces"]?.GetValue<bool>() == true && t.Length >= 2
            ? $"baths on the faces x = 1 (T = {F(t[0])}) and x = NX (T = {F(t[1])})"
            : $"{t.Length} bath sites, T in [{(t.Length > 0 ? F(t.Min()) : "?")}, {(t.Length > 0 ? F(t.Max()) : "?")}]";
        var pv = single?["provenance"];
        var range = pv?["pinning_range"] ?? p["ensemble"]?["pinning_range"];
        string pin = range is JsonArray r ? $", pinning uniform in [{r[0]}, {r[1]}]" : "";
        string draw = pv?["seed"] is JsonNode s ? $", seed {s}, realization {pv["realization"]}" : p["seed"] is JsonNode s2 ? $", seed {s2}" : "";
        return $"harmonic box, g = {p["coupling"]}, {lam}, {bathText}{pin}{draw}";
    }
}
