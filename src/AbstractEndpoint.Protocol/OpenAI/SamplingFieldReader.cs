using System.Text.Json;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Core.Generation;

namespace AbstractEndpoint.Protocol.OpenAI;

/// <summary>
/// The sampling and stopping fields every OpenAI-style generation route shares (<c>/v1/chat/completions</c> and
/// <c>/v1/completions</c>): OpenAI's (<c>temperature</c>, <c>top_p</c>, penalties, <c>seed</c>, <c>logit_bias</c>,
/// <c>max_tokens</c>, <c>stop</c>, <c>n</c>, <c>user</c>) and llama-server's extras (<c>top_k</c>, <c>min_p</c>,
/// <c>typical_p</c>, <c>repeat_penalty</c>, <c>repeat_last_n</c>, <c>ignore_eos</c>, <c>n_probs</c>,
/// <c>cache_prompt</c>, <c>samplers</c>, <c>grammar</c>). One reader per body: a route's parser offers it each
/// field first and handles the ones it declines, so both routes read these fields the same way.
/// </summary>
public sealed class SamplingFieldReader
{
    /// <summary>The names <see cref="TryRead"/> accepts.</summary>
    public static IReadOnlySet<string> Fields { get; } = new HashSet<string>
    {
        "temperature", "top_p", "top_k", "min_p", "frequency_penalty", "presence_penalty", "repeat_penalty", "seed",
        "logit_bias", "max_tokens", "stop", "n", "user", "n_probs", "typical_p", "repetition_penalty", "repeat_last_n",
        "ignore_eos", "cache_prompt", "samplers", "grammar",
    };

    private const int MaxStopSequences = 16;

    /// <summary>OpenAI's limit for <c>top_logprobs</c> (and llama-server's <c>n_probs</c> here).</summary>
    private const int MaxTopLogprobs = 20;

    /// <summary>
    /// llama.cpp divides positive logits by the repeat penalty: 0 (or a float that rounds to it) makes them infinite
    /// and the grammar-masked ones NaN, so a grammar then accepts a token it forbids and llama.cpp aborts the
    /// process (found by the fuzzer). 1 means no penalty; nothing useful lies below 0.01.
    /// </summary>
    private const double MinRepeatPenalty = 0.01;

    /// <summary>Temperatures below this are greedy decoding (see <see cref="ParseTemperature"/>).</summary>
    private const double GreedyTemperature = 1e-4;

    /// <summary>The sampling options read so far (log probabilities are the route's to set).</summary>
    public SamplingOptions Sampling { get; private set; } = new();

    public int? MaxTokens { get; private set; }

    public IReadOnlyList<string> Stop { get; private set; } = [];

    /// <summary>OpenAI's <c>n</c>.</summary>
    public int Choices { get; private set; } = 1;

    /// <summary>llama-server's <c>n_probs</c> (how many alternatives per token); asking for it turns log probabilities on.</summary>
    public int? NProbs { get; private set; }

    public bool IgnoreEos { get; private set; }

    public bool CachePrompt { get; private set; } = true;

    /// <summary>llama-server's raw GBNF (root rule <c>root</c>); null for none (an empty grammar is none).</summary>
    public string? Grammar { get; private set; }

    /// <summary>Reads <paramref name="value"/> (not JSON null) when <paramref name="name"/> is one of <see cref="Fields"/>.</summary>
    /// <returns>False when the field is not a shared sampling field: the route reads it itself.</returns>
    public bool TryRead(string name, JsonElement value)
    {
        switch (name)
        {
            case "temperature":
                Sampling = Sampling with { Temperature = ParseTemperature(value, name) };
                return true;
            case "top_p":
                Sampling = Sampling with { TopP = (float)JsonFields.Number(value, name, 0, 1) };
                return true;
            case "top_k":
                Sampling = Sampling with { TopK = (int)JsonFields.Integer(value, name, 0, int.MaxValue) };
                return true;
            case "min_p":
                Sampling = Sampling with { MinP = (float)JsonFields.Number(value, name, 0, 1) };
                return true;
            case "frequency_penalty":
                Sampling = Sampling with { FrequencyPenalty = (float)JsonFields.Number(value, name, -2, 2) };
                return true;
            case "presence_penalty":
                Sampling = Sampling with { PresencePenalty = (float)JsonFields.Number(value, name, -2, 2) };
                return true;
            case "repeat_penalty" or "repetition_penalty":
                Sampling = Sampling with { RepeatPenalty = (float)JsonFields.Number(value, name, MinRepeatPenalty, 10) };
                return true;
            case "seed":
                Sampling = Sampling with { Seed = ParseSeed(value) };
                return true;
            case "logit_bias":
                Sampling = Sampling with { LogitBias = ParseLogitBias(value) };
                return true;
            case "max_tokens":
                MaxTokens = (int)JsonFields.Integer(value, name, 1, int.MaxValue);
                return true;
            case "stop":
                Stop = ParseStop(value);
                return true;
            case "n":
                Choices = (int)JsonFields.Integer(value, name, 1, 128);
                return true;
            case "user":
                JsonFields.String(value, name); // Only an end-user label for abuse tracking; nothing to do locally.
                return true;
            case "n_probs":
                NProbs = (int)JsonFields.Integer(value, name, 0, MaxTopLogprobs);
                return true;
            case "typical_p":
                Sampling = Sampling with { TypicalP = (float)JsonFields.Number(value, name, 0, 1) };
                return true;
            case "repeat_last_n":
                // -1 is the whole context, 0 turns the penalties off (llama-server's meanings).
                Sampling = Sampling with { PenaltyLastN = (int)JsonFields.Integer(value, name, -1, int.MaxValue) };
                return true;
            case "ignore_eos":
                IgnoreEos = JsonFields.Boolean(value, name);
                return true;
            case "cache_prompt":
                CachePrompt = JsonFields.Boolean(value, name);
                return true;
            case "samplers":
                Sampling = Sampling with { Order = SamplerOrderParser.Parse(value) };
                return true;
            case "grammar":
                // An empty grammar is no grammar, as in llama-server.
                Grammar = JsonFields.String(value, name) is { Length: > 0 } gbnf && !string.IsNullOrWhiteSpace(gbnf) ? gbnf : null;
                return true;
            default:
                return false;
        }
    }

    /// <summary>The limits read, with <paramref name="maxOutputTokens"/> when the route has its own name for it.</summary>
    public GenerationLimits Limits(int? maxOutputTokens = null) => new()
    {
        MaxOutputTokens = maxOutputTokens ?? MaxTokens,
        StopSequences = Stop,
        IgnoreEndOfGeneration = IgnoreEos,
    };

    /// <summary>
    /// Reads <c>stream_options</c> (an object, only with <c>stream</c>): whether a usage chunk ends the stream.
    /// Its members are OpenAI's; another one is a 400, as OpenAI answers.
    /// </summary>
    public static bool IncludeUsage(JsonElement? streamOptions, bool stream)
    {
        if (streamOptions is not { } options)
        {
            return false;
        }

        if (!stream)
        {
            throw new InvalidRequestException(
                "The 'stream_options' parameter is only allowed when 'stream' is enabled.", "stream_options", "invalid_value");
        }

        var includeUsage = false;
        foreach (var option in options.EnumerateObject())
        {
            var isNull = option.Value.ValueKind == JsonValueKind.Null;
            switch (option.Name)
            {
                case "include_usage":
                    includeUsage = !isNull && JsonFields.Boolean(option.Value, "stream_options.include_usage");
                    break;
                case "include_obfuscation":
                    // OpenAI pads chunks against length side channels on the internet; a local server sends none.
                    _ = isNull || JsonFields.Boolean(option.Value, "stream_options.include_obfuscation");
                    break;
                default:
                    throw new InvalidRequestException(
                        $"Unrecognized request argument supplied: stream_options.{option.Name}", $"stream_options.{option.Name}", "unknown_parameter");
            }
        }

        return includeUsage;
    }

    /// <summary>
    /// A temperature so small that logits divided by it overflow to infinity (1e-40 as a float) makes the
    /// probabilities NaN; under a grammar llama.cpp then accepts a token the grammar forbids and aborts the process
    /// (found by the fuzzer). Below <see cref="GreedyTemperature"/> sampling is greedy in all but name, so it is greedy.
    /// </summary>
    private static float ParseTemperature(JsonElement value, string name)
    {
        var temperature = JsonFields.Number(value, name, 0, 2);
        return temperature < GreedyTemperature ? 0f : (float)temperature;
    }

    private static uint? ParseSeed(JsonElement value)
    {
        var seed = JsonFields.Integer(value, "seed", long.MinValue, long.MaxValue);
        // A negative seed asks for a random one (llama.cpp's -1 convention, and the original endpoint's).
        return seed < 0 ? null : (uint)(seed & 0xFFFFFFFF);
    }

    private static Dictionary<int, float> ParseLogitBias(JsonElement value)
    {
        JsonFields.RequireKind(value, JsonValueKind.Object, "logit_bias", "an object mapping token ids to biases");
        var biases = new Dictionary<int, float>();
        foreach (var entry in value.EnumerateObject())
        {
            if (!int.TryParse(entry.Name, out var token) || token < 0)
            {
                throw new InvalidRequestException(
                    $"Invalid 'logit_bias': key '{entry.Name}' is not a token id.", "logit_bias", "invalid_value");
            }

            biases[token] = (float)JsonFields.Number(entry.Value, $"logit_bias.{entry.Name}", -100, 100);
        }

        return biases;
    }

    private static List<string> ParseStop(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString() is { Length: > 0 } single ? [single] : [];
        }

        JsonFields.RequireKind(value, JsonValueKind.Array, "stop", "a string or an array of strings");
        if (value.GetArrayLength() > MaxStopSequences)
        {
            throw new InvalidRequestException(
                $"Invalid 'stop': at most {MaxStopSequences} stop sequences are allowed.", "stop", "invalid_value");
        }

        var stops = new List<string>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var text = JsonFields.String(item, $"stop[{index}]");
            if (text.Length > 0)
            {
                stops.Add(text);
            }

            index++;
        }

        return stops;
    }
}
