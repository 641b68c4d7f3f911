namespace Ness.Cli;

/// <summary>Seams for the tests that run ness as a separate process (tests/NessTestHost, which sets them before calling
/// <see cref="Program.Main"/>); ness itself never sets them, and reads nothing for them from the environment.</summary>
public static class Seams
{
    /// <summary>Waited before every realization an ensemble or <c>reproduce</c> computes (cancellable in ensembles), so
    /// that a process test can interrupt a run or hold its lock; zero in ness.</summary>
    public static TimeSpan RealizationDelay { get; set; } = TimeSpan.Zero;
}
