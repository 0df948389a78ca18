using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Engine.Scheduling;
using AbstractEndpoint.Engine.Tests.Fakes;
using AbstractEndpoint.Engine.Tests.Support;

namespace AbstractEndpoint.Engine.Tests.Scheduling;

/// <summary>Queue limits and shutdown.</summary>
public sealed class AdmissionTests : IDisposable
{
    private readonly LoopHarness _harness = new(contextSize: 1 << 20, sequenceCount: 1, options: new SchedulerOptions { MaxQueue = 1 });

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task Job_beyond_the_queue_limit_is_refused_with_server_busy()
    {
        JobOutcome running, waiting;
        using (var hold = _harness.Runtime.HoldNextDecode())
        {
            var runningJob = _harness.Submit(FakeVocabulary.BytesOf("running"), 3);
            await hold.Entered.WaitAsync(JobEventReader.Timeout);
            var waitingJob = _harness.Submit(FakeVocabulary.BytesOf("waiting"), 3);

            var refused = Assert.Throws<ServerBusyException>(() => _harness.Submit(FakeVocabulary.BytesOf("refused"), 3));

            Assert.Equal(1, refused.RetryAfterSeconds);
            Assert.Equal("server_busy", refused.Code);
            Assert.Equal(2, _harness.Loop.Pending);
            hold.Release();
            (running, waiting) = (await runningJob.CollectAsync(), await waitingJob.CollectAsync());
        }

        Assert.NotNull(running.Finished);
        Assert.NotNull(waiting.Finished);
        await _harness.WaitIdleAsync();
        Assert.NotNull((await _harness.RunAsync(FakeVocabulary.BytesOf("later"), 2)).Finished); // the counters recovered
    }

    [Fact]
    public void Loop_that_stopped_accepting_refuses_new_jobs()
    {
        _harness.Loop.StopAccepting();

        var refused = Assert.Throws<ServerBusyException>(() => _harness.Submit(FakeVocabulary.BytesOf("late"), 3));

        Assert.Equal("shutting_down", refused.Code);
    }

    [Fact]
    public async Task Disposing_the_loop_fails_running_and_waiting_jobs_as_shutting_down()
    {
        var (running, hold) = await _harness.SubmitAndHoldAfterFirstTokenAsync(() => _harness.Submit(FakeVocabulary.BytesOf("long"), 1 << 19));
        var waiting = _harness.Submit(FakeVocabulary.BytesOf("waiting"), 3);

        using (hold)
        {
            var disposing = Task.Run(_harness.Loop.Dispose); // waits for the step in flight
            await Task.Delay(50);
            hold.Release();
            await disposing.WaitAsync(JobEventReader.Timeout);
        }

        foreach (var outcome in new[] { await running.CollectAsync(), await waiting.CollectAsync() })
        {
            var error = Assert.IsType<ServerBusyException>(outcome.Failed?.Error);
            Assert.Equal("shutting_down", error.Code);
        }
    }
}
