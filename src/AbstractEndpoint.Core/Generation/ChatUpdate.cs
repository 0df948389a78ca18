namespace AbstractEndpoint.Core.Generation;

/// <summary>
/// One step of a streamed reply. A backend yields <see cref="ChatAccepted"/> once the request is admitted (so the
/// HTTP layer can still answer with an error status before that), then deltas, then one
/// <see cref="ChatFinished"/> per choice.
/// </summary>
public abstract record ChatUpdate;

/// <summary>The request passed validation and admission; nothing can fail with a client error after this.</summary>
public sealed record ChatAccepted(int PromptTokens) : ChatUpdate;

/// <summary>An update about one choice of the reply (<c>n</c> &gt; 1 streams several, each with its index).</summary>
public abstract record ChoiceUpdate(int Choice) : ChatUpdate;

/// <summary>A piece of choice <paramref name="Choice"/>'s text (whole UTF-8 characters, never part of a stop sequence).</summary>
public sealed record ContentDelta(string Text, int Choice = 0) : ChoiceUpdate(Choice);

/// <summary>
/// Log probabilities of tokens of choice <paramref name="Choice"/> (only when the request asked for them). They come
/// just before the updates made from those tokens' text, so a protocol attaches them to the next piece it sends
/// for the choice; tokens whose text is held back (a possible stop sequence, an unfinished character, markup the
/// parser still weighs) come with the later text, and tokens swallowed by a stop sequence never come.
/// </summary>
public sealed record LogprobsDelta(IReadOnlyList<TokenLogprob> Entries, int Choice = 0) : ChoiceUpdate(Choice);

/// <summary>A piece of choice <paramref name="Choice"/>'s reasoning ("thinking"), kept out of its content.</summary>
public sealed record ReasoningDelta(string Text, int Choice = 0) : ChoiceUpdate(Choice);

/// <summary>
/// A piece of a tool call of choice <paramref name="Choice"/>. The first delta of call <paramref name="Index"/>
/// carries its <paramref name="Id"/> and <paramref name="Name"/> (and an empty fragment); later ones carry only
/// argument fragments, which concatenate to the call's arguments JSON.
/// </summary>
public sealed record ToolCallDelta(int Index, string? Id, string? Name, string ArgumentsFragment, int Choice = 0) : ChoiceUpdate(Choice);

/// <summary>
/// Call <paramref name="Index"/> of choice <paramref name="Choice"/> began but did not complete (the output ended
/// inside it, or its arguments are not a JSON object): it is not part of the final reply.
/// </summary>
public sealed record ToolCallFailed(int Index, string Reason, int Choice = 0) : ChoiceUpdate(Choice);

/// <summary>
/// The end of one choice. <see cref="Usage"/> counts that choice's completion tokens; with <c>n</c> choices the
/// request's usage is the prompt once plus every choice's completion tokens.
/// </summary>
public sealed record ChatFinished(FinishReason Reason, Usage Usage, int Choice = 0) : ChoiceUpdate(Choice)
{
    /// <summary>
    /// The stop sequence that ended the choice (<see cref="FinishReason.Stop"/>), null for an end-of-generation
    /// token; Anthropic's <c>stop_reason</c> tells them apart.
    /// </summary>
    public string? StopSequence { get; init; }

    /// <summary>How the reply was produced (scheduling, prompt cache), when the backend reports it.</summary>
    public ReplyTelemetry? Telemetry { get; init; }
}
