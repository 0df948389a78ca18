using AbstractEndpoint.Jinja;

namespace AbstractEndpoint.Prompting.Templates;

/// <summary>
/// Chooses the chat template: an explicit override (a built-in name, inline Jinja, or a file) wins; else the
/// model's own template; else ChatML. A model template that cannot be parsed falls back to ChatML with a
/// warning (a GGUF file is untrusted input); a bad override is the user's mistake and stops the server.
/// </summary>
public static class ChatTemplateResolver
{
    /// <summary>Built-in templates by name.</summary>
    public static IReadOnlyList<string> BuiltInNames { get; } = ["chatml"];

    /// <param name="overrideNameOrJinja"><c>--chat-template</c>: a built-in name or inline Jinja.</param>
    /// <param name="overrideFile"><c>--chat-template-file</c>.</param>
    /// <param name="modelTemplate">The GGUF's <c>tokenizer.chat_template</c>.</param>
    /// <param name="warn">Receives the reason when the server falls back to ChatML.</param>
    /// <exception cref="ArgumentException">The override names no built-in template, or its Jinja does not parse.</exception>
    public static IChatTemplate Resolve(string? overrideNameOrJinja, string? overrideFile, string? modelTemplate, Action<string> warn)
    {
        ArgumentNullException.ThrowIfNull(warn);
        if (overrideFile is not null)
        {
            return ParseOverride(Path.GetFileName(overrideFile), File.ReadAllText(overrideFile));
        }

        if (overrideNameOrJinja is { } value)
        {
            if (value.Equals("chatml", StringComparison.OrdinalIgnoreCase))
            {
                return new ChatMlTemplate();
            }

            if (!value.Contains("{{", StringComparison.Ordinal) && !value.Contains("{%", StringComparison.Ordinal))
            {
                throw new ArgumentException(
                    $"Unknown chat template '{value}'. Built-in templates: {string.Join(", ", BuiltInNames)}; " +
                    "or pass inline Jinja, or --chat-template-file FILE.");
            }

            return ParseOverride("inline", value);
        }

        if (modelTemplate is null)
        {
            warn("the model has no chat template");
            return new ChatMlTemplate();
        }

        try
        {
            return JinjaChatTemplate.Parse("model", modelTemplate);
        }
        catch (JinjaException ex)
        {
            warn($"the model's chat template cannot be used ({ex.Message})");
            return new ChatMlTemplate();
        }
    }

    private static JinjaChatTemplate ParseOverride(string name, string source)
    {
        try
        {
            return JinjaChatTemplate.Parse(name, source);
        }
        catch (JinjaException ex)
        {
            throw new ArgumentException($"The chat template '{name}' is not valid Jinja: {ex}", ex);
        }
    }
}
