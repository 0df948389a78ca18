namespace AbstractEndpoint.Prompting.Templates;

/// <summary>Turns a conversation into the prompt text the model was trained on. Implementations are thread-safe.</summary>
public interface IChatTemplate
{
    /// <summary>A short name for logs (<c>model</c>, <c>chatml</c>, a file name…).</summary>
    string Name { get; }

    /// <summary>Renders the prompt; a conversation the template refuses throws <see cref="Core.Errors.TemplateException"/>.</summary>
    string Render(ChatTemplateInput input);
}
