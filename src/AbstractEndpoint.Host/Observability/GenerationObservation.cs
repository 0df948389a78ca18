using System.Diagnostics;
using AbstractEndpoint.Core.Generation;

namespace AbstractEndpoint.Host.Observability;

/// <summary>
/// One generation's figures, from admission to the end of its stream, for <see cref="EndpointMetrics"/> and the
/// request's <see cref="RequestRecord"/> (to which each of a request's generations adds: one per completion prompt).
/// </summary>
internal sealed class GenerationObservation(EndpointMetrics metrics, RequestRecord? record, long admitted)
{
    // The start-up warm-up's generations are the server's own: the request log may show them at debug, the metrics not.
    private readonly bool _measured = record is not { WarmUp: true };

    private long _firstOutput;
    private long _lastOutput;
    private int _promptTokens;
    private int _cachedTokens;
    private int _generated;
    private int _choicesFinished;
    private FinishReason? _reason;

    public void See(ChatUpdate update)
    {
        switch (update)
        {
            case ChatAccepted accepted:
                _promptTokens = accepted.PromptTokens;
                if (record is not null)
                {
                    record.Generated = true;
                }

                break;
            case ContentDelta or ReasoningDelta or ToolCallDelta:
                Output();
                break;
            case ChatFinished finished:
                // The prompt is counted once: every choice's usage repeats it.
                _promptTokens = finished.Usage.PromptTokens;
                _cachedTokens = finished.Usage.CachedTokens;
                _generated += finished.Usage.CompletionTokens;
                _choicesFinished++;
                _reason ??= finished.Reason;
                break;
        }
    }

    public void End()
    {
        var now = Stopwatch.GetTimestamp();
        var total = Stopwatch.GetElapsedTime(admitted, now);
        var firstToken = _firstOutput == 0 ? (TimeSpan?)null : Stopwatch.GetElapsedTime(admitted, _firstOutput);
        record?.Add(_promptTokens, _cachedTokens, _generated, firstToken);
        if (!_measured)
        {
            return;
        }

        metrics.PromptTokens.Add(_promptTokens);
        metrics.GenerationTokens.Add(_generated);
        metrics.RequestLatency.Record(total.TotalSeconds);
        metrics.AddFinished(FinishedReason());
        var promptTime = firstToken ?? total;
        metrics.AddTotals(Math.Max(0, _promptTokens - _cachedTokens), _generated, promptTime, total - promptTime);
    }

    private void Output()
    {
        var now = Stopwatch.GetTimestamp();
        if (_firstOutput == 0)
        {
            _firstOutput = now;
            if (_measured)
            {
                metrics.TimeToFirstToken.Record(Stopwatch.GetElapsedTime(admitted, now).TotalSeconds);
            }
        }
        else if (_measured)
        {
            metrics.InterTokenLatency.Record(Stopwatch.GetElapsedTime(_lastOutput, now).TotalSeconds);
        }

        _lastOutput = now;
    }

    // vLLM's finished_reason values: stop, length, abort (and tool calls end as a stop there too).
    private string FinishedReason() => _choicesFinished == 0 || _reason is null ? "abort" : _reason switch
    {
        FinishReason.Length => "length",
        _ => "stop",
    };
}
