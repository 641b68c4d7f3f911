using Ness.Pipeline.Harmonic;

namespace Ness.Tests.Harmonic;

/// <summary>Figure 3's step width and midpoint, including the documented edge cases.</summary>
public class StepShapeTests
{
    static StepShape Of(double t1, double tL, params double[] t) => StepShape.Of([.. t], t1, tL);

    [Fact]
    public void Paper_definition_on_a_rising_profile()
    {
        // x- = 3 (first T > 1.3), x+ = 4 (last T < 1.7): w = 2, m = 3.5
        Assert.Equal(new StepShape(2, 3.5), Of(1, 2, 1.0, 1.1, 1.5, 1.6, 1.9, 2.0));
    }

    [Fact]
    public void Sharp_step_has_zero_width()
    {
        Assert.Equal(new StepShape(0, 2.5), Of(1, 2, 1.0, 1.0, 2.0, 2.0));
    }

    [Fact]
    public void Falling_profile_is_the_mirror_image()
    {
        var rising = Of(1, 2, 1.0, 1.1, 1.5, 1.6, 1.9, 2.0);
        var falling = Of(2, 1, 2.0, 1.9, 1.6, 1.5, 1.1, 1.0);
        Assert.Equal(rising.Width, falling.Width);
        Assert.Equal(6 + 1 - rising.Midpoint, falling.Midpoint);
    }

    [Fact]
    public void Equal_temperatures_or_no_crossing_give_null()
    {
        Assert.Equal(StepShape.None, Of(1.5, 1.5, 1.5, 1.5, 1.5));
        Assert.Equal(StepShape.None, Of(1, 2, 1.0, 1.1, 1.2));   // never above T1 + 0.3 (TL - T1)
        Assert.Equal(StepShape.None, Of(1, 2, 1.8, 1.9, 2.0));   // never below TL - 0.3 (TL - T1)
    }
}
