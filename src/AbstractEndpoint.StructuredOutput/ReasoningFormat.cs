namespace AbstractEndpoint.StructuredOutput;

/// <summary>What the streaming parser does with a model's reasoning ("thinking") text.</summary>
public enum ReasoningFormat
{
    /// <summary>
    /// Leave it alone: thinking tags such as <c>&lt;think&gt;</c> stay in the content verbatim. Formats whose
    /// reasoning is a channel rather than tags (gpt-oss) still lose the channel markup; the text goes to content.
    /// </summary>
    None,

    /// <summary>Split it out: reasoning streams as <see cref="AbstractEndpoint.Core.Generation.ReasoningDelta"/> events and never reaches content.</summary>
    Extract,
}
