using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.StructuredOutput;

namespace AbstractEndpoint.Engine.Output;

/// <summary>
/// How one request's output is constrained and read: the grammar for the sampler, and whether (and how) the text
/// goes through the tool-call and reasoning parser on its way to the client.
/// </summary>
internal sealed record OutputPlan
{
    /// <summary>Plain text: no grammar, no parsing; the model's text is the content.</summary>
    public static OutputPlan PlainText { get; } = new();

    public GrammarConstraint? Grammar { get; init; }

    /// <summary>Whether the output goes through <see cref="StreamingOutputParser"/>.</summary>
    public bool Parse { get; init; }

    public ToolCallFormat Format { get; init; }

    public ReasoningFormat ReasoningFormat { get; init; }

    /// <summary>The prompt leaves the model inside its reasoning block.</summary>
    public bool StartsInReasoning { get; init; }

    /// <summary>Tools were offered, so call markup becomes tool calls (else it is content).</summary>
    public bool ParseToolCalls { get; init; }

    public IReadOnlyList<ToolDefinition> Tools { get; init; } = [];

    /// <summary>Control tokens must reach the parser as text (the format's markers may be such tokens).</summary>
    public bool RenderSpecialTokens => Parse && Format != ToolCallFormat.Generic;

    /// <summary>
    /// A reader for one choice's output, whose updates go to the client as they are, or null when the text passes
    /// through as content.
    /// </summary>
    public StreamingOutputParser? NewChoice(int choice) => Parse
        ? new StreamingOutputParser(Format, ReasoningFormat, StartsInReasoning, Tools, parseToolCalls: ParseToolCalls, choice: choice)
        : null;
}
