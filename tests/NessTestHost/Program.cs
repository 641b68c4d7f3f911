// ness for process tests: NESS_TEST_ONLY_REALIZATION_DELAY_MS=ms delays every realization of an ensemble or
// `reproduce` (Ness.Cli.Seams.RealizationDelay), so that a test can interrupt a run or hold its lock; then the
// command line runs exactly as in ness.
if (int.TryParse(Environment.GetEnvironmentVariable(Ness.Tests.Host.DelayVariable), out var ms) && ms > 0)
    Ness.Cli.Seams.RealizationDelay = TimeSpan.FromMilliseconds(ms);
return Ness.Cli.Program.Main(args);

namespace Ness.Tests
{
    /// <summary>The test host's one setting.</summary>
    public static class Host
    {
        public const string DelayVariable = "NESS_TEST_ONLY_REALIZATION_DELAY_MS";
    }
}
