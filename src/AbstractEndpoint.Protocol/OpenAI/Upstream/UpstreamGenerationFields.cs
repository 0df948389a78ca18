using System.Globalization;
using System.Text.Json;
using AbstractEndpoint.Core.Generation;

namespace AbstractEndpoint.Protocol.OpenAI.Upstream;

/// <summary>
/// The sampling and stopping fields both OpenAI generation routes take (<c>/chat/completions</c> and
/// <c>/completions</c>), written for an upstream: standard fields when they differ from OpenAI's defaults (temperature
/// always), llama.cpp's extensions (<c>top_k</c>, <c>min_p</c>, <c>repeat_penalty</c>, <c>typical_p</c>,
/// <c>ignore_eos</c>) only when the client set them, so a plain request is accepted by every OpenAI-style server.
/// Log probabilities are not here: the two routes spell them differently.
/// </summary>
internal static class UpstreamGenerationFields
{
    public static void WriteSampling(Utf8JsonWriter json, SamplingOptions sampling)
    {
        var defaults = new SamplingOptions();
        json.WriteNumber("temperature", sampling.Temperature);
        if (sampling.TopP != defaults.TopP)
        {
            json.WriteNumber("top_p", sampling.TopP);
        }

        if (sampling.Seed is { } seed)
        {
            json.WriteNumber("seed", seed);
        }

        if (sampling.FrequencyPenalty != 0)
        {
            json.WriteNumber("frequency_penalty", sampling.FrequencyPenalty);
        }

        if (sampling.PresencePenalty != 0)
        {
            json.WriteNumber("presence_penalty", sampling.PresencePenalty);
        }

        if (sampling.TopK != defaults.TopK)
        {
            json.WriteNumber("top_k", sampling.TopK);
        }

        if (sampling.MinP != defaults.MinP)
        {
            json.WriteNumber("min_p", sampling.MinP);
        }

        if (sampling.RepeatPenalty != defaults.RepeatPenalty)
        {
            json.WriteNumber("repeat_penalty", sampling.RepeatPenalty);
        }

        if (sampling.TypicalP != defaults.TypicalP)
        {
            json.WriteNumber("typical_p", sampling.TypicalP);
        }

        if (sampling.LogitBias.Count > 0)
        {
            json.WriteStartObject("logit_bias");
            foreach (var (token, bias) in sampling.LogitBias)
            {
                // Banned tokens are negative infinity in the domain; OpenAI's wire spells a ban -100.
                json.WriteNumber(token.ToString(CultureInfo.InvariantCulture), float.IsNegativeInfinity(bias) ? -100 : bias);
            }

            json.WriteEndObject();
        }
    }

    public static void WriteLimits(Utf8JsonWriter json, GenerationLimits limits)
    {
        if (limits.MaxOutputTokens is { } max)
        {
            json.WriteNumber("max_tokens", max);
        }

        if (limits.StopSequences.Count > 0)
        {
            json.WriteStartArray("stop");
            foreach (var stop in limits.StopSequences)
            {
                json.WriteStringValue(stop);
            }

            json.WriteEndArray();
        }

        if (limits.IgnoreEndOfGeneration)
        {
            json.WriteBoolean("ignore_eos", true);
        }
    }

    /// <summary>The reply as a stream whose last chunk carries usage, so one reader serves streamed and plain clients.</summary>
    public static void WriteStreamWithUsage(Utf8JsonWriter json)
    {
        json.WriteBoolean("stream", true);
        json.WriteStartObject("stream_options");
        json.WriteBoolean("include_usage", true);
        json.WriteEndObject();
    }
}
