using System.Text.Json.Serialization;
using AbstractEndpoint.Host.Hosting;

namespace AbstractEndpoint.Host.Endpoints;

/// <summary>
/// <c>GET /status</c>: the server at a glance for the built-in page and for operators — model, load state, context
/// size, queue depth, what each slot does, a running total of generated tokens (its growth over time is the
/// aggregate tokens per second), how many stored responses keep their conversation's KV state
/// (<c>responses_kv_states</c>, local model only) and, for the local engine, the automatic prompt cache in host memory
/// and where the inference loop's time went (<c>steps</c>).
/// Answers 200 while the model loads too, with <c>status</c> saying so.
/// </summary>
internal static class StatusEndpoints
{
    public static void MapStatusEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet("/status", (ModelState state) =>
        {
            var status = state.Model?.Status;
            var slots = status?.Slots ?? [];
            return Results.Json(new StatusBody(
                state.ModelId,
                state.Status.ToString().ToLowerInvariant(),
                state.Error,
                DateTimeOffset.UtcNow.ToUnixTimeSeconds() - state.Created,
                status?.ContextSize,
                slots.Count,
                status?.QueuedRequests ?? 0,
                status?.GeneratedTokensTotal ?? 0,
                DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
                state.Model?.ConversationStates?.Count,
                [.. slots.Select(s => new SlotBody(
                    s.Id, s.Activity.ToString().ToLowerInvariant(), s.CachedTokens, s.PromptTokens, s.GeneratedTokens))],
                status?.HostCache is { } host ? new HostCacheBody(host.Entries, host.Bytes) : null,
                status?.Steps is { } steps
                    ? new StepsBody(steps.Steps, steps.DecodedTokens, steps.PromptTokens, Math.Round(steps.DecodeMilliseconds, 1),
                        Math.Round(steps.SampleMilliseconds, 1), Math.Round(steps.BusyMilliseconds, 1))
                    : null));
        });

    private sealed record StatusBody(
        [property: JsonPropertyName("model")] string Model,
        [property: JsonPropertyName("status")] string Status,
        [property: JsonPropertyName("error")]
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        string? Error,
        [property: JsonPropertyName("uptime_s")] long UptimeSeconds,
        [property: JsonPropertyName("context_size")] int? ContextSize,
        [property: JsonPropertyName("slots_total")] int SlotsTotal,
        [property: JsonPropertyName("queue_depth")] int QueueDepth,
        [property: JsonPropertyName("generated_tokens_total")] long GeneratedTokensTotal,
        [property: JsonPropertyName("time_ms")] long TimeMilliseconds,
        [property: JsonPropertyName("responses_kv_states")]
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        int? ResponsesKvStates,
        [property: JsonPropertyName("slots")] IReadOnlyList<SlotBody> Slots,
        [property: JsonPropertyName("host_cache")]
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        HostCacheBody? HostCache,
        [property: JsonPropertyName("steps")]
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        StepsBody? Steps);

    private sealed record StepsBody(
        [property: JsonPropertyName("count")] long Count,
        [property: JsonPropertyName("decoded_tokens")] long DecodedTokens,
        [property: JsonPropertyName("prompt_tokens")] long PromptTokens,
        [property: JsonPropertyName("decode_ms")] double DecodeMilliseconds,
        [property: JsonPropertyName("sample_ms")] double SampleMilliseconds,
        [property: JsonPropertyName("busy_ms")] double BusyMilliseconds);

    private sealed record HostCacheBody(
        [property: JsonPropertyName("entries")] int Entries,
        [property: JsonPropertyName("bytes")] long Bytes);

    private sealed record SlotBody(
        [property: JsonPropertyName("id")] int Id,
        [property: JsonPropertyName("state")] string State,
        [property: JsonPropertyName("cached_tokens")] int CachedTokens,
        [property: JsonPropertyName("prompt_tokens")] int PromptTokens,
        [property: JsonPropertyName("generated_tokens")] int GeneratedTokens);
}
