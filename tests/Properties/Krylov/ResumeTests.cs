using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LanguageExt;
using Ness.Pipeline;
using Ness.Pipeline.Fermion;
using Ness.Pipeline.Fermion.Krylov;
using Ness.Tests.Fermion;
using static LanguageExt.Prelude;

namespace Ness.Tests.Krylov;

/// <summary>A Krylov solve resumed from a kept iterate (<see cref="IIterateStore"/>, `ness fermion --checkpoint`) is
/// the same certified steady state as one run through.</summary>
public class ResumeTests
{
    /// <summary>Keeps a copy of the first iterate offered at a restart (or the converged one if the solve never
    /// restarted) and hands it back to the next solve.</summary>
    sealed class Keeper : IIterateStore
    {
        public Option<SavedIterate> Kept { get; private set; }
        public Option<SavedIterate> Load(int dimension) => Kept.Map(s => s with { X = (double[])s.X.Clone() });
        public void Offer(SavedIterate it, bool converged)
        {
            if (Kept.IsNone) Kept = it with { X = (double[])it.X.Clone() };
        }
    }

    static FermionSteadyState Solve(FermionParameters p, KrylovOptions o, IIterateStore store) =>
        Chains.Ok(FermionChain.SteadyState(p, FermionSolver.Krylov,
            SolverOptions.Default with { Krylov = o, Iterates = Some(store) }));

    /// <summary>A short cycle makes the solve restart several times; the run resumed from its first restart's iterate
    /// is certified, says it resumed after that many iterations, and has the same profile and bond currents within
    /// the two runs' error estimates.</summary>
    [Property(MaxTest = 15)]
    public Property A_solve_resumed_from_a_kept_iterate_gives_the_same_certified_state() =>
        Prop.ForAll(KrylovChains.Chain(3, 6).ToArbitrary(), p =>
        {
            var o = KrylovOptions.Default with { Restart = 4, MaxRestart = 4, Augment = 0 };
            var keeper = new Keeper();
            var first = Solve(p, o, keeper);
            var kept = keeper.Kept.Match(s => s, () => throw new InvalidOperationException("no iterate offered"));
            var resumed = Solve(p, o, keeper);
            double est = first.Certificate.Stat("profile_error_estimate") + resumed.Certificate.Stat("profile_error_estimate");
            double dp = first.Profile.Zip(resumed.Profile).Max(t => Math.Abs(t.Item1 - t.Item2));
            double j = first.Currents.Bonds.Select(Math.Abs).DefaultIfEmpty(0).Max();
            double dj = first.Currents.Bonds.Zip(resumed.Currents.Bonds).Select(t => Math.Abs(t.Item1 - t.Item2)).DefaultIfEmpty(0).Max();
            return (resumed.Certificate.Stat("resumed_after_iterations") == kept.Iterations
                    && double.IsNaN(first.Certificate.Stat("resumed_after_iterations"))
                    && dp <= est + 1e-13 && dj <= 2e-10 * j + 1e-15)
                .Label($"L={p.Length}: kept at iteration {kept.Iterations}, resumed_after_iterations " +
                       $"{resumed.Certificate.Stat("resumed_after_iterations")}; profile differs by {dp:E2} (estimates {est:E2}), " +
                       $"bond currents by {dj:E2} (|J| {j:E2})");
        });
}

/// <summary>`ness fermion --checkpoint FILE` through the command line.</summary>
[Collection("Console")]
public class CheckpointFileTests
{
    static string[] Args(string file, int seed = 3) =>
        ["fermion", "-L", "6", "--disorder", "10", "--seed", seed.ToString(), "--solver", "krylov", "--checkpoint", file];

    [Fact]
    public void A_rerun_resumes_from_the_converged_iterate_with_the_same_profile()
    {
        using var dir = new Scratch("ness-ckpt-");
        string file = Path.Combine(dir, "iterate.bin");
        var (c1, o1, _) = CliRun.Run(Args(file));
        Assert.Equal(0, c1);
        Assert.True(File.Exists(file) && !File.Exists(file + ".tmp"));
        var (c2, o2, e2) = CliRun.Run(Args(file));
        Assert.Equal(0, c2);
        Assert.Contains("resuming from", e2);
        var a = JsonNode.Parse(o1)!;
        var b = JsonNode.Parse(o2)!;
        Assert.Equal(a["profile"]!.ToJsonString(), b["profile"]!.ToJsonString());
        Assert.Null(a["diagnostics"]!["resumed_after_iterations"]);
        Assert.Equal(a["diagnostics"]!["iterations"]!.GetValue<double>(), b["diagnostics"]!["resumed_after_iterations"]!.GetValue<double>());
    }

    [Fact]
    public void A_checkpoint_of_another_problem_or_of_nothing_is_bad_input()
    {
        using var dir = new Scratch("ness-ckpt-");
        string file = Path.Combine(dir, "iterate.bin");
        Assert.Equal(0, CliRun.Run(Args(file, seed: 3)).Code);
        var (c, o, e) = CliRun.Run(Args(file, seed: 4));
        Assert.Equal(2, c);
        Assert.Equal("", o);
        Assert.Contains("--checkpoint", e);
        Assert.Contains("another problem", e);

        string junk = Path.Combine(dir, "junk.bin");
        File.WriteAllText(junk, "not a checkpoint");
        var (cj, oj, ej) = CliRun.Run(Args(junk));
        Assert.Equal(2, cj);
        Assert.Equal("", oj);
        Assert.Contains("is not a checkpoint", ej);
    }

    [Fact]
    public void A_checkpoint_with_another_solver_or_in_a_missing_directory_is_refused_before_solving()
    {
        using var dir = new Scratch("ness-ckpt-");
        var (c, o, e) = CliRun.Run("fermion", "-L", "4", "--disorder", "1", "--seed", "1", "--solver", "direct",
            "--checkpoint", Path.Combine(dir, "a.bin"));
        Assert.Equal(2, c);
        Assert.Equal("", o);
        Assert.Contains("only the krylov solver", e);
        var (cm, om, em) = CliRun.Run(Args(Path.Combine(dir, "missing", "a.bin")));
        Assert.Equal(4, cm);
        Assert.Equal("", om);
        Assert.Contains("does not exist", em);
    }
}
