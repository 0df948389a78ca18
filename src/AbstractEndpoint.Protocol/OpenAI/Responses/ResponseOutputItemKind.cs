namespace AbstractEndpoint.Protocol.OpenAI.Responses;

/// <summary>The output items this server produces.</summary>
public enum ResponseOutputItemKind
{
    /// <summary>A <c>reasoning</c> item: the model's reasoning as its summary text.</summary>
    Reasoning,

    /// <summary>A <c>message</c> item with one <c>output_text</c> part.</summary>
    Message,

    /// <summary>A <c>function_call</c> item with its <c>call_id</c>, name and arguments.</summary>
    FunctionCall,
}
