using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using LanguageExt;
using Ness.Cli.Tables;
using Ness.Pipeline;

namespace Ness.Cli.Commands;

/// <summary>
/// <c>ness sweep fermion|harmonic --length 6,7,8 --disorder 1,2,4 ... --realizations N --seed S --out DIR
/// [--shard i/n] [--threads k]</c>: an ensemble at every point of the product of the comma lists, one resumable
/// ensemble file per point (DIR/NAME.jsonl, run by <c>ness ensemble</c> itself, so a sweep resumes, shards and
/// refuses exactly as an ensemble does), then DIR/summary.csv (one row per point: provenance, every parameter,
/// count, refused, mean profile at the first, middle and last site, every step metric and ln|J| with standard
/// errors) and DIR/summary.json (the aggregate of every point). Every point is validated before any is run.
/// With --shard i/n the files are DIR/NAME.shard-i-of-n.jsonl and the summary covers every file present (it is
/// complete when the last shard finishes). See docs/ensembles.md.
/// </summary>
public static class SweepCommand
{
    /// <summary>A numeric flag that takes a comma list; <paramref name="Integer"/> for the length.</summary>
    sealed record ListFlag(string Name, string Short, bool Integer, string Description, string? Alias = null);

    /// <summary>A flag passed to every point as given.</summary>
    sealed record PassFlag(string Name, string Description, bool Switch = false);

    static readonly ListFlag[] FermionLists =
    [
        new("--length", "L", true, "Chain lengths L, e.g. 6,7,8.", "-L"),
        new("--disorder", "W", false, "Disorder strengths W (fields uniform in [-W, W]), e.g. 1,2,4,10,20."),
        new("--hopping", "J", false, "Hoppings J (default 1)."),
        new("--interaction", "V", false, "Interactions V (default 1)."),
    ];

    static readonly PassFlag[] FermionPass =
    [
        new("--rates", "Lindblad rates g1p,g1m,gLp,gLm (one set for every point; default 3,1,2,1)."),
        new("--solver", "Steady-state solver for every point (auto|direct|krylov|gaussian; default auto)."),
    ];

    static readonly ListFlag[] HarmonicLists =
    [
        new("--length", "L", true, "Chain lengths L, e.g. 50,100,200.", "-L"),
        new("--coupling", "g", false, "Harmonic couplings g (default 0.1)."),
        new("--bath-coupling", "lambda", false, "Finite bath couplings lambda, e.g. 0.1,0.3,1 (or --weak-coupling)."),
    ];

    static readonly PassFlag[] HarmonicPass =
    [
        new("--weak-coupling", "The weak-coupling limit lambda -> 0 at every point (or --bath-coupling).", Switch: true),
        new("--pinning-range", "Pinning range a,b for every point (default 1,2)."),
        new("--temperatures", "Bath temperatures T1,TL for every point (default 1,2)."),
    ];

    public static Command Create()
    {
        var cmd = new Command("sweep", "Ensembles over the product of comma lists of numeric parameters (--length 6,7,8 --disorder 1,2,4): " +
                                       "one resumable ensemble file per point in --out DIR, DIR/summary.csv and DIR/summary.json.");
        cmd.Subcommands.Add(Sub("fermion", FermionLists, FermionPass));
        cmd.Subcommands.Add(Sub("harmonic", HarmonicLists, HarmonicPass));
        return cmd;
    }

    static Command Sub(string model, ListFlag[] lists, PassFlag[] pass)
    {
        var cmd = new Command(model, $"Sweep of ness ensemble {model} over comma lists of its numeric parameters.");
        var listOptions = lists.Select(l =>
        {
            var o = Flags.Text(l.Name, l.Description + " A comma list: one ensemble per value.", l.Alias is null ? [] : [l.Alias]);
            if (l.Name == "--length") o.Required = true;
            cmd.Options.Add(o);
            return (Flag: l, Option: o);
        }).ToList();
        var passOptions = pass.Select(f =>
        {
            System.CommandLine.Option o = f.Switch ? Flags.Switch(f.Name, f.Description) : Flags.Text(f.Name, f.Description);
            cmd.Options.Add(o);
            return (Flag: f, Option: o);
        }).ToList();
        var realizations = Flags.Long("--realizations", "Realizations N per point (numbered 0..N-1).", 1, EnsembleCommand.MaxRealizations).Required();
        var seed = Flags.Long("--seed", "Seed S of every point (realization r of every point draws from (S, r)).").Required();
        var outDir = Flags.Text("--out", "Directory of the sweep: one ensemble file per point, summary.csv, summary.json; rerunning resumes.").Required();
        var shard = Flags.Text("--shard", "i/n: run shard i of n of every point (as ness ensemble --shard).");
        var threads = Flags.Text("--threads", "Realizations solved at once (as ness ensemble --threads).");
        foreach (var o in new System.CommandLine.Option[] { realizations, seed, outDir, shard, threads }) cmd.Options.Add(o);
        cmd.SetAction(p =>
        {
            // the lists
            var axes = new List<(ListFlag Flag, string[] Values)>();
            foreach (var (flag, option) in listOptions)
            {
                if (p.Given(option) is not { IsSome: true } given) continue;
                var values = Values(flag, (string)given);
                if (values.IsFail) return Exit.Report((LanguageExt.Common.Error)values);
                axes.Add((flag, (string[])values));
            }
            var fixedArgs = new List<string>();
            foreach (var (flag, option) in passOptions)
            {
                if (flag.Switch) { if (p.GetValue((System.CommandLine.Option<bool>)option)) fixedArgs.Add(flag.Name); }
                else if (p.GetValue((System.CommandLine.Option<string>)option) is string v) fixedArgs.AddRange([flag.Name, v]);
            }
            fixedArgs.AddRange(["--seed", p.Value(seed).ToString(CultureInfo.InvariantCulture)]);
            if (p.GetValue(threads) is string t) fixedArgs.AddRange(["--threads", t]);
            var shardText = p.GetValue(shard);
            return Run(model, axes, fixedArgs, p.Value(realizations), shardText, p.Value(outDir), Console.Error);
        });
        return cmd;
    }

    static Fin<string[]> Values(ListFlag flag, string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        foreach (var v in parts)
        {
            bool ok = flag.Integer ? int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)
                                   : double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d);
            if (!ok) return new BadInput(flag.Name, $"'{v}' in '{text}' is not {(flag.Integer ? "an integer" : "a finite number")}");
        }
        if (parts.Distinct().Count() != parts.Length) return new BadInput(flag.Name, $"'{text}' lists a value twice");
        return parts;
    }

    /// <summary>A point: its values (flag, value) in axis order and its file name.</summary>
    sealed record Point(IReadOnlyList<(ListFlag Flag, string Value)> Values)
    {
        public string Name => string.Join("_", Values.Select(v => $"{v.Flag.Name.TrimStart('-')}-{v.Value}"));
        public string Describe => string.Join(", ", Values.Select(v => $"{v.Flag.Short} = {v.Value}"));
        public IEnumerable<string> Args => Values.SelectMany(v => new[] { v.Flag.Name, v.Value });
    }

    static List<Point> Product(List<(ListFlag Flag, string[] Values)> axes)
    {
        var points = new List<Point> { new([]) };
        foreach (var (flag, values) in axes)
            points = [.. points.SelectMany(pt => values.Select(v => new Point([.. pt.Values, (flag, v)])))];
        return points;
    }

    /// <summary>Runs ness with <paramref name="args"/> in this process, its stdout and stderr captured.</summary>
    static (int Code, string Err) Quiet(string[] args)
    {
        var (o, e) = (Console.Out, Console.Error);
        var err = new StringWriter();
        Console.SetOut(TextWriter.Null);
        Console.SetError(err);
        try { return (Exit.Invoke(Program.Root(), args), err.ToString()); }
        finally { Console.SetOut(o); Console.SetError(e); }
    }

    static int Run(string model, List<(ListFlag Flag, string[] Values)> axes, List<string> fixedArgs, long realizations, string? shard, string dir, TextWriter log)
    {
        var points = Product(axes);
        // every point validated first (flags, ranges, memory): an ensemble of zero realizations (shard 2 of 2 of 1)
        foreach (var pt in points)
        {
            var (code, err) = Quiet(["ensemble", model, .. pt.Args, .. fixedArgs, "--shard", "2/2", "--realizations", "1"]);
            if (code != Exit.Ok)
            {
                var msg = err.Split('\n').Where(l => l.StartsWith("ness: error: ", StringComparison.Ordinal)).Select(l => l["ness: error: ".Length..]).ToList();
                log.WriteLine($"ness: error: sweep point {pt.Describe}: " + (msg.Count > 0 ? string.Join("; ", msg) : err.Trim()));
                return code;
            }
        }
        string suffix = "";
        if (shard is not null)
        {
            var s = Pipeline.Ensemble.Shard.Parse("--shard", shard);
            if (s.IsFail) return Exit.Report((LanguageExt.Common.Error)s);
            var sh = (Pipeline.Ensemble.Shard)s;
            if (sh.Count > 1) suffix = $".shard-{sh.Index}-of-{sh.Count}";
        }
        try { Directory.CreateDirectory(dir); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return Exit.Report(OutputLock.Cannot("--out", dir, "create the directory", e));
        }
        int refusedPoints = 0;
        for (int k = 0; k < points.Count; k++)
        {
            var pt = points[k];
            log.WriteLine($"sweep: point {k + 1}/{points.Count}: {(pt.Values.Count > 0 ? pt.Describe : "(no list given)")}");
            var file = Path.Combine(dir, pt.Name + suffix + ".jsonl");
            string[] args = ["ensemble", model, .. pt.Args, .. fixedArgs, "--realizations", realizations.ToString(CultureInfo.InvariantCulture),
                             "--out", file, .. shard is null ? Array.Empty<string>() : ["--shard", shard]];
            int code = Exit.Invoke(Program.Root(), args);
            if (code == Exit.Refused) { refusedPoints++; continue; }
            if (code is Exit.Interrupted or Exit.Terminated)
            {
                log.WriteLine($"ness: sweep interrupted at point {k + 1} of {points.Count}: the finished realizations are in {dir}; " +
                              "rerun the same command to resume");
                return code;
            }
            if (code != Exit.Ok) return code;
        }
        var summary = Summarize(points, dir, log);
        if (summary.IsFail) return Exit.Report((LanguageExt.Common.Error)summary);
        var (csv, json) = ((string, JsonObject))summary;
        try
        {
            Atomic(Path.Combine(dir, "summary.csv"), csv);
            Atomic(Path.Combine(dir, "summary.json"), Output.Json(json));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Exit.Report(new IoFailure($"--out: cannot write the summary into '{dir}': {e.Message}; the ensemble files are intact"));
        }
        log.WriteLine($"sweep: {points.Count} point(s) in {dir}; summary.csv and summary.json written");
        int printed = Exit.Print(Output.Json(new JsonObject
        {
            ["out"] = dir,
            ["points"] = points.Count,
            ["files"] = new JsonArray([.. points.Select(pt => (JsonNode?)(pt.Name + suffix + ".jsonl")), "summary.csv", "summary.json"]),
        }));
        if (printed != Exit.Ok) return printed;
        if (refusedPoints > 0)
        {
            log.WriteLine($"ness: error: {refusedPoints} point(s) had a realization the numerics refused (see their ensemble files)");
            return Exit.Refused;
        }
        return Exit.Ok;
    }

    static void Atomic(string path, string text)
    {
        var tmp = path + $".tmp-{Environment.ProcessId}";
        File.WriteAllText(tmp, text);
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>The files of a point: its own and its shards'.</summary>
    static List<string> FilesOf(string dir, Point pt) =>
        [.. Directory.EnumerateFiles(dir, pt.Name + "*.jsonl")
            .Where(f => Path.GetFileName(f) is var n && (n == pt.Name + ".jsonl" || n.StartsWith(pt.Name + ".shard-", StringComparison.Ordinal)))
            .Order(StringComparer.Ordinal)];

    static readonly string[] StepNames = RealizationTable.StepNames;

    /// <summary>summary.csv and summary.json of every point's files (aggregated as ness aggregate does).</summary>
    static Fin<(string Csv, JsonObject Json)> Summarize(List<Point> points, string dir, TextWriter log)
    {
        var header = new List<string>(Columns.ProvenanceNames);
        header.AddRange(Columns.ParameterNames);
        header.AddRange(["file", "count", "refused",
            "n_first", "n_first_stderr", "n_middle", "n_middle_stderr", "n_last", "n_last_stderr"]);
        foreach (var s in StepNames) header.AddRange([$"{s}_mean", $"{s}_stderr"]);
        header.AddRange(["log_current_mean", "log_current_stderr", "log_current_of"]);
        var prov = Columns.Provenance(DateTime.UtcNow);
        var rows = new List<object?[]>();
        var jsonPoints = new JsonArray();
        foreach (var pt in points)
        {
            var files = FilesOf(dir, pt);
            var agg = files.Count == 0 ? Fin<JsonObject>.Fail(new BadInput("FILE", "no file")) : AggregateCommand.Compute(files, log);
            if (agg.IsFail)
            {
                log.WriteLine($"ness: warning: sweep point {pt.Describe}: nothing to summarize ({((LanguageExt.Common.Error)agg).Message})");
                continue;
            }
            var a = (JsonObject)agg;
            var mean = a["profile"]!["mean"] as JsonArray;
            var se = a["profile"]!["stderr"] as JsonArray;
            int L = mean?.Count ?? 0, mid = (L - 1) / 2;
            var lcKey = a["log_current"] is not null ? "log_current" : a["log_current_per_bath_coupling"] is not null ? "log_current_per_bath_coupling" : null;
            var row = new List<object?>(prov);
            row.AddRange(Columns.Parameters(a));
            row.AddRange([string.Join(";", files.Select(Path.GetFileName)), Columns.Cell(a["count"]), Columns.Cell(a["refused"] is JsonObject r ? r["count"] : a["refused"]) ?? 0,
                Columns.Cell(mean?[0]), Columns.Cell(se?[0]), Columns.Cell(mean?[mid]), Columns.Cell(se?[mid]), Columns.Cell(mean?[L - 1]), Columns.Cell(se?[L - 1])]);
            foreach (var s in StepNames) row.AddRange([Columns.Cell(a["step"]?[s]?["mean"]), Columns.Cell(a["step"]?[s]?["stderr"])]);
            row.AddRange([Columns.Cell(lcKey is null ? null : a[lcKey]?["mean"]), Columns.Cell(lcKey is null ? null : a[lcKey]?["stderr"]),
                          lcKey switch { "log_current" => "ln|J|", null => null, _ => "ln|J/lambda|" }]);
            rows.Add([.. row]);
            jsonPoints.Add(new JsonObject
            {
                ["point"] = new JsonObject(pt.Values.Select(v => KeyValuePair.Create(v.Flag.Name.TrimStart('-').Replace('-', '_'), (JsonNode?)JsonValue.Create(double.Parse(v.Value, CultureInfo.InvariantCulture))))),
                ["files"] = new JsonArray([.. files.Select(f => (JsonNode?)Path.GetFileName(f))]),
                ["aggregate"] = a,
            });
        }
        var json = new JsonObject
        {
            ["provenance"] = new JsonObject { ["version"] = BuildInfo.Version, ["commit"] = Json.ProvenanceJson.Commit, ["date"] = (string)prov[2]! },
            ["points"] = jsonPoints,
        };
        return (Output.Csv([.. header], rows), json);
    }
}
