using System.Text.Json.Nodes;
using AbstractEndpoint.Core.Chat;

namespace AbstractEndpoint.Engine.Caching;

/// <summary>A cache's structured conversation to JSON and back, for saved caches.</summary>
internal static class ConversationJson
{
    public static JsonArray Write(IReadOnlyList<ChatMessage> messages) =>
        [.. messages.Select(m => (JsonNode)new JsonObject
        {
            ["role"] = m.Role.ToString(),
            ["content"] = m.Content,
            ["tool_calls"] = new JsonArray([.. m.ToolCalls.Select(c => (JsonNode)new JsonObject
            {
                ["id"] = c.Id, ["name"] = c.Name, ["arguments"] = c.ArgumentsJson,
            })]),
            ["tool_call_id"] = m.ToolCallId,
            ["name"] = m.Name,
            ["reasoning_content"] = m.ReasoningContent,
        })];

    public static IReadOnlyList<ChatMessage> Read(JsonArray messages) =>
        [.. messages.Select(node => node!.AsObject()).Select(m => new ChatMessage(
            Enum.Parse<ChatRole>(m["role"]!.GetValue<string>()), m["content"]?.GetValue<string>())
        {
            ToolCalls = [.. m["tool_calls"]!.AsArray().Select(c => new ToolCall(
                c!["id"]!.GetValue<string>(), c["name"]!.GetValue<string>(), c["arguments"]!.GetValue<string>()))],
            ToolCallId = m["tool_call_id"]?.GetValue<string>(),
            Name = m["name"]?.GetValue<string>(),
            ReasoningContent = m["reasoning_content"]?.GetValue<string>(),
        })];

    public static JsonArray WriteTools(IReadOnlyList<ToolDefinition> tools) => [.. tools.Select(t => t.Raw.DeepClone())];

    public static IReadOnlyList<ToolDefinition> ReadTools(JsonArray tools) =>
        [.. tools.Select(node => node!.AsObject()).Select(raw =>
        {
            var function = raw["function"]!.AsObject();
            return new ToolDefinition(
                function["name"]!.GetValue<string>(),
                function["description"]?.GetValue<string>(),
                function["parameters"]?.DeepClone().AsObject()) { Raw = raw.DeepClone().AsObject() };
        })];
}
