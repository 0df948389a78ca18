using System.Text.Json;
using System.Text.Json.Nodes;
using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Jinja;

namespace AbstractEndpoint.Prompting.Templates;

/// <summary>
/// A model's own Jinja chat template, rendered exactly as Hugging Face transformers' <c>apply_chat_template</c>
/// does: the same variables (<c>messages</c>, <c>tools</c>, <c>add_generation_prompt</c>, <c>bos_token</c>,
/// <c>eos_token</c>, extra kwargs), and tool-call arguments as objects rather than OpenAI's JSON strings.
/// Parsed once; renders concurrently.
/// </summary>
public sealed class JinjaChatTemplate : IChatTemplate
{
    private readonly JinjaTemplate _template;

    private JinjaChatTemplate(string name, JinjaTemplate template)
    {
        Name = name;
        _template = template;
    }

    public string Name { get; }

    /// <summary>Parses a template; throws <see cref="JinjaException"/> when it is not valid or too deep.</summary>
    public static JinjaChatTemplate Parse(string name, string source) => new(name, JinjaTemplate.Parse(source));

    public string Render(ChatTemplateInput input)
    {
        var context = new Dictionary<string, object?>
        {
            ["messages"] = input.Messages.Select(ToTemplateMessage).ToList(),
            // transformers passes tools=None when there are none; templates test "tools is not none".
            ["tools"] = input.Tools.Count == 0 ? null : input.Tools.Select(t => (object?)t.Raw).ToList(),
            ["add_generation_prompt"] = input.AddGenerationPrompt,
            ["bos_token"] = input.BosToken,
            ["eos_token"] = input.EosToken,
        };
        foreach (var (name, value) in input.Variables)
        {
            context[name] = value;
        }

        try
        {
            return _template.Render(context);
        }
        catch (JinjaRenderException ex)
        {
            throw new TemplateException(ex.RaisedMessage ?? $"The chat template failed: {ex}", ex);
        }
        catch (JinjaLimitException ex)
        {
            throw new TemplateException($"The chat template exceeded a safety limit: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// A message as the template sees it: only the keys that are set (templates test "is defined"), and tool-call
    /// arguments parsed into objects, as HF templates expect.
    /// </summary>
    private static Dictionary<string, object?> ToTemplateMessage(ChatMessage message)
    {
        var result = new Dictionary<string, object?>
        {
            ["role"] = message.Role switch
            {
                ChatRole.System => "system",
                ChatRole.User => "user",
                ChatRole.Assistant => "assistant",
                _ => "tool",
            },
            ["content"] = message.Content,
        };
        if (message.ToolCalls.Count > 0)
        {
            result["tool_calls"] = message.ToolCalls.Select(call => (object?)new Dictionary<string, object?>
            {
                ["id"] = call.Id,
                ["type"] = "function",
                ["function"] = new Dictionary<string, object?>
                {
                    ["name"] = call.Name,
                    ["arguments"] = ParseArguments(call.ArgumentsJson),
                },
            }).ToList();
        }

        if (message.ToolCallId is not null)
        {
            result["tool_call_id"] = message.ToolCallId;
        }

        if (message.Name is not null)
        {
            result["name"] = message.Name;
        }

        if (message.ReasoningContent is not null)
        {
            result["reasoning_content"] = message.ReasoningContent;
        }

        return result;
    }

    /// <summary>Arguments as a JSON object when they are one; any other text is passed through as a string.</summary>
    private static object? ParseArguments(string json)
    {
        try
        {
            return JsonNode.Parse(json) is JsonObject parsed ? parsed : json;
        }
        catch (JsonException)
        {
            return json;
        }
    }
}
