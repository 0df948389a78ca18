using System.Diagnostics;
using System.Runtime.CompilerServices;
using AbstractEndpoint.Core.Backends;
using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Host.Errors;
using AbstractEndpoint.Host.Hosting;

namespace AbstractEndpoint.Host.Observability;

/// <summary>
/// The loaded model's <see cref="IChatBackend"/> as every route sees it: the updates pass through unchanged while
/// their timing and token counts go to <see cref="EndpointMetrics"/> and the request's <see cref="RequestRecord"/>,
/// and the server's <see cref="RequestLimits"/> hold (<c>max_tokens</c> and <c>n</c> caps, <c>--timeout</c>).
/// Wrapping the one backend (in <see cref="ModelState"/>) rather than each route means a route added later is
/// measured, logged and bounded without an edit. It forwards <see cref="IBackendHealth"/> so <c>/health</c> still
/// sees the backend's.
/// </summary>
internal sealed class ObservedChatBackend(IChatBackend inner, EndpointMetrics metrics, RequestLimits limits) : IChatBackend, IBackendHealth
{
    public IChatBackend Inner => inner;

    public string ModelId => inner.ModelId;

    public string? Problem => (inner as IBackendHealth)?.Problem;

    public async IAsyncEnumerable<ChatUpdate> StreamAsync(ChatRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var record = RequestRecord.Current;
        request = Bounded(request);

        // --timeout counts from the request's first byte; the generation is cancelled when it runs out.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (limits.Timeout is { } timeout)
        {
            var left = timeout - Stopwatch.GetElapsedTime(record?.Started ?? Stopwatch.GetTimestamp());
            if (left <= TimeSpan.Zero)
            {
                throw new RequestTimeoutException(timeout);
            }

            deadline.CancelAfter(left);
        }

        var updates = inner.StreamAsync(request, deadline.Token).GetAsyncEnumerator(deadline.Token);
        await using (updates.ConfigureAwait(false))
        {
            // Client errors and overload are thrown before admission: they are not requests the engine served.
            if (!await NextAsync(updates, deadline, cancellationToken).ConfigureAwait(false))
            {
                yield break;
            }

            var observation = new Observation(metrics, record, Stopwatch.GetTimestamp());
            observation.See(updates.Current);
            yield return updates.Current;
            try
            {
                while (await NextAsync(updates, deadline, cancellationToken).ConfigureAwait(false))
                {
                    observation.See(updates.Current);
                    yield return updates.Current;
                }
            }
            finally
            {
                // Also reached when the reader stops early (client gone, timeout) or the stream fails: an abort.
                observation.End();
            }
        }
    }

    private async ValueTask<bool> NextAsync(IAsyncEnumerator<ChatUpdate> updates, CancellationTokenSource deadline, CancellationToken caller)
    {
        try
        {
            return await updates.MoveNextAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !caller.IsCancellationRequested)
        {
            throw new RequestTimeoutException(limits.Timeout!.Value);
        }
    }

    /// <summary>The request within the server's caps: a reply asking for no limit gets the cap, one above it a 400.</summary>
    private ChatRequest Bounded(ChatRequest request)
    {
        if (limits.MaxChoices is { } choices && request.Choices > choices)
        {
            throw new InvalidRequestException(
                $"n is {request.Choices}, above this server's limit of {choices} (--max-choices).", "n", "invalid_value");
        }

        if (limits.MaxTokens is not { } cap)
        {
            return request;
        }

        return request.Limits.MaxOutputTokens switch
        {
            null => request with { Limits = request.Limits with { MaxOutputTokens = cap } },
            { } asked when asked > cap => throw new InvalidRequestException(
                $"max_tokens is {asked}, above this server's limit of {cap} (--max-tokens-limit).", "max_tokens", "invalid_value"),
            _ => request,
        };
    }

    /// <summary>One generation's figures, from admission to the end of its stream.</summary>
    private sealed class Observation(EndpointMetrics metrics, RequestRecord? record, long admitted)
    {
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
                        record.PromptTokens = accepted.PromptTokens;
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
            metrics.PromptTokens.Add(_promptTokens);
            metrics.GenerationTokens.Add(_generated);
            metrics.RequestLatency.Record(total.TotalSeconds);
            metrics.AddFinished(FinishedReason());
            var promptTime = firstToken ?? total;
            metrics.AddTotals(Math.Max(0, _promptTokens - _cachedTokens), _generated, promptTime, total - promptTime);
            if (record is not null)
            {
                record.PromptTokens = _promptTokens;
                record.CachedTokens = _cachedTokens;
                record.GeneratedTokens = _generated;
                record.TimeToFirstToken = firstToken;
            }
        }

        private void Output()
        {
            var now = Stopwatch.GetTimestamp();
            if (_firstOutput == 0)
            {
                _firstOutput = now;
                metrics.TimeToFirstToken.Record(Stopwatch.GetElapsedTime(admitted, now).TotalSeconds);
            }
            else
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
}
