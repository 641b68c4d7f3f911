using System.Collections.Immutable;
using System.CommandLine;
using LanguageExt;
using Ness.Pipeline;
using Ness.Pipeline.Lattice;
using static LanguageExt.Prelude;

namespace Ness.Cli.Commands;

/// <summary>The flags of the harmonic model on a box (docs/lattice.md), added to <c>ness harmonic</c> and
/// <c>ness ensemble harmonic</c>: --shape selects the box (instead of --length), --baths a bath file (instead of the
/// faces at --temperatures), --blas-threads the BLAS threads of the dense solve.</summary>
public sealed class LatticeOptions
{
    public readonly Flag<string> Shape =
        Flags.Text("--shape", "A box NX[xNY[xNZ]] in Z^d (d = 1, 2, 3; e.g. 16x16x16) instead of --length: sites ordered x fastest, " +
                              "baths on the faces x = 1 (T1) and x = NX (T2) unless --baths. Dense methods (docs/lattice.md).");
    public readonly Flag<string> BathFile =
        Flags.Text("--baths", "With --shape: a file with one bath site per line, its 1-based coordinates and temperature, " +
                              "comma-separated (d = 2: 'x,y,T'); '#' starts a comment line. Replaces the faces and --temperatures.");
    public readonly Flag<int> Threads =
        Flags.Int("--blas-threads", "With --shape: BLAS threads of the dense eigen/Schur solve; the machine may be shared.", 1, 64)
            .Default(1);

    /// <summary>Adds --shape and --baths, and --blas-threads unless the command runs realizations side by side (ensembles: one BLAS thread each).</summary>
    public void AddTo(Command c, bool threads = true)
    {
        c.Options.Add(Shape);
        c.Options.Add(BathFile);
        if (threads) c.Options.Add(Threads);
    }

    /// <summary>The lattice parameters of a `ness harmonic --shape` command line (pinning explicit or realization
    /// <paramref name="realization"/> of the seed).</summary>
    public Fin<LatticeParameters> Parameters(ParseResult r, HarmonicOptions m, LanguageExt.Option<double[]> pinning, LanguageExt.Option<long> seed, long realization = 0)
    {
        if (r.Given(m.Length).IsSome)
            return new BadInput("--length", "give either --length L (the chain) or --shape NX[xNY[xNZ]] (a box), not both");
        if (r.Given(BathFile).IsSome && r.Given(m.Temperatures).IsSome)
            return new BadInput("--temperatures", "--baths FILE sets every bath's temperature; --temperatures goes with the default faces");
        return
            from box in LatticeParameters.ParseShape(r.Value(Shape))
            from baths in r.Given(BathFile).Match(f => ReadBaths(f, box).Map(Some), () => FinSucc(LanguageExt.Option<ImmutableArray<Bath>>.None))
            from p in LatticeParameters.Create(box, r.Value(m.Coupling), r.Given(m.BathCoupling), r.Value(m.WeakCoupling),
                r.Value(m.Temperatures), baths, pinning, r.Given(m.PinningRange), seed, realization)
            select p;
    }

    /// <summary>Reads and parses a bath file: a missing file is bad input (exit 2), another read failure I/O (exit 4).</summary>
    public static Fin<ImmutableArray<Bath>> ReadBaths(string file, Ness.Operators.Harmonic.Box box)
    {
        if (!File.Exists(file)) return new BadInput("--baths", $"{file}: no such file");
        string[] lines;
        try { lines = File.ReadAllLines(file); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new IoFailure($"--baths: cannot read {file}: {e.Message}");
        }
        return Baths.Parse(file, lines, box);
    }
}
