using System.Text.Json;
using AbstractEndpoint.Core.Completion;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Core.Generation;

namespace AbstractEndpoint.Protocol.OpenAI;

/// <summary>
/// Validates a <c>/v1/completions</c> body (OpenAI's legacy completions) and maps it to one
/// <see cref="TextCompletionRequest"/> per prompt. The sampling fields are the chat route's
/// (<see cref="SamplingFieldReader"/>); a known field with a wrong type or value is a 400 naming it; an unknown field
/// is accepted without effect and reported, or refused under <c>--strict-requests</c>. See docs/api.md.
/// </summary>
public static class CompletionRequestParser
{
    /// <summary>OpenAI's default <c>max_tokens</c> for this route: a completion without one is 16 tokens long.</summary>
    public const int DefaultMaxTokens = 16;

    /// <summary>OpenAI's limit for the legacy <c>logprobs</c>.</summary>
    private const int MaxLegacyLogprobs = 5;

    private static readonly HashSet<string> OwnFields =
        ["model", "prompt", "suffix", "echo", "logprobs", "best_of", "stream", "stream_options"];

    public static ParsedCompletion Parse(ReadOnlyMemory<byte> body, bool strict = false)
    {
        using var document = JsonRequestBody.Parse(body);
        return Parse(document.RootElement, strict);
    }

    public static ParsedCompletion Parse(JsonElement root, bool strict = false)
    {
        JsonFields.RequireKind(root, JsonValueKind.Object, "body", "a JSON object");
        string? model = null;
        IReadOnlyList<TextPrompt>? prompts = null;
        string? suffix = null;
        var echo = false;
        int? logprobs = null;
        int? bestOf = null;
        var stream = false;
        JsonElement? streamOptions = null;
        var shared = new SamplingFieldReader();
        var ignored = new List<IgnoredField>();

        foreach (var property in root.EnumerateObject())
        {
            var (name, value) = (property.Name, property.Value);
            if (!OwnFields.Contains(name) && !SamplingFieldReader.Fields.Contains(name))
            {
                if (strict)
                {
                    throw new InvalidRequestException($"Unrecognized request argument supplied: {name}", name, "unknown_parameter");
                }

                ignored.Add(new IgnoredField(name, "unknown field"));
                continue;
            }

            // null means "not given", as in OpenAI's API.
            if (value.ValueKind == JsonValueKind.Null || shared.TryRead(name, value))
            {
                continue;
            }

            switch (name)
            {
                case "model":
                    model = JsonFields.String(value, name);
                    break;
                case "prompt":
                    prompts = PromptListParser.Parse(value, name);
                    break;
                case "suffix":
                    // An empty suffix is no suffix, as OpenAI treats it.
                    suffix = JsonFields.ReadableString(value, name) is { Length: > 0 } text ? text : null;
                    break;
                case "echo":
                    echo = JsonFields.Boolean(value, name);
                    break;
                case "logprobs":
                    logprobs = (int)JsonFields.Integer(value, name, 0, MaxLegacyLogprobs);
                    break;
                case "best_of":
                    bestOf = (int)JsonFields.Integer(value, name, 1, 128);
                    break;
                case "stream":
                    stream = JsonFields.Boolean(value, name);
                    break;
                case "stream_options":
                    JsonFields.RequireKind(value, JsonValueKind.Object, name, "an object");
                    streamOptions = value;
                    break;
            }
        }

        if (model is null)
        {
            throw new InvalidRequestException("Missing required parameter: 'model'.", "model", "missing_required_parameter");
        }

        if (prompts is null)
        {
            throw new InvalidRequestException("Missing required parameter: 'prompt'.", "prompt", "missing_required_parameter");
        }

        var includeUsage = SamplingFieldReader.IncludeUsage(streamOptions, stream);
        logprobs ??= shared.NProbs;
        var n = shared.Choices;
        if (bestOf is { } best)
        {
            if (best < n)
            {
                throw new InvalidRequestException(
                    $"Invalid 'best_of': {best} is less than 'n' ({n}); best_of must be at least n.", "best_of", "invalid_value");
            }

            if (stream && best > n)
            {
                throw new InvalidRequestException(
                    "Unsupported value for 'best_of': it cannot be combined with 'stream' (the best completions are only known at the end).",
                    "best_of", "unsupported_parameter");
            }
        }

        if (echo && logprobs is not null)
        {
            throw new InvalidRequestException(
                "Unsupported value for 'echo': with 'logprobs' it needs the prompt tokens' log probabilities, which this server does not compute.",
                "echo", "unsupported_parameter");
        }

        if (echo && suffix is not null)
        {
            throw new InvalidRequestException("Unsupported value for 'echo': it cannot be combined with 'suffix'.", "echo", "unsupported_parameter");
        }

        var picking = bestOf is { } b && b > n ? bestOf : null;
        var sampling = shared.Sampling;
        if (logprobs is not null || picking is not null)
        {
            // best_of ranks completions by their tokens' log probabilities, so it asks for them even when the client did not.
            sampling = sampling with { TopLogprobs = logprobs ?? 0 };
        }

        if (shared.Grammar is { } gbnf)
        {
            sampling = sampling with { Grammar = GrammarConstraint.Strict(gbnf, "root") };
        }

        var requests = prompts.Select(prompt => new TextCompletionRequest
        {
            Prompt = prompt,
            Suffix = suffix,
            Sampling = sampling,
            Limits = shared.Limits(shared.MaxTokens ?? DefaultMaxTokens),
            Choices = picking ?? n,
            ReuseCachedPrompt = shared.CachePrompt,
        }).ToArray();
        return new ParsedCompletion(requests, model, stream, includeUsage)
        {
            ChoicesPerPrompt = n,
            BestOf = picking,
            Echo = echo,
            Logprobs = logprobs,
            DefaultMaxTokens = shared.MaxTokens is null,
            Ignored = ignored,
        };
    }
}
