using System.Threading.Channels;
using AbstractEndpoint.Core.Generation;

namespace AbstractEndpoint.Engine.Scheduling;

/// <summary>
/// One generation handed to the inference loop: the prompt's tokens, how to sample and when to stop. The loop
/// writes <see cref="JobEvent"/>s to <see cref="Events"/> and never waits for the reader.
/// </summary>
public sealed class GenerationJob
{
    private readonly Channel<JobEvent> _events =
        Channel.CreateUnbounded<JobEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    public required IReadOnlyList<int> PromptTokens { get; init; }

    public required SamplingOptions Sampling { get; init; }

    /// <summary>Most tokens to generate (the caller already checked it fits the context); 0 only prefills the prompt.</summary>
    public required int MaxNewTokens { get; init; }

    public IReadOnlyList<string> StopSequences { get; init; } = [];

    /// <summary>
    /// Detokenize control tokens as their text (<c>[TOOL_CALLS]</c>, <c>&lt;|channel|&gt;</c>…) for a tool-call
    /// parser that needs to see them. End-of-generation tokens still end the reply and never become text.
    /// </summary>
    public bool RenderSpecialTokens { get; init; }

    /// <summary>Closes the reasoning block at a token budget (<see cref="ReasoningBudget"/>); null for no cap.</summary>
    public ReasoningBudget? ReasoningBudget { get; init; }

    /// <summary>
    /// Independent replies from the one prompt: the prompt is prefilled once in one slot, then its KV sequence is
    /// copied (cells are shared, not recomputed) to one more slot per extra choice.
    /// </summary>
    public int Choices { get; init; } = 1;

    /// <summary>
    /// Whether the prompt may start from KV cells a slot or named cache already holds (llama-server's
    /// <c>cache_prompt</c>). False recomputes every prompt token; the usage then reports none cached.
    /// </summary>
    public bool ReuseCachedPrompt { get; init; } = true;

    /// <summary>The request's isolation tag: slots last used under another tag are not reused from.</summary>
    public string? IsolationTag { get; init; }

    /// <summary>The named prompt cache this job starts from (and may advance), if any.</summary>
    public CacheBinding? Cache { get; init; }

    /// <summary>
    /// Work no client is reading as it comes (a control-plane prefill into a named cache): it takes a slot only after
    /// the interactive jobs waiting, and while an interactive job holds a slot its prefill gets at most the capped
    /// chunk of a step, after theirs, so a long cache update never holds up a chat.
    /// </summary>
    public bool Background { get; init; }

    /// <summary>Cancelled when the client goes away; the loop frees the slot on its next step.</summary>
    public CancellationToken CancellationToken { get; init; }

    public ChannelReader<JobEvent> Events => _events.Reader;

    internal ChannelWriter<JobEvent> Writer => _events.Writer;

    internal long SubmittedAt { get; set; }

    /// <summary>The first choice's text, kept when the job advances a cache (its reply joins the conversation). Loop thread only.</summary>
    internal System.Text.StringBuilder CacheReply { get; } = new();

    /// <summary>The most jobs that shared one decode step with this one (itself included). Loop thread only.</summary>
    internal int PeakBatchSize { get; set; }

    /// <summary>Choices not finished yet; the event stream completes when it reaches zero. Loop thread only.</summary>
    internal int UnfinishedChoices { get; set; }
}
