using System.Globalization;
using LanguageExt;
using Ness.Pipeline;
using Ness.Pipeline.Fermion.Krylov;
using Spectre.Console;
using static LanguageExt.Prelude;

namespace Ness.Cli;

/// <summary>
/// The Krylov solver's settings, parsed once here from `--threads` (<see cref="Commands.EnsembleCommand.ThreadsFlag"/>)
/// and the environment variables of docs/interface.md ("Environment"); a bad value exits 2 naming
/// the variable.
/// </summary>
public static class KrylovFlags
{
    public static Fin<KrylovOptions> Parse(int threads, Func<string, string?> env) =>
        from tol in Number("NESS_KRYLOV_TOL", env, x => x > 0 && x < 1, "0 < tol < 1")
        from restart in Integer("NESS_KRYLOV_RESTART", env, 1, 10000)
        from augment in Integer("NESS_KRYLOV_AUGMENT", env, 0, 100)
        from pairs in Number("NESS_KRYLOV_COHERENCES", env, x => x >= 0 && x <= 16, "0..16 (pairs per population)")
        from memory in Number("NESS_KRYLOV_MEMORY_GB", env, x => x > 0, "> 0 (gigabytes)")
        from blas in Kernels(KrylovOptions.Default, env("NESS_BLAS"))
        from smoother in Choice("NESS_KRYLOV_SMOOTHER", env, "single", "double")
        from transfer in Choice("NESS_KRYLOV_TRANSFER", env, "single", "double")
        from post in Choice("NESS_KRYLOV_POSTSMOOTH", env, "on", "off")
        from sweep in Choice("NESS_KRYLOV_SWEEP", env, "red-black", "jacobi")
        let o = blas with
        {
            Threads = threads, MemoryLimitBytes = memory.Map(g => g * 1e9),
            SingleSmoother = smoother.Match(c => c == "single", () => KrylovOptions.Default.SingleSmoother),
            SingleTransfer = transfer.Match(c => c == "single", () => KrylovOptions.Default.SingleTransfer),
            PostSmoothing = post.Match(c => c == "on", () => KrylovOptions.Default.PostSmoothing),
            Sweep = sweep.Match(c => c == "jacobi" ? SectorSweep.Jacobi : SectorSweep.RedBlack, () => KrylovOptions.Default.Sweep),
        }
        let o1 = tol.Match(t => o with { Tolerance = t }, () => o)
        let o2 = restart.Match(m => o1 with { Restart = (int)m, MaxRestart = Math.Max(o1.MaxRestart, (int)m) }, () => o1)
        let o3 = pairs.Match(c => o2 with { Coherences = c }, () => o2)
        select augment.Match(a => o3 with { Augment = (int)a }, () => o3);

    static Fin<Option<double>> Number(string name, Func<string, string?> env, Func<double, bool> ok, string range) =>
        env(name) is not string text ? FinSucc(Option<double>.None)
        : Flags.ParseDouble(name, text).Bind(x => ok(x) ? FinSucc(Some(x)) : FinFail<Option<double>>(new BadInput(name, $"{x} is out of range; allowed: {range}")));

    static Fin<Option<long>> Integer(string name, Func<string, string?> env, long min, long max) =>
        env(name) is not string text ? FinSucc(Option<long>.None)
        : Flags.ParseLong(name, text, min, max).Map(Some);

    static Fin<Option<string>> Choice(string name, Func<string, string?> env, params string[] allowed) =>
        env(name) is not string text ? FinSucc(Option<string>.None)
        : Flags.ParseChoice(name, text, allowed).Map(Some);

    /// <summary>The options with the kernels NESS_BLAS names (unset: OpenBLAS when it loads, <see cref="DenseBackend.Default"/>).</summary>
    static Fin<KrylovOptions> Kernels(KrylovOptions o, string? text) => text switch
    {
        null => FinSucc(o),
        _ => Flags.ParseChoice("NESS_BLAS", text, DenseBackend.Names).Bind(c => DenseBackend.WithKernels(o, c).Match(
            FinSucc,
            () => FinFail<KrylovOptions>(new BadInput("NESS_BLAS", "openblas requested but libopenblas.so.0 cannot be loaded (apt-get install libopenblas0-pthread)")))),
    };

    /// <summary>
    /// Runs <paramref name="run"/> with progress of the Krylov iteration on stderr: a Spectre.Console status
    /// line (iteration, residual, elapsed, estimate of time left) when stderr is a terminal, plain lines at every
    /// restart with NESS_KRYLOV_TRACE=1, nothing otherwise.
    /// </summary>
    public static Fin<T> WithProgress<T>(bool krylov, SolverOptions o, Func<string, string?> env, Func<SolverOptions, Fin<T>> run)
    {
        if (!krylov) return run(o);
        if (env("NESS_KRYLOV_TRACE") == "1")
            return run(o with { Progress = p => Console.Error.WriteLine("krylov: " + Line(p)) });
        if (Console.IsErrorRedirected) return run(o);
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        Fin<T> result = default;
        console.Status().Start("krylov: setting up", ctx =>
        {
            result = run(o with { Progress = p => ctx.Status(Markup.Escape("krylov: " + Line(p))) });
        });
        return result;
    }

    /// <summary>
    /// Runs the weak-coupling Pauli solver with its progress on stderr: a Spectre.Console status line (the sector just
    /// diagonalized or eliminated, its dimension, elapsed time) when stderr is a terminal; otherwise a plain line per
    /// stage for sectors of dimension 1,000 and more (L &gt;= 13, runs of minutes), nothing for small chains.
    /// </summary>
    public static Fin<T> WithPauliProgress<T>(SolverOptions o, Func<SolverOptions, Fin<T>> run)
    {
        if (Console.IsErrorRedirected)
            return run(o with { PauliProgress = p => { if (p.Dimension >= 1000) Console.Error.WriteLine("pauli: " + Line(p)); } });
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        Fin<T> result = default;
        console.Status().Start("pauli: diagonalizing", ctx =>
        {
            result = run(o with { PauliProgress = p => ctx.Status(Markup.Escape("pauli: " + Line(p))) });
        });
        return result;
    }

    static string Line(Ness.Pipeline.Fermion.WeakCoupling.PauliProgress p) => string.Create(CultureInfo.InvariantCulture,
        $"sector N = {p.Sector} of 0..{p.Sectors - 1} {p.Stage} (dimension {p.Dimension}), {p.Elapsed.TotalSeconds:F1} s, " +
        $"resident {Environment.WorkingSet / 1e9:F2} GB");

    static string Line(KrylovProgress p) => (p.Again ? "again with the double-precision smoother: " : "") + (p.Step > 0
        ? string.Create(CultureInfo.InvariantCulture,
            $"refinement step {p.Step}: correction iteration {p.Iterations} (restart {p.Restarts}), residual {p.RelativeResidual:E2} " +
            $"of the step's (target {p.Tolerance:E0}, or less when the profile and continuity targets are met), {p.Elapsed.TotalSeconds:F1} s")
        : string.Create(CultureInfo.InvariantCulture,
        $"iteration {p.Iterations} (restart {p.Restarts}), relative residual {p.RelativeResidual:E2} (target {p.Tolerance:E0}), " +
        $"{p.Elapsed.TotalSeconds:F1} s") + p.Remaining.Match(t => string.Create(CultureInfo.InvariantCulture, $", about {t.TotalSeconds:F0} s left"), () => ""));
}
