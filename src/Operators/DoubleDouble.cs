using System.Runtime.CompilerServices;

namespace Ness.Operators;

/// <summary>
/// A double-double number: the unevaluated sum <see cref="Hi"/> + <see cref="Lo"/> of two doubles with
/// |Lo| ≤ ulp(Hi)/2 (normalized), about 106 bits of significand, unit roundoff u² ≈ 1.2e-32 (Dekker 1971; the
/// algorithms are those of Joldes, Muller and Popescu, ACM TOMS 44 (2017), "Tight and rigorous error bounds for basic
/// building blocks of double-word arithmetic", numbered as there). The error-free transformations
/// <see cref="TwoSum"/> and <see cref="TwoProd"/> (on <see cref="Math.FusedMultiplyAdd"/>) are exact: a + b and a b are
/// exactly the sums they return. Used for the residual of mixed-precision iterative refinement (docs/numerics.md).
/// </summary>
public readonly record struct DoubleDouble(double Hi, double Lo)
{
    public static readonly DoubleDouble Zero = new(0, 0);

    public static implicit operator DoubleDouble(double a) => new(a, 0);

    /// <summary>The nearest double to Hi + Lo.</summary>
    public double ToDouble() => Hi + Lo;

    /// <summary>Knuth's TwoSum: s = fl(a + b) and e with a + b = s + e exactly (6 operations, any a, b).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleDouble TwoSum(double a, double b)
    {
        double s = a + b;
        double bb = s - a;
        double e = (a - (s - bb)) + (b - bb);
        return new DoubleDouble(s, e);
    }

    /// <summary>Dekker's FastTwoSum: exact when the exponent of a is at least that of b (e.g. |a| ≥ |b|).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleDouble FastTwoSum(double a, double b)
    {
        double s = a + b;
        return new DoubleDouble(s, b - (s - a));
    }

    /// <summary>TwoProd: p = fl(a b) and e = fma(a, b, −p) with a b = p + e exactly (no underflow assumed).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleDouble TwoProd(double a, double b)
    {
        double p = a * b;
        return new DoubleDouble(p, Math.FusedMultiplyAdd(a, b, -p));
    }

    /// <summary>AccurateDWPlusDW (Algorithm 6): relative error below 3u² + 13u³.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleDouble operator +(DoubleDouble x, DoubleDouble y)
    {
        var s = TwoSum(x.Hi, y.Hi);
        var t = TwoSum(x.Lo, y.Lo);
        double c = s.Lo + t.Hi;
        var v = FastTwoSum(s.Hi, c);
        double w = t.Lo + v.Lo;
        return FastTwoSum(v.Hi, w);
    }

    /// <summary>DWPlusFP (Algorithm 4): relative error below 2u².</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleDouble operator +(DoubleDouble x, double y)
    {
        var s = TwoSum(x.Hi, y);
        double v = x.Lo + s.Lo;
        return FastTwoSum(s.Hi, v);
    }

    public static DoubleDouble operator -(DoubleDouble x) => new(-x.Hi, -x.Lo);
    public static DoubleDouble operator -(DoubleDouble x, DoubleDouble y) => x + (-y);

    /// <summary>DWTimesFP3 (Algorithm 9): relative error below 2u².</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleDouble operator *(DoubleDouble x, double y)
    {
        var c = TwoProd(x.Hi, y);
        double cl3 = Math.FusedMultiplyAdd(x.Lo, y, c.Lo);
        return FastTwoSum(c.Hi, cl3);
    }

    /// <summary>DWTimesDW3 (Algorithm 12): relative error below 4u².</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleDouble operator *(DoubleDouble x, DoubleDouble y)
    {
        var c = TwoProd(x.Hi, y.Hi);
        double tl0 = x.Lo * y.Lo;
        double tl1 = Math.FusedMultiplyAdd(x.Hi, y.Lo, tl0);
        double cl2 = Math.FusedMultiplyAdd(x.Lo, y.Hi, tl1);
        double cl3 = c.Lo + cl2;
        return FastTwoSum(c.Hi, cl3);
    }

    public override string ToString() => $"{Hi:R} + {Lo:R}";
}

/// <summary>A complex number with double-double real and imaginary parts.</summary>
public readonly record struct ComplexDoubleDouble(DoubleDouble Re, DoubleDouble Im)
{
    public static ComplexDoubleDouble operator +(ComplexDoubleDouble x, ComplexDoubleDouble y) => new(x.Re + y.Re, x.Im + y.Im);
    public static ComplexDoubleDouble operator -(ComplexDoubleDouble x, ComplexDoubleDouble y) => new(x.Re - y.Re, x.Im - y.Im);

    /// <summary>x a for a real double a.</summary>
    public static ComplexDoubleDouble operator *(ComplexDoubleDouble x, double a) => new(x.Re * a, x.Im * a);

    public static ComplexDoubleDouble operator *(ComplexDoubleDouble x, ComplexDoubleDouble y) =>
        new(x.Re * y.Re - x.Im * y.Im, x.Re * y.Im + x.Im * y.Re);

    public ComplexDoubleDouble Conjugate() => new(Re, -Im);

    /// <summary>The nearest complex double.</summary>
    public System.Numerics.Complex ToComplex() => new(Re.ToDouble(), Im.ToDouble());
}
