using Ness.Cli.Commands;

namespace Ness.Tests.Cli;

/// <summary>`ness bench` reads a child's peak memory from /proc/PID/status: the kernel pads VmHWM's number to 8
/// columns, so a peak of 10,000,000 kB or more follows the tab with no space (this crashed the L = 16 benchmark).</summary>
public sealed class BenchPeakTests
{
    [Theory]
    [InlineData("VmHWM:\t  123456 kB", 123456)]
    [InlineData("VmHWM:\t16059312 kB", 16059312)]
    [InlineData("VmHWM:\t     512 kB", 512)]
    public void Peak_is_read_whatever_the_padding(string line, double kB) =>
        Assert.Equal(1024 * kB, BenchCommand.VmHwmBytes(line));

    [Fact]
    public void Peak_of_this_process_is_positive()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:"));
        Assert.True(BenchCommand.VmHwmBytes(line) > 1e6);
    }
}
