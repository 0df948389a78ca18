using System.Text.Json;
using AbstractEndpoint.Core.Generation;

namespace AbstractEndpoint.Protocol.AbstractCore;

/// <summary>
/// The one writer of AbstractCore's <c>abstractcore</c> reply object, for every wire format that carries it (chat
/// completions, completions and Responses; a format that adds it calls <see cref="Write"/> with its finished update's
/// <see cref="ChatFinished.Telemetry"/>), and its reader for a remote upstream that sends one (<see cref="Read"/>):
/// <c>{"execution":{"mode":"continuous","peak_batch_size","queue_s","ttft_s"},
/// "prompt_cache":{"mode":"key","key","outcome","cached_tokens","fed_tokens"}}</c>, <c>prompt_cache</c> only when a
/// key applied.
/// </summary>
public static class ReplyTelemetryJson
{
    /// <summary>The member name at the top level of a reply or chunk.</summary>
    public const string PropertyName = "abstractcore";

    /// <summary>Writes <c>"abstractcore":{…}</c> into the object being written; nothing when there is no telemetry.</summary>
    public static void Write(Utf8JsonWriter json, ReplyTelemetry? telemetry)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (telemetry is null)
        {
            return;
        }

        json.WriteStartObject(PropertyName);
        json.WriteStartObject("execution");
        json.WriteString("mode", "continuous");
        json.WriteNumber("peak_batch_size", telemetry.Execution.PeakBatchSize);
        json.WriteNumber("queue_s", Math.Round(telemetry.Execution.QueueSeconds, 6));
        json.WriteNumber("ttft_s", Math.Round(telemetry.Execution.TimeToFirstTokenSeconds, 6));
        json.WriteEndObject();
        if (telemetry.PromptCache is { } cache)
        {
            json.WriteStartObject("prompt_cache");
            json.WriteString("mode", "key");
            json.WriteString("key", cache.Key);
            json.WriteString("outcome", Outcome(cache.Outcome));
            json.WriteNumber("cached_tokens", cache.CachedTokens);
            json.WriteNumber("fed_tokens", cache.FedTokens);
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    /// <summary>
    /// The telemetry an upstream's <c>abstractcore</c> object carries, or null when it is not one this writer would
    /// write (no <c>execution</c> object): a remote reply passes on what its upstream reported, never a guess.
    /// </summary>
    public static ReplyTelemetry? Read(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object
            || !value.TryGetProperty("execution", out var execution) || execution.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var report = new ExecutionReport(
            (int)Number(execution, "peak_batch_size"), Number(execution, "queue_s"), Number(execution, "ttft_s"));
        PromptCacheReport? cache = null;
        if (value.TryGetProperty("prompt_cache", out var prompt) && prompt.ValueKind == JsonValueKind.Object
            && prompt.TryGetProperty("key", out var key) && key.ValueKind == JsonValueKind.String
            && prompt.TryGetProperty("outcome", out var outcome) && outcome.ValueKind == JsonValueKind.String
            && TryOutcome(outcome.GetString()!, out var parsed))
        {
            cache = new PromptCacheReport(key.GetString()!, parsed, (int)Number(prompt, "cached_tokens"), (int)Number(prompt, "fed_tokens"));
        }

        return new ReplyTelemetry(report, cache);
    }

    /// <summary>The wire name of an outcome.</summary>
    public static string Outcome(PromptCacheOutcome outcome) => outcome switch
    {
        PromptCacheOutcome.Off => "off",
        PromptCacheOutcome.Cold => "cold",
        PromptCacheOutcome.Append => "append",
        PromptCacheOutcome.HitExtend => "hit_extend",
        PromptCacheOutcome.HitFull => "hit_full",
        PromptCacheOutcome.HitRestore => "hit_restore",
        PromptCacheOutcome.Rebuilt => "rebuilt",
        PromptCacheOutcome.Bypassed => "bypassed",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };

    private static bool TryOutcome(string name, out PromptCacheOutcome outcome)
    {
        foreach (var candidate in Enum.GetValues<PromptCacheOutcome>())
        {
            if (Outcome(candidate) == name)
            {
                outcome = candidate;
                return true;
            }
        }

        outcome = default;
        return false;
    }

    private static double Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) ? number : 0;
}
