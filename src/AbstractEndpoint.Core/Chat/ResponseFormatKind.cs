namespace AbstractEndpoint.Core.Chat;

/// <summary>The kinds of <see cref="ResponseFormat"/>.</summary>
public enum ResponseFormatKind
{
    /// <summary>Free text.</summary>
    Text,

    /// <summary>Any JSON object.</summary>
    JsonObject,

    /// <summary>JSON that validates against a given schema.</summary>
    JsonSchema,
}
