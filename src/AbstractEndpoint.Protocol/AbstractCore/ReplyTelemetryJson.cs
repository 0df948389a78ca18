using System.Text.Json;
using AbstractEndpoint.Core.Generation;

namespace AbstractEndpoint.Protocol.AbstractCore;

/// <summary>
/// The one writer of AbstractCore's <c>abstractcore</c> reply object, for every wire format that carries it (chat
/// completions and Responses; a format that adds it calls <see cref="Write"/> with its finished update's
/// <see cref="ChatFinished.Telemetry"/>):
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
}
