using System.Globalization;
using System.Text.Json.Nodes;

namespace AbstractEndpoint.Jinja.Bench;

/// <summary>A representative chat request: OpenAI-style tools and a multi-turn conversation with a tool round trip.</summary>
internal static class BenchConversation
{
    public static Dictionary<string, object?> Create(int toolCount, int messageCount)
    {
        var tools = new JsonArray();
        for (var i = 0; i < toolCount; i++)
        {
            tools.Add(JsonNode.Parse("""
                {"type": "function", "function": {"name": "tool_@i@", "description": "Tool number @i@ does something useful.",
                 "parameters": {"type": "object", "properties": {
                   "query": {"type": "string", "description": "What to look up"},
                   "limit": {"type": "integer", "minimum": 1, "maximum": 50, "default": 10},
                   "precise": {"type": "boolean"}},
                 "required": ["query"]}}}
                """.Replace("@i@", i.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)));
        }

        var messages = new JsonArray
        {
            new JsonObject { ["role"] = "system", ["content"] = "You are a helpful assistant. Answer concisely." },
        };
        for (var i = 1; messages.Count < messageCount; i++)
        {
            messages.Add(new JsonObject { ["role"] = "user", ["content"] = $"Question {i}: what is the status of item {i}?" });
            if (messages.Count + 2 < messageCount)
            {
                messages.Add(JsonNode.Parse("""
                    {"role": "assistant", "content": "", "tool_calls": [{"id": "call_@i@", "type": "function",
                      "function": {"name": "tool_@tool@", "arguments": {"query": "item @i@", "limit": 5}}}]}
                    """.Replace("@i@", i.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                    .Replace("@tool@", (i % Math.Max(1, toolCount)).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)));
                messages.Add(new JsonObject { ["role"] = "tool", ["tool_call_id"] = $"call_{i}", ["content"] = $"{{\"status\": \"ok\", \"item\": {i}}}" });
            }
            else if (messages.Count < messageCount)
            {
                messages.Add(new JsonObject { ["role"] = "assistant", ["content"] = $"Item {i} is fine." });
            }
        }

        return new Dictionary<string, object?>
        {
            ["messages"] = messages,
            ["tools"] = tools,
            ["add_generation_prompt"] = true,
            ["bos_token"] = "<s>",
            ["eos_token"] = "</s>",
        };
    }
}
