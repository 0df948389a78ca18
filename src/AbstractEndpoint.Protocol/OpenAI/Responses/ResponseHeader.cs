namespace AbstractEndpoint.Protocol.OpenAI.Responses;

/// <summary>What a response is before any output: its id, model, creation time and the parameters it echoes.</summary>
/// <param name="Id">The response id (<c>resp_…</c>).</param>
/// <param name="Model">The served model id.</param>
/// <param name="CreatedAt">Unix seconds.</param>
/// <param name="Settings">The request's parameters, as the response repeats them.</param>
public sealed record ResponseHeader(string Id, string Model, long CreatedAt, ResponseSettings Settings);
