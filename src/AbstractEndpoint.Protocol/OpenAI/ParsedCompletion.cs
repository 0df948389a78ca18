using AbstractEndpoint.Core.Completion;

namespace AbstractEndpoint.Protocol.OpenAI;

/// <summary>A validated <c>/v1/completions</c> body: one domain request per prompt, plus how to answer them.</summary>
/// <param name="Requests">One request per prompt, in order; prompt <c>p</c>'s choices are numbered from <c>p × ChoicesPerPrompt</c>.</param>
/// <param name="Model">The model name the client asked for (checked by the host).</param>
/// <param name="Stream">Answer as server-sent events.</param>
/// <param name="IncludeUsage">Send a usage chunk before <c>[DONE]</c> (<c>stream_options.include_usage</c>).</param>
public sealed record ParsedCompletion(IReadOnlyList<TextCompletionRequest> Requests, string Model, bool Stream, bool IncludeUsage)
{
    /// <summary>The choices the client gets per prompt (<c>n</c>).</summary>
    public int ChoicesPerPrompt { get; init; } = 1;

    /// <summary>
    /// <c>best_of</c> above <c>n</c>: each request generates this many and the reply keeps the <see cref="ChoicesPerPrompt"/>
    /// with the highest cumulative log probability; null when every generated choice is returned.
    /// </summary>
    public int? BestOf { get; init; }

    /// <summary>The prompt's text comes back before each choice's completion (<c>echo</c>).</summary>
    public bool Echo { get; init; }

    /// <summary>How many alternatives each token lists in the legacy <c>logprobs</c> object; null when not asked for.</summary>
    public int? Logprobs { get; init; }

    /// <summary>
    /// The client sent no <c>max_tokens</c>, so the requests carry OpenAI's default
    /// (<see cref="CompletionRequestParser.DefaultMaxTokens"/>): a server cap below it shortens them rather than refusing.
    /// </summary>
    public bool DefaultMaxTokens { get; init; }

    /// <summary>Fields accepted without effect (unknown names), in body order, for the host to log.</summary>
    public IReadOnlyList<IgnoredField> Ignored { get; init; } = [];
}
