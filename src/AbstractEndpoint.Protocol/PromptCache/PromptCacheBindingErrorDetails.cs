using System.Text.Json.Nodes;
using AbstractEndpoint.PromptCaching.Binding;

namespace AbstractEndpoint.Protocol.PromptCache;

/// <summary>
/// The <c>details</c> of a binding error, as upstream writes them:
/// <c>{"supported":false,"operation":"binding","code","error","capabilities":{…}}</c>.
/// </summary>
public static class PromptCacheBindingErrorDetails
{
    public static JsonObject Of(PromptCacheBindingException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new JsonObject
        {
            ["supported"] = false,
            ["operation"] = PromptCacheOperations.Binding,
            ["code"] = error.Code,
            ["error"] = error.Message,
            ["capabilities"] = JsonNode.Parse(PromptCacheResponseWriter.CapabilitiesObject(error.Capabilities)),
        };
    }
}
