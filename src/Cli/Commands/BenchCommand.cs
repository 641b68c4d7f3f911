using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using LanguageExt;
using Ness.Pipeline;
using static LanguageExt.Prelude;

namespace Ness.Cli.Commands;

/// <summary>
/// `ness bench`: the fermion steady state at several lengths and disorder strengths (J = V = 1, rates
/// 3,1,2,1, fields from --seed), each run in a child `ness fermion` process (so that time and peak memory
/// are per run), and, when /usr/bin/python3 can import qutip, QuTiP's steadystate on the same parameters
/// with its best option per docs/numerics.md (benchmarks/qutip_steadystate.py). Prints a markdown table with
/// the ratios. Progress goes to stderr.
/// </summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var cmd = new Command("bench", "Benchmark the fermion steady state (ours vs QuTiP) at several lengths.");
        var lengths = Flags.Ints("--lengths", $"Comma-separated lengths (each 1..{Ness.Pipeline.Fermion.FermionParameters.MaxLength}).",
            1, Ness.Pipeline.Fermion.FermionParameters.MaxLength).Default([7, 8, 9, 10]);
        var disorder = Flags.Doubles("--disorder", "Comma-separated disorder strengths h.").Default([10, 1]);
        var seed = Flags.Long("--seed", "Disorder seed.").Default(1);
        var solver = Flags.Choice<Ness.Pipeline.Fermion.FermionSolver>("--solver", "Our solver.").Default(Ness.Pipeline.Fermion.FermionSolver.Krylov);
        var qutip = Flags.Choice("--qutip", "auto runs QuTiP when importable.", ["auto", "off"]).Default("auto");
        var qmax = Flags.Int("--qutip-max-length", "Largest L for QuTiP (L = 9 takes ~22 min, docs/numerics.md).", 1,
            Ness.Pipeline.Fermion.FermionParameters.MaxLength).Default(8);
        var python = Flags.Text("--python", "Python with qutip.").Default("/usr/bin/python3");
        var draws = Flags.Int("--draws", "Disorder draws per (L, h): realizations 0..N-1 of --seed; N > 1 prints the distribution " +
                                         "(median, 90 %, max of time and iterations) instead of one row per run.", 1, 100000).Default(1);
        var kernels = Flags.Switch("--kernels", "Only time the dense kernels (real gemm, d = 126, 252, 462): MathNet managed, our managed SIMD, OpenBLAS; and one application of the Liouvillian in double and double-double (L = 8, 10).");
        var threads = EnsembleCommand.ThreadsFlag();
        foreach (var o in new System.CommandLine.Option[] { lengths, disorder, seed, draws, solver, threads, qutip, qmax, python, kernels }) cmd.Options.Add(o);
        cmd.Subcommands.Add(BenchQuadratic.Create());
        cmd.Subcommands.Add(BenchWeak.Create());
        cmd.Subcommands.Add(BenchLattice.Create());
        cmd.SetAction(r => Exit.Run(() => FinSucc(r.Value(kernels) ? Kernels()
            : r.Value(draws) > 1
                ? Distribution(r.Value(lengths), r.Value(disorder), r.Value(seed), r.Value(draws), r.Value(solver).ToString().ToLowerInvariant(),
                    r.Value(threads), r.Value(qutip) == "auto", r.Value(qmax), r.Value(python))
                : Run(r.Value(lengths), r.Value(disorder), r.Value(seed), r.Value(solver).ToString().ToLowerInvariant(),
                  r.Value(threads), r.Value(qutip) == "auto", r.Value(qmax), r.Value(python)))));
        return cmd;
    }

    /// <summary>Median time of C = A B (d × d, real) for each available kernel, and its GFlop/s.</summary>
    static string Kernels()
    {
        var sb = new StringBuilder(Machine());
        sb.Append("\n| d | MathNet managed s (GF/s) | ours managed SIMD s (GF/s) | OpenBLAS s (GF/s) |\n|---|---|---|---|\n");
        foreach (int d in new[] { 126, 252, 462 })
        {
            var rnd = new Random(1);
            var a = Enumerable.Range(0, d * d).Select(_ => rnd.NextDouble()).ToArray();
            var b = Enumerable.Range(0, d * d).Select(_ => rnd.NextDouble()).ToArray();
            var c = new double[d * d];
            var A = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(d, d, a);
            var B = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(d, d, b);
            var C = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(d, d);
            string Time(Action f)
            {
                f();
                var t = new List<double>();
                for (int i = 0; i < 7; i++) { var sw = Stopwatch.StartNew(); f(); t.Add(sw.Elapsed.TotalSeconds); }
                t.Sort();
                double m = t[t.Count / 2];
                return $"{F(m, "E2")} ({F(2.0 * d * d * d / m / 1e9, "F1")})";
            }
            string mn = Time(() => A.Multiply(B, C));
            string ms = DenseBackend.Gemm(DenseBackend.Managed, d, a, b, c).Match(Time, () => "not loaded");
            string ob = DenseBackend.Gemm(DenseBackend.OpenBlas, d, a, b, c).Match(Time, () => "not loaded");
            sb.Append($"| {d} | {mn} | {ms} | {ob} |\n");
        }
        sb.Append(LiouvillianApplications());
        return sb.ToString();
    }

    /// <summary>Median time of one application of the sector Liouvillian (h = 10 fields of seed 1, one thread) in double
    /// and in double-double (the residual of iterative refinement, docs/numerics.md), interleaved so that both see the
    /// same load.</summary>
    static string LiouvillianApplications()
    {
        var sb = new StringBuilder("\n| L | dimension | L(rho) double s | L(rho) double-double s | ratio |\n|---|---|---|---|---|\n");
        foreach (int L in new[] { 8, 10 })
        {
            var B = Ness.Operators.Fermion.SectorBlocks.Create(L, 1, 1, Disorder.Uniform(1, 0, L, -10, 10), [3, 1, 2, 1]);
            var op = new Ness.Operators.Fermion.BlockLiouvillian(B);
            int D = op.Dimension;
            var rnd = new Random(1);
            var re = Enumerable.Range(0, D).Select(_ => rnd.NextDouble()).ToArray();
            var im = Enumerable.Range(0, D).Select(_ => rnd.NextDouble()).ToArray();
            var oR = new double[D]; var oI = new double[D];
            var x = Ness.Operators.Fermion.DoubleDoubleBlocks.Of(re, im);
            var y = Ness.Operators.Fermion.DoubleDoubleBlocks.Create(D);
            op.Apply(re, im, oR, oI);
            op.ApplyDoubleDouble(x, y);
            var td = new List<double>(); var tq = new List<double>();
            for (int i = 0; i < 7; i++)
            {
                var sw = Stopwatch.StartNew(); op.Apply(re, im, oR, oI); td.Add(sw.Elapsed.TotalSeconds);
                sw.Restart(); op.ApplyDoubleDouble(x, y); tq.Add(sw.Elapsed.TotalSeconds);
            }
            td.Sort(); tq.Sort();
            double a = td[3], b = tq[3];
            sb.Append($"| {L} | {D} | {F(a, "E2")} | {F(b, "E2")} | {F(b / a, "F1")} |\n");
        }
        return sb.ToString();
    }

    static string F(double x, string f = "G4") => x.ToString(f, CultureInfo.InvariantCulture);

    static string Run(int[] lengths, double[] hs, long seed, string solver, int threads, bool useQutip, int qutipMax, string python)
    {
        string? script = useQutip ? FindScript() : null;
        bool haveQutip = script is not null && RunProcess(python, ["-c", "import qutip"], out _, out _, out _) == 0;
        if (useQutip && !haveQutip)
            Console.Error.WriteLine($"bench: QuTiP not available ({python} cannot import qutip, or benchmarks/qutip_steadystate.py is neither next to ness.dll nor above the current directory); ours only");
        var sb = new StringBuilder();
        sb.Append(Machine());
        sb.Append($"\nJ = V = 1, rates 3,1,2,1, fields uniform in [-h, h] from seed {seed} (realization 0); our solver: {solver}, {threads} thread(s).\n");
        sb.Append("Times are wall-clock seconds of the solve as reported by each program (ours: diagnostics.seconds, QuTiP: steadystate call); ");
        sb.Append("'wall' is the whole child process; peak = peak resident memory of the child process.\n\n");
        sb.Append("| L | h | dim | ours s | wall s | iters | matvecs | rel. residual | peak MB | J (bond mean) | bond spread | (J_l−J_r)/J | QuTiP method | QuTiP s | QuTiP peak MB | QuTiP/ours | (J_ours−J_qutip)/J |\n");
        sb.Append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        foreach (var h in hs)
            foreach (var L in lengths)
            {
                var fields = Disorder.Uniform(seed, 0, L, -h, h);
                string fs = string.Join(",", fields.Select(x => x.ToString("R", CultureInfo.InvariantCulture)));
                Console.Error.WriteLine($"bench: L = {L}, h = {h}: ours ({solver}) ...");
                int rc = RunOursProcess(L, fs, solver, threads, out var text, out var wall, out var peak);
                string row;
                double jOurs = double.NaN;
                if (rc != 0) row = $"| {L} | {F(h)} | | failed (exit {rc}) | {F(wall, "F1")} | | | | {F(peak / 1e6, "F0")} | | | |";
                else
                {
                    var o = JsonNode.Parse(text)!;
                    var d = o["diagnostics"]!;
                    var c = o["current"]!;
                    var bonds = c["bonds"]!.AsArray().Select(x => (double)x!).ToArray();
                    jOurs = bonds.Average();
                    double spread = (bonds.Max() - bonds.Min()) / Math.Abs(jOurs);
                    double lr = Math.Abs((double)c["left"]! - (double)c["right"]!) / Math.Abs(jOurs);
                    string Stat(string k, string f = "G4") => d[k] is JsonNode v ? F((double)v, f) : "";
                    row = $"| {L} | {F(h)} | {d["dimension"]} | {Stat("seconds", "F2")} | {F(wall, "F1")} | {Stat("iterations", "F0")} | {Stat("matvecs", "F0")} | " +
                          $"{Stat("relative_residual", "E1")} | {F(peak / 1e6, "F0")} | {F(jOurs, "E6")} | {F(spread, "E1")} | {F(lr, "E1")} |";
                }
                string? method = L <= 7 ? "iterative-lgmres" : L == 8 ? "direct" : L == 9 ? "iterative-lgmres" : null;
                if (haveQutip && method is not null && L <= qutipMax)
                {
                    Console.Error.WriteLine($"bench: L = {L}, h = {h}: QuTiP {method} ...");
                    var args = new List<string> { script!, "--length", L.ToString(), "--fields=" + fs, "--method", method };
                    if (L == 8) args.Add("--use-rcm");
                    int qrc = RunProcess(python, [.. args], out var qtext, out var qwall, out var qpeak);
                    if (qrc != 0) row += $" {method} | failed (exit {qrc}) | | | |";
                    else
                    {
                        var q = JsonNode.Parse(qtext)!;
                        double qs = (double)q["seconds"]!;
                        var qb = q["current"]!["bonds"]!.AsArray().Select(x => (double)x!).ToArray();
                        double oursS = rc == 0 ? (double)JsonNode.Parse(text)!["diagnostics"]!["seconds"]! : double.NaN;
                        row += $" {method}{(L == 8 ? " (use_rcm)" : "")} | {F(qs, "F2")} | {F(Math.Max(qpeak, (double)q["peak_rss_bytes"]!) / 1e6, "F0")} | " +
                               $"{F(qs / oursS, "F1")} | {F(Math.Abs(qb.Average() - jOurs) / Math.Abs(jOurs), "E1")} |";
                    }
                }
                else
                    row += haveQutip && L > qutipMax && method is not null
                        ? $" {method} | skipped (L > --qutip-max-length {qutipMax}) | | | |"
                        : " | | | | |";
                sb.Append(row).Append('\n');
                Console.Error.WriteLine("bench: " + row);
            }
        return sb.ToString();
    }

    /// <summary>`ness fermion --format json` on one draw as a child process (the one command line of both modes): exit
    /// code, stdout, wall seconds and peak resident bytes.</summary>
    static int RunOursProcess(int L, string fields, string solver, int threads, out string text, out double wall, out double peak)
    {
        var (self, selfArgs) = SelfCommand();
        return RunProcess(self, [.. selfArgs, "fermion", "--length", L.ToString(CultureInfo.InvariantCulture), "--fields", fields,
            "--solver", solver, "--threads", threads.ToString(CultureInfo.InvariantCulture), "--format", "json"], out text, out wall, out peak);
    }

    /// <summary>One run of ours on one draw: solve seconds, iterations, wall, peak bytes, mean bond current; None when
    /// it was refused or failed (exit code in <c>rc</c>).</summary>
    sealed record Ours(int Rc, double Seconds, double Iterations, double Wall, double Peak, double J, double Cpu,
        double Estimate = double.NaN, double Spread = double.NaN, double Steps = double.NaN, double Threads = double.NaN);

    static Ours RunOurs(int L, string fields, string solver, int threads)
    {
        int rc = RunOursProcess(L, fields, solver, threads, out var text, out var wall, out var peak);
        if (rc != 0) return new Ours(rc, double.NaN, double.NaN, wall, peak, double.NaN, double.NaN);
        var o = JsonNode.Parse(text)!;
        var d = o["diagnostics"]!;
        var bonds = o["current"]!["bonds"]!.AsArray().Select(x => (double)x!).ToList();
        double J = bonds.DefaultIfEmpty(double.NaN).Average();
        double spread = bonds.Count == 0 ? double.NaN : (bonds.Max() - bonds.Min()) / Math.Abs(J);
        double Stat(string k) => d[k] is JsonNode v ? (double)v : double.NaN;
        return new Ours(0, (double)d["seconds"]!, Stat("iterations"), wall, peak, J, Stat("cpu_seconds"),
            Stat("profile_error_estimate"), spread, Stat("refinement_steps"), Stat("krylov_threads"));
    }

    static string? QutipMethod(int L) => L <= 7 ? "iterative-lgmres" : L == 8 ? "direct" : L == 9 ? "iterative-lgmres" : null;

    /// <summary>QuTiP's solve seconds and mean bond current on one draw, or None when it failed.</summary>
    static LanguageExt.Option<(double Seconds, double J)> RunQutip(string python, string script, int L, string fields)
    {
        var method = QutipMethod(L)!;
        var args = new List<string> { script, "--length", L.ToString(CultureInfo.InvariantCulture), "--fields=" + fields, "--method", method };
        if (L == 8) args.Add("--use-rcm");
        if (RunProcess(python, [.. args], out var text, out _, out _) != 0) return None;
        var q = JsonNode.Parse(text)!;
        return ((double)q["seconds"]!, q["current"]!["bonds"]!.AsArray().Select(x => (double)x!).Average());
    }

    /// <summary>Nearest-rank quantile of a sorted list.</summary>
    internal static double Quantile(IReadOnlyList<double> sorted, double q) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];

    internal static string Load() => File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    /// <summary>`--draws N`: for each (L, h), N draws (realizations 0..N-1 of the seed), each ours and, where QuTiP
    /// applies, QuTiP side by side on the same fields; one row per (L, h) with the distribution over the draws.</summary>
    static string Distribution(int[] lengths, double[] hs, long seed, int draws, string solver, int threads, bool useQutip, int qutipMax, string python)
    {
        string? script = useQutip ? FindScript() : null;
        bool haveQutip = script is not null && RunProcess(python, ["-c", "import qutip"], out _, out _, out _) == 0;
        if (useQutip && !haveQutip)
            Console.Error.WriteLine($"bench: QuTiP not available ({python} cannot import qutip, or benchmarks/qutip_steadystate.py is neither next to ness.dll nor above the current directory); ours only");
        var sb = new StringBuilder(Machine());
        sb.Append($"\nJ = V = 1, rates 3,1,2,1, fields uniform in [-h, h], realizations 0..{draws - 1} of seed {seed}; our solver: {solver}, {threads} thread(s).\n");
        sb.Append("Times are seconds of the solve as reported by each program (ours: diagnostics.seconds, QuTiP: steadystate call); " +
                  "CPU s is ours' diagnostics.cpu_seconds (user + system of all threads during the solve, much less sensitive to the load); " +
                  "quantiles are nearest-rank over the draws that were not refused; 'est. max' is the largest diagnostics.profile_error_estimate, " +
                  "'spread max' the largest relative spread (max − min)/mean of the bond currents, 'refined' how many draws were refined " +
                  "(docs/numerics.md); 'load' is the 1, 5, 15 min load average at the start and end " +
                  "of the row's runs; QuTiP/ours is per draw, run side by side.\n\n");
        sb.Append("| L | h | draws | refused | s median | s 90 % | s max | max/median | CPU s median | CPU s 90 % | CPU s max | CPU max/median | iters median | iters 90 % | iters max | peak MB max | est. max | spread max | refined | " +
                  "QuTiP method | QuTiP s median | QuTiP/ours median | QuTiP/ours min | load start → end |\n");
        sb.Append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        foreach (var h in hs)
            foreach (var L in lengths)
            {
                string load0 = Load();
                var ours = new List<Ours>();
                var qs = new List<double>();
                var ratios = new List<double>();
                bool q = haveQutip && QutipMethod(L) is not null && L <= qutipMax;
                for (int r = 0; r < draws; r++)
                {
                    var fields = Disorder.Uniform(seed, r, L, -h, h);
                    string fs = string.Join(",", fields.Select(x => x.ToString("R", CultureInfo.InvariantCulture)));
                    var o = RunOurs(L, fs, solver, threads);
                    ours.Add(o);
                    string line = $"bench: L = {L}, h = {F(h)}, draw {r}: " + (o.Rc == 0
                        ? $"{F(o.Seconds, "F2")} s (CPU {F(o.Cpu, "F2")} s), {F(o.Iterations, "F0")} iterations, peak {F(o.Peak / 1e6, "F0")} MB, " +
                          $"estimate {F(o.Estimate, "E1")}, bond spread {F(o.Spread, "E1")}, refinement steps {F(o.Steps, "F0")}" +
                          (double.IsNaN(o.Threads) ? "" : $", {F(o.Threads, "F0")} thread(s)")
                        : $"refused or failed (exit {o.Rc})");
                    if (q && RunQutip(python, script!, L, fs).Case is ValueTuple<double, double> qt)
                    {
                        qs.Add(qt.Item1);
                        if (o.Rc == 0) ratios.Add(qt.Item1 / o.Seconds);
                        line += $"; QuTiP {F(qt.Item1, "F2")} s, ratio {F(qt.Item1 / o.Seconds, "F1")}, (J_ours − J_qutip)/J = {F(Math.Abs(o.J - qt.Item2) / Math.Abs(qt.Item2), "E1")}";
                    }
                    Console.Error.WriteLine(line);
                }
                var ok = ours.Where(o => o.Rc == 0).ToList();
                var t = ok.Select(o => o.Seconds).Order().ToList();
                var it = ok.Select(o => o.Iterations).Order().ToList();
                var cpu = ok.Select(o => o.Cpu).Order().ToList();
                double med = Quantile(t, 0.5);
                qs.Sort(); ratios.Sort();
                string row = $"| {L} | {F(h)} | {draws} | {ours.Count - ok.Count} | {F(med, "F2")} | {F(Quantile(t, 0.9), "F2")} | {F(t.LastOrDefault(double.NaN), "F2")} | " +
                             $"{F(t.LastOrDefault(double.NaN) / med, "F2")} | {F(Quantile(cpu, 0.5), "F2")} | {F(Quantile(cpu, 0.9), "F2")} | {F(cpu.LastOrDefault(double.NaN), "F2")} | " +
                             $"{F(cpu.LastOrDefault(double.NaN) / Quantile(cpu, 0.5), "F2")} | {F(Quantile(it, 0.5), "F0")} | {F(Quantile(it, 0.9), "F0")} | {F(it.LastOrDefault(double.NaN), "F0")} | " +
                             $"{F(ours.Max(o => o.Peak) / 1e6, "F0")} | {F(ok.Select(o => o.Estimate).DefaultIfEmpty(double.NaN).Max(), "E1")} | " +
                             $"{F(ok.Select(o => o.Spread).DefaultIfEmpty(double.NaN).Max(), "E1")} | {ok.Count(o => o.Steps > 0)} | " +
                             (q ? $"{QutipMethod(L)}{(L == 8 ? " (use_rcm)" : "")} | {F(Quantile(qs, 0.5), "F2")} | {F(Quantile(ratios, 0.5), "F1")} | {F(ratios.FirstOrDefault(double.NaN), "F1")} | "
                                : " | | | | ") + $"{load0} → {Load()} |";
                sb.Append(row).Append('\n');
                Console.Error.WriteLine("bench: " + row);
            }
        return sb.ToString();
    }

    internal static string Machine()
    {
        string model = "?";
        try
        {
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
                if (line.StartsWith("model name")) { model = line.Split(':', 2)[1].Trim(); break; }
        }
        catch (IOException) { }
        double ram = 0;
        try
        {
            var l = File.ReadLines("/proc/meminfo").First(x => x.StartsWith("MemTotal"));
            ram = double.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024 / 1024;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException) { }
        string load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "?";
        return $"Machine: {model}, {Environment.ProcessorCount} cores, {F(ram, "F1")} GiB RAM, load average at start {load}, " +
               $"dense kernels: {DenseBackend.Default}, .NET {Environment.Version}, code: {Code()}.\n";
    }

    /// <summary>Whether the solvers run precompiled (the installed tool: ReadyToRun images) or compiled at run time (the
    /// `dotnet build` output): at L = 8 the latter adds ~0.05–0.1 s to each solve (docs/benchmarks.md, "ReadyToRun").</summary>
    static string Code()
    {
        try
        {
            using var pe = new System.Reflection.PortableExecutable.PEReader(File.OpenRead(typeof(Ness.Pipeline.FermionChain).Assembly.Location));
            return pe.PEHeaders.CorHeader?.ManagedNativeHeaderDirectory.Size > 0 ? "ReadyToRun (precompiled)" : "JIT (not precompiled)";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or BadImageFormatException) { return "?"; }
    }

    static string? FindScript()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            var dir = new DirectoryInfo(start);
            while (dir is not null)
            {
                var f = Path.Combine(dir.FullName, "benchmarks", "qutip_steadystate.py");
                if (File.Exists(f)) return f;
                dir = dir.Parent;
            }
        }
        return null;
    }

    /// <summary>How to start this program again: the apphost, or `dotnet ness.dll`.</summary>
    internal static (string File, string[] Args) SelfCommand()
    {
        var exe = Environment.ProcessPath!;
        if (Path.GetFileNameWithoutExtension(exe).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            return (exe, [typeof(BenchCommand).Assembly.Location]);
        return (exe, []);
    }

    /// <summary>Runs a child process; returns its exit code, stdout, wall time and peak resident memory
    /// (VmHWM polled from /proc every 50 ms; 0 where /proc is unavailable).</summary>
    internal static int RunProcess(string file, string[] args, out string stdout, out double seconds, out double peakBytes) =>
        RunProcess(file, args, out stdout, out _, out seconds, out peakBytes);

    /// <summary>Bytes of a /proc status line "VmHWM:\t  123456 kB": the kernel pads the number to 8 columns with spaces
    /// after the tab, so from 10,000,000 kB on there is no space before it (split on spaces and tabs).</summary>
    public static double VmHwmBytes(string line) =>
        1024 * double.Parse(line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);

    /// <summary>As <see cref="RunProcess(string, string[], out string, out double, out double)"/>, with the child's
    /// stderr (echoed to ours when it fails).</summary>
    internal static int RunProcess(string file, string[] args, out string stdout, out string stderr, out double seconds, out double peakBytes)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        var sw = Stopwatch.StartNew();
        Process p;
        try { p = Process.Start(psi)!; }
        catch (System.ComponentModel.Win32Exception)
        {
            stdout = ""; stderr = ""; seconds = 0; peakBytes = 0;
            return -1;
        }
        var outTask = p.StandardOutput.ReadToEndAsync();
        var errTask = p.StandardError.ReadToEndAsync();
        double peak = 0;
        string status = $"/proc/{p.Id}/status";
        while (!p.WaitForExit(50))
        {
            try
            {
                foreach (var line in File.ReadLines(status))
                    if (line.StartsWith("VmHWM:"))
                        peak = Math.Max(peak, VmHwmBytes(line));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        p.WaitForExit();
        seconds = sw.Elapsed.TotalSeconds;
        stdout = outTask.Result;
        var err = errTask.Result;
        if (p.ExitCode != 0 && err.Length > 0) Console.Error.Write(err);
        stderr = err;
        peakBytes = peak;
        return p.ExitCode;
    }
}
