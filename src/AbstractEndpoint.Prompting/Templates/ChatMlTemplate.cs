using System.Text;
using AbstractEndpoint.Core.Chat;

namespace AbstractEndpoint.Prompting.Templates;

/// <summary>
/// ChatML (<c>&lt;|im_start|&gt;role\ncontent&lt;|im_end|&gt;\n</c>), written in code rather than Jinja: it is
/// the fallback when a model has no template or its template cannot be used, so it must not depend on the
/// template engine that just failed.
/// </summary>
public sealed class ChatMlTemplate : IChatTemplate
{
    public string Name => "chatml";

    public string Render(ChatTemplateInput input)
    {
        var prompt = new StringBuilder();
        foreach (var message in input.Messages)
        {
            prompt.Append("<|im_start|>").Append(RoleName(message.Role)).Append('\n')
                .Append(message.Content).Append("<|im_end|>\n");
        }

        if (input.AddGenerationPrompt)
        {
            prompt.Append("<|im_start|>assistant\n");
        }

        return prompt.ToString();
    }

    private static string RoleName(ChatRole role) => role switch
    {
        ChatRole.System => "system",
        ChatRole.User => "user",
        ChatRole.Assistant => "assistant",
        _ => "tool",
    };
}
