namespace AbstractEndpoint.Core.Errors;

/// <summary>
/// The model's chat template refused the conversation (e.g. <c>raise_exception("roles must alternate")</c>):
/// the request is at fault, so it is a 400 carrying the template's own message.
/// </summary>
public sealed class TemplateException(string message, Exception? inner = null)
    : InvalidRequestException(message, "messages", "chat_template_error", inner);
