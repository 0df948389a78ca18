using System.Diagnostics;
using AbstractEndpoint.Core.Backends;

namespace AbstractEndpoint.Engine.Scheduling;

/// <summary>
/// Running totals of where the loop's time goes (<see cref="StepTimings"/>): written by the loop thread only, read by
/// status requests at any time (each total is one 64-bit word, so a reader sees every total whole, if a step apart).
/// </summary>
internal sealed class LoopTimer
{
    private long _steps;
    private long _decodedTokens;
    private long _promptTokens;
    private long _decodeTicks;
    private long _sampleTicks;
    private long _busyTicks;

    /// <summary>A decode step of <paramref name="tokens"/> rows (<paramref name="promptTokens"/> of them prompt) that took <paramref name="ticks"/>.</summary>
    public void Decoded(int tokens, int promptTokens, long ticks)
    {
        Volatile.Write(ref _steps, _steps + 1);
        Volatile.Write(ref _decodedTokens, _decodedTokens + tokens);
        Volatile.Write(ref _promptTokens, _promptTokens + promptTokens);
        Volatile.Write(ref _decodeTicks, _decodeTicks + ticks);
    }

    /// <summary>Sampling and text work after a decode.</summary>
    public void Sampled(long ticks) => Volatile.Write(ref _sampleTicks, _sampleTicks + ticks);

    /// <summary>A loop turn that had work, everything in it.</summary>
    public void Busy(long ticks) => Volatile.Write(ref _busyTicks, _busyTicks + ticks);

    public StepTimings Snapshot() => new(
        Volatile.Read(ref _steps),
        Volatile.Read(ref _decodedTokens),
        Volatile.Read(ref _promptTokens),
        Milliseconds(Volatile.Read(ref _decodeTicks)),
        Milliseconds(Volatile.Read(ref _sampleTicks)),
        Milliseconds(Volatile.Read(ref _busyTicks)));

    private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
