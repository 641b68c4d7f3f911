using System.Runtime.InteropServices;
using Ness.Numerics.Dense;

namespace Ness.Pipeline.Fermion.Krylov;

/// <summary>
/// The numbers <see cref="SylvesterSmoother{T}"/> and <see cref="CoarseTransfer{T}"/> hold: <see cref="Real32"/> (float, the
/// mixed-precision default) or <see cref="Real64"/> (double). They are this assembly's own types, not float and double
/// themselves, because crossgen2 precompiles a generic instantiation only when its type arguments belong to the assembly's
/// version bubble: over CoreLib's float or double the two kernels were left to the JIT, ~40 ms of a 0.3 s solve at L = 8
/// (docs/benchmarks.md). The arithmetic is float's or double's own, so the results are bit for bit those of float and
/// double.
/// </summary>
public interface IReal<T> where T : unmanaged, IReal<T>
{
    static abstract T From(double x);
    static abstract double ToDouble(T x);
    static abstract T operator +(T a, T b);
    static abstract T operator -(T a, T b);
    static abstract T operator *(T a, T b);

    /// <summary>C = A B for d × d row-major blocks (<see cref="DenseKernels"/>).</summary>
    static abstract void Gemm(DenseKernels kernels, int d, ReadOnlySpan<T> A, ReadOnlySpan<T> B, Span<T> C);

    /// <summary>"single" or "double".</summary>
    static abstract string Precision { get; }
}

/// <summary>A float, as the kernels' number (<see cref="IReal{T}"/>).</summary>
public readonly struct Real32(float value) : IReal<Real32>
{
    readonly float v = value;
    public static Real32 From(double x) => new((float)x);
    public static double ToDouble(Real32 x) => x.v;
    public static Real32 operator +(Real32 a, Real32 b) => new(a.v + b.v);
    public static Real32 operator -(Real32 a, Real32 b) => new(a.v - b.v);
    public static Real32 operator *(Real32 a, Real32 b) => new(a.v * b.v);
    public static void Gemm(DenseKernels kernels, int d, ReadOnlySpan<Real32> A, ReadOnlySpan<Real32> B, Span<Real32> C) =>
        kernels.Gemm(d, d, d, 1f, MemoryMarshal.Cast<Real32, float>(A), MemoryMarshal.Cast<Real32, float>(B), 0f,
            MemoryMarshal.Cast<Real32, float>(C));
    public static string Precision => "single";
}

/// <summary>A double, as the kernels' number (<see cref="IReal{T}"/>).</summary>
public readonly struct Real64(double value) : IReal<Real64>
{
    readonly double v = value;
    public static Real64 From(double x) => new(x);
    public static double ToDouble(Real64 x) => x.v;
    public static Real64 operator +(Real64 a, Real64 b) => new(a.v + b.v);
    public static Real64 operator -(Real64 a, Real64 b) => new(a.v - b.v);
    public static Real64 operator *(Real64 a, Real64 b) => new(a.v * b.v);
    public static void Gemm(DenseKernels kernels, int d, ReadOnlySpan<Real64> A, ReadOnlySpan<Real64> B, Span<Real64> C) =>
        kernels.Gemm(d, d, d, 1.0, MemoryMarshal.Cast<Real64, double>(A), MemoryMarshal.Cast<Real64, double>(B), 0.0,
            MemoryMarshal.Cast<Real64, double>(C));
    public static string Precision => "double";
}
