using System.Runtime.InteropServices;

namespace Ness.Cli;

/// <summary>
/// SIGINT/SIGTERM for the long runs (ensemble, reproduce): the first signal cancels <see cref="Token"/> (the run
/// finishes the realizations in flight, starts no new ones and reports where they are, exit 130/143). A repeat
/// within <see cref="RepeatWindow"/> of the first is the same interrupt: <c>timeout -s INT</c> signals the child
/// and then its whole process group, so ness receives one interrupt twice. A later one aborts at once (the
/// default action, exit 130/143) after printing where the finished work is and that a rerun resumes.
/// </summary>
public sealed class Interruption : IDisposable
{
    public static readonly TimeSpan RepeatWindow = TimeSpan.FromSeconds(1);

    readonly CancellationTokenSource cts = new();
    readonly PosixSignalRegistration sigint, sigterm;
    readonly TextWriter log;
    readonly Func<string> onAbort;
    long first = -1;   // Environment.TickCount64 of the first signal

    /// <summary>The run's cancellation: set by the first signal.</summary>
    public CancellationToken Token => cts.Token;

    /// <summary>The exit code of the interrupt: 130 for SIGINT, 143 for SIGTERM.</summary>
    public int Code { get; private set; } = Exit.Interrupted;

    /// <param name="log">where the messages go (stderr)</param>
    /// <param name="onAbort">the line printed before aborting at once on a later signal: where the finished work is
    /// and that rerunning the same command resumes</param>
    public Interruption(TextWriter log, Func<string> onAbort)
    {
        this.log = log;
        this.onAbort = onAbort;
        sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, ctx => Handle(ctx, Exit.Interrupted));
        sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx => Handle(ctx, Exit.Terminated));
    }

    /// <summary>Whether a signal <paramref name="sinceFirst"/> after the first is a repeat of it.</summary>
    public static bool IsRepeat(TimeSpan sinceFirst) => sinceFirst < RepeatWindow;

    void Handle(PosixSignalContext ctx, int code)
    {
        long now = Environment.TickCount64;
        long was = Interlocked.CompareExchange(ref first, now, -1);
        if (was == -1)
        {
            ctx.Cancel = true;
            Code = code;
            log.WriteLine($"ness: {ctx.Signal}: finishing the realizations in flight, starting no new ones " +
                          $"(signal again after {RepeatWindow.TotalSeconds:0} s to abort at once)");
            cts.Cancel();
            return;
        }
        if (IsRepeat(TimeSpan.FromMilliseconds(now - was)))
        {
            ctx.Cancel = true;   // the same interrupt, delivered twice
            return;
        }
        log.WriteLine(onAbort());   // then the default action: terminate now, exit 128 + signal
        log.Flush();
    }

    public void Dispose()
    {
        sigint.Dispose();
        sigterm.Dispose();
        cts.Dispose();
    }
}
