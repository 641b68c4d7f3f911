using System.Collections.Immutable;
using System.Globalization;
using LanguageExt;
using Ness.Operators.Harmonic;

namespace Ness.Pipeline.Lattice;

/// <summary>One site of the boundary set dLambda with its own Langevin bath at temperature T_y (eq. 2.4).
/// <see cref="Site"/> is the 0-based index in the box's order (x fastest).</summary>
public sealed record Bath(int Site, double Temperature);

/// <summary>The bath sets of the harmonic model on a box: the default faces, or a file of one line per bath.</summary>
public static class Baths
{
    /// <summary>The faces x = 1 at T1 and x = NX at T2 (for d = 1: sites 1 and NX), in site order.</summary>
    public static ImmutableArray<Bath> Faces(Box box, double t1, double t2)
    {
        var b = ImmutableArray.CreateBuilder<Bath>();
        for (int i = 0; i < box.Sites; i++)
        {
            int x = box.Coordinates(i).X;
            if (x == 1) b.Add(new Bath(i, t1));
            else if (x == box.NX) b.Add(new Bath(i, t2));
        }
        return b.ToImmutable();
    }

    /// <summary>
    /// Parses a bath file: one line per bath site, its d 1-based coordinates and its temperature, comma-separated
    /// (d = the box's dimension; "1,3,2.5" in d = 2 is the site x = 1, y = 3 at T = 2.5). Blank lines and lines
    /// starting with '#' are skipped. A line with the wrong number of fields, a site outside the box, a site listed
    /// twice, a negative or non-finite temperature, or no bath at all is bad input (exit 2) naming the file and line.
    /// </summary>
    public static Fin<ImmutableArray<Bath>> Parse(string file, IEnumerable<string> lines, Box box)
    {
        int d = box.Dimension;
        var seen = new Dictionary<int, int>();
        var baths = ImmutableArray.CreateBuilder<Bath>();
        int lineNo = 0;
        foreach (var raw in lines)
        {
            lineNo++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            string where = $"{file}:{lineNo}";
            var f = line.Split(',');
            if (f.Length != d + 1)
                return Bad(where, $"expected {d} coordinates and a temperature ({(d == 1 ? "x,T" : d == 2 ? "x,y,T" : "x,y,z,T")}), got {f.Length} fields: '{line}'");
            var c = new int[3] { 1, 1, 1 };
            for (int k = 0; k < d; k++)
                if (!int.TryParse(f[k].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out c[k]))
                    return Bad(where, $"coordinate {k + 1} '{f[k].Trim()}' is not an integer");
            if (!double.TryParse(f[d].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double t) || !double.IsFinite(t))
                return Bad(where, $"temperature '{f[d].Trim()}' is not a finite number");
            if (t < 0)
                return Bad(where, $"temperature {t.ToString("R", CultureInfo.InvariantCulture)} is negative; allowed: T >= 0");
            if (!box.Contains(c[0], c[1], c[2]))
                return Bad(where, $"site ({string.Join(",", c[..d])}) is outside the box {box} (coordinates are 1-based)");
            int i = box.Index(c[0], c[1], c[2]);
            if (seen.TryGetValue(i, out int first))
                return Bad(where, $"site ({string.Join(",", c[..d])}) is listed twice (first on line {first})");
            seen[i] = lineNo;
            baths.Add(new Bath(i, t));
        }
        if (baths.Count == 0) return Bad(file, "no bath site given (one line per site: coordinates and temperature)");
        return baths.ToImmutable();
    }

    static Fin<ImmutableArray<Bath>> Bad(string where, string what) => new BadInput("--baths", $"{where}: {what}");
}
