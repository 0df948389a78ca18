using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Prompting.Templates;

namespace AbstractEndpoint.Engine.Tests.Fakes;

/// <summary>
/// A plain "role: content" template. With <see cref="WritesBos"/> it starts the prompt with the BOS text it is
/// given, as many Jinja templates do (<c>{{ bos_token }}</c>). Remembers the last input.
/// </summary>
public sealed class FakeChatTemplate : IChatTemplate
{
    public bool WritesBos { get; init; }

    public ChatTemplateInput? LastInput { get; private set; }

    /// <summary>Written after the generation prompt, as a reasoning template opens its block there (<c>&lt;think&gt;\n</c>).</summary>
    public string GenerationPromptSuffix { get; set; } = "";

    public string Name => "fake";

    public string Render(ChatTemplateInput input)
    {
        LastInput = input;
        var lines = input.Messages.Select(m => $"{m.Role.ToString().ToLowerInvariant()}: {m.Content}");
        var prompt = string.Join("\n", lines) + (input.AddGenerationPrompt ? "\nassistant:" + GenerationPromptSuffix : "");
        return WritesBos ? input.BosToken + prompt : prompt;
    }

    /// <summary>A one-message request.</summary>
    public static ChatRequest UserRequest(string content, int? maxOutputTokens = null) => new()
    {
        Messages = [new ChatMessage(ChatRole.User, content)],
        Limits = new() { MaxOutputTokens = maxOutputTokens },
    };
}
