using System.Text.Json.Nodes;
using Ness.Cli;
using Ness.Cli.Ensemble;
using Ness.Pipeline;
using Ness.Pipeline.Fermion;
using Ness.Pipeline.Fermion.Krylov;

namespace Ness.Tests.Ensemble;

/// <summary>A long realization of a Krylov ensemble keeps its solver's progress beside the output (FILE.rR.iterate,
/// <see cref="Ness.Pipeline.Ensemble.EnsembleModel.RealizeResuming"/>), so that a run killed in flight resumes it; the
/// file is gone once the realization's line is written.</summary>
[Collection("Console")]
public class KeptProgressTests
{
    static readonly string[] Chain = ["--length", "6", "--disorder", "10", "--seed", "3", "--solver", "krylov"];

    /// <summary>Realization 0 finds the iterate that `ness fermion --seed 3 --checkpoint` kept of the same draw (as a killed
    /// run would have left it) and resumes from it, to the same profile; realization 1 finds a file of another draw,
    /// which it replaces and does not resume from; neither file is left.</summary>
    [Fact]
    public void A_realization_resumes_from_the_progress_a_killed_run_kept_and_leaves_no_file()
    {
        using var dir = new Scratch("ness-kept-");
        string output = Path.Combine(dir, "e.jsonl");
        string kept0 = RealizationRunner.KeptAt(output, 0), kept1 = RealizationRunner.KeptAt(output, 1);
        var (c, single, _) = CliRun.Run(["fermion", "-L", "6", "--disorder", "10", "--seed", "3", "--solver", "krylov", "--checkpoint", kept0]);
        Assert.Equal(0, c);
        File.Copy(kept0, kept1);                                   // realization 1 is another draw: not its iterate

        var (code, _, err) = CliRun.Run(["ensemble", "fermion", .. Chain, "--realizations", "2", "--threads", "1", "--out", output]);
        Assert.True(code == 0, err);
        var lines = File.ReadAllLines(output).Select(l => JsonNode.Parse(l)!).ToDictionary(l => l["realization"]!.GetValue<long>());
        var fresh = JsonNode.Parse(single)!;
        Assert.Equal(fresh["diagnostics"]!["iterations"]!.GetValue<double>(), lines[0]["diagnostics"]!["resumed_after_iterations"]!.GetValue<double>());
        Assert.Equal(fresh["profile"]!.ToJsonString(), lines[0]["profile"]!.ToJsonString());
        Assert.Null(lines[1]["diagnostics"]!["resumed_after_iterations"]);
        Assert.Empty(Directory.GetFiles(dir, "*.iterate*"));
    }

    /// <summary>An ensemble's store writes nothing for a solve shorter than its interval (thousands of short realizations
    /// write no file); a solve that ran longer keeps its restarts' iterates and then the converged one.</summary>
    [Fact]
    public void An_ensembles_store_keeps_the_converged_iterate_only_after_a_long_solve()
    {
        using var dir = new Scratch("ness-kept-");
        var p = FermionParameters.Create(4, 1, 1, [1, 0.5, 0.5, 1], [0.3, -0.2, 0.1, 0.4]).Match(x => x, e => throw new Xunit.Sdk.XunitException(e.Message));
        var x = new double[] { 1, 2, 3 };

        string shortSolve = Path.Combine(dir, "short.iterate");
        var quick = IterateFile.Open(shortSolve, p, TextWriter.Null, TimeSpan.FromHours(1), keepsEveryConverged: false).Match(f => f, e => throw new Xunit.Sdk.XunitException(e.Message));
        quick.Offer(new SavedIterate(10, 1e-3, x), converged: false);
        quick.Offer(new SavedIterate(20, 1e-18, x), converged: true);
        Assert.False(File.Exists(shortSolve));

        string longSolve = Path.Combine(dir, "long.iterate");
        var slow = IterateFile.Open(longSolve, p, TextWriter.Null, TimeSpan.Zero, keepsEveryConverged: false).Match(f => f, e => throw new Xunit.Sdk.XunitException(e.Message));
        slow.Offer(new SavedIterate(10, 1e-3, x), converged: false);
        Assert.True(File.Exists(longSolve));
        slow.Offer(new SavedIterate(20, 1e-18, x), converged: true);
        var reopened = IterateFile.Open(longSolve, p, TextWriter.Null).Match(f => f, e => throw new Xunit.Sdk.XunitException(e.Message));
        Assert.Equal(20, reopened.Load(3).Match(s => s.Iterations, () => -1));

        string single = Path.Combine(dir, "single.iterate");   // `ness fermion --checkpoint` keeps every converged iterate
        IterateFile.Open(single, p, TextWriter.Null, TimeSpan.FromHours(1)).Match(f => f, e => throw new Xunit.Sdk.XunitException(e.Message))
            .Offer(new SavedIterate(20, 1e-18, x), converged: true);
        Assert.True(File.Exists(single));
    }
}
