namespace AbstractEndpoint.Core.Errors;

/// <summary>Something the request names by id (a stored response) does not exist, or no longer does: a 404.</summary>
public sealed class NotFoundException(string message, string? param = null, string? code = null)
    : EndpointException(message, param, code);
