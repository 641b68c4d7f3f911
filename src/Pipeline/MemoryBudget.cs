using LanguageExt;
using static LanguageExt.Prelude;

namespace Ness.Pipeline;

/// <summary>
/// The memory a computation may plan to use, checked with its estimate before anything large is allocated:
/// a refusal (exit 3) that states the estimate, the cap and what to change, instead of a kill by the
/// out-of-memory killer. "Available" is what the garbage collector may use: the machine's memory, or the
/// limit of a container or of DOTNET_GCHeapHardLimit. The one place the budget is computed.
/// </summary>
public static class MemoryBudget
{
    /// <summary>Fraction of the available memory a computation may plan for: the estimates are not exact (the
    /// direct solver's fill varies with the disorder draw, 2.1–4.2 M entries at L = 7; the Krylov estimate is
    /// within a few % of the measured peak at L = 10), and the runtime, the JIT and the output need room too.</summary>
    public const double Fraction = 0.6;

    public static double Available => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    public static double Limit => Fraction * Available;

    /// <summary>The budget: <see cref="Limit"/> by default; an explicit one (NESS_KRYLOV_MEMORY_GB) replaces it, lower
    /// or higher, but never above <see cref="Available"/>: the 40 % margin is for estimates that are not exact, and a
    /// user who measured their run may spend it (L = 13's Krylov solve needs about 16.7 GB without coherence pairs, above
    /// the 15.2 GB default on a 24 GB machine).</summary>
    public static double Of(Option<double> explicitBytes) => explicitBytes.Match(c => Math.Min(c, Available), () => Limit);

    /// <summary>Unit if <paramref name="need"/> bytes fit; otherwise a refusal "WHAT would need about N GB,
    /// more than the cap (60 % of the M GB available = K GB); ADVICE".</summary>
    public static Fin<Unit> Check(string what, double need, string advice) =>
        need <= Limit
            ? unit
            : new NumericsRefused($"{what} would need about {GB(need)}, more than ness plans to use: " +
                                  $"{Fraction:P0} of the {GB(Available)} available to this process, i.e. {GB(Limit)}; {advice}");

    /// <summary>Returns the freed large blocks to the operating system before the next stage allocates its own: a
    /// blocking, compacting collection of every generation, the large-object heap included, in the collector's
    /// aggressive mode, which also decommits the free regions. A plain forced collection leaves them resident, so the
    /// resident set grows to the sum of the stages (weak-coupling L = 15: 5.62 GB peak with a forced collection,
    /// 5.28 GB aggressive, against the 5.23 GB estimate; L = 16: 17.9 GB forced against 14.0 GB).</summary>
    public static void Release()
    {
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    public static string GB(double bytes) =>
        bytes >= 1e9 ? FormattableString.Invariant($"{bytes / 1e9:F1} GB") : FormattableString.Invariant($"{bytes / 1e6:F0} MB");
}
