namespace AbstractEndpoint.Core.Errors;

/// <summary>The client sent something we cannot serve: a 400 with OpenAI's <c>invalid_request_error</c>.</summary>
public class InvalidRequestException(string message, string? param = null, string? code = null, Exception? inner = null)
    : EndpointException(message, param, code, inner);
