using Ness.Pipeline.Fermion;
using Ness.Pipeline.Fermion.Krylov;

namespace Ness.Tests.Cli;

/// <summary>Issue 23, item 7: the length limit that depends on memory is stated as such in --help, and a refusal
/// for memory names the largest L that fits (the one the same estimate accepts).</summary>
public class LargestLengthTests
{
    [Fact]
    public void Refusal_names_the_largest_length_the_estimate_accepts()
    {
        using var scratch = NessProcess.TempDir();
        var r = NessProcess.RunIn(scratch, new Dictionary<string, string> { ["NESS_KRYLOV_MEMORY_GB"] = "2" },
            "fermion", "-L", "12", "--solver", "krylov", "--disorder", "1", "--seed", "1");
        Assert.True(r.Code == 3, $"exit {r.Code}: {r.Stderr}");
        Assert.Empty(r.Stdout);
        var o = KrylovOptions.Default;
        int fit = KrylovSolver.LargestLength(o, 2e9);
        Assert.Contains($"the largest L that fits is {fit} (--length {fit})", r.Stderr);
        Assert.True(KrylovSolver.MemoryEstimate(fit, o.Restart, o, 1L << fit) <= 2e9);
        Assert.True(KrylovSolver.MemoryEstimate(fit + 1, o.Restart, o, 1L << (fit + 1)) > 2e9);
    }

    [Fact]
    public void Direct_refusal_names_the_largest_length_that_fits()
    {
        using var scratch = NessProcess.TempDir();
        var r = NessProcess.RunIn(scratch, new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = $"0x{256L << 20:X}" },
            "fermion", "-L", "8", "--solver", "direct", "--disorder", "1", "--seed", "1");
        Assert.Equal(3, r.Code);
        int fit = SteadyState.DirectLargestLength(0.6 * (256L << 20));
        Assert.InRange(fit, 1, 7);
        Assert.Contains($"the largest L that fits is {fit}", r.Stderr);
    }

    [Fact]
    public void Help_states_that_the_length_range_depends_on_memory()
    {
        var r = NessProcess.Run("fermion", "--help");
        Assert.Equal(0, r.Code);
        Assert.Contains("as far as memory allows", r.Stdout);
        Assert.Contains("the largest that fits", r.Stdout);
    }
}

/// <summary>The plan's memory for krylov is what the solver will use: with a budget (NESS_KRYLOV_MEMORY_GB) the coherence
/// pairs are cut to fit it, so an ensemble plans its realizations at once by that (a 7 GB budget at L = 12: two at
/// once within 15 GB), not by the estimate with every pair.</summary>
public class PlanMemoryTests
{
    [Theory]
    [InlineData(12, 7.0)]
    [InlineData(11, 1.5)]
    [InlineData(12, 40.0)]
    public void The_krylov_plan_counts_the_pairs_its_budget_allows(int L, double gb)
    {
        var o = KrylovOptions.Default with { MemoryLimitBytes = LanguageExt.Prelude.Some(gb * 1e9) };
        var plan = Ness.Pipeline.SolverPlan.Fermion(L, 1, FermionSolver.Krylov, Ness.Pipeline.SolverOptions.Default with { Krylov = o })
            .IfFail(e => throw new Xunit.Sdk.XunitException(e.Message));
        double all = KrylovSolver.MemoryEstimate(L, o.Restart, o);
        double budget = Ness.Pipeline.MemoryBudget.Of(o.MemoryLimitBytes);      // never above the memory available here
        double none = KrylovSolver.MemoryEstimate(L, o.Restart, o, 1L << L);
        if (all <= budget) Assert.Equal(all, plan.MemoryEstimate);
        else if (none > budget) Assert.Equal(none, plan.MemoryEstimate);       // the solver refuses with this estimate
        else
        {
            Assert.True(plan.MemoryEstimate <= budget, $"plan {plan.MemoryEstimate / 1e9:F2} GB above the budget {budget / 1e9:F2} GB");
            Assert.True(plan.MemoryEstimate < all, "the plan should count fewer pairs than all");
        }
    }
}
