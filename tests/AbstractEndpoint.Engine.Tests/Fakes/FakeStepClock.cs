namespace AbstractEndpoint.Engine.Tests.Fakes;

/// <summary>A clock that moves only when told to: the fake runtime advances it by what each decode "costs".</summary>
public sealed class FakeStepClock : TimeProvider
{
    private long _microseconds;

    public override long TimestampFrequency => 1_000_000;

    public override long GetTimestamp() => Interlocked.Read(ref _microseconds);

    public void Advance(double milliseconds) => Interlocked.Add(ref _microseconds, (long)Math.Round(milliseconds * 1000));
}
