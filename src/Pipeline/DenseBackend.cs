using LanguageExt;
using Ness.Numerics.Dense;
using Ness.Pipeline.Fermion.Krylov;
using static LanguageExt.Prelude;

namespace Ness.Pipeline;

/// <summary>The dense kernels by name, for the edge of the program: <see cref="Managed"/> (SIMD, always there) or
/// <see cref="OpenBlas"/> (the system OpenBLAS, when it loads). The kernels live in Ness.Numerics.Dense; the command
/// line chooses them through here.</summary>
public static class DenseBackend
{
    public const string Managed = "managed", OpenBlas = "openblas";

    /// <summary>The names, in the order the command line lists them.</summary>
    public static readonly string[] Names = [Managed, OpenBlas];

    /// <summary>The kernels used when none is chosen: OpenBLAS when it loads, the managed kernels otherwise.</summary>
    public static string Default => DenseKernels.Best.Name;

    /// <summary>The named kernels, or None when they cannot be loaded (OpenBLAS missing) or the name is unknown.</summary>
    static Option<DenseKernels> Named(string name) => name switch
    {
        Managed => Some(DenseKernels.Managed),
        OpenBlas => Optional(DenseKernels.OpenBlas),
        _ => None,
    };

    /// <summary>The Krylov options with the named kernels, or None when they cannot be loaded.</summary>
    public static Option<KrylovOptions> WithKernels(KrylovOptions o, string name) =>
        Named(name).Map(k => o with { Kernels = k });

    /// <summary>C = A B (d × d, row-major) with the named kernels, or None when they cannot be loaded (`ness bench kernels`).</summary>
    public static Option<Action> Gemm(string name, int d, double[] a, double[] b, double[] c) =>
        Named(name).Map(k => (Action)(() => k.Gemm(d, d, d, 1, a, b, 0, c)));
}
