namespace AbstractEndpoint.Bench.Load;

/// <summary>An OpenAI-compatible endpoint under test.</summary>
/// <param name="Label">"A" or "B" in reports.</param>
/// <param name="BaseUrl">The /v1 base, e.g. http://127.0.0.1:8001/v1.</param>
/// <param name="Model">The model name to send; null asks the server (GET /models) and falls back to "default".</param>
/// <param name="ApiKey">Sent as a bearer token when set.</param>
internal sealed record LoadTarget(string Label, Uri BaseUrl, string? Model, string? ApiKey = null)
{
    public Uri ChatCompletionsUrl => Append("chat/completions");

    public Uri ModelsUrl => Append("models");

    private Uri Append(string path) => new(BaseUrl.AbsoluteUri.TrimEnd('/') + "/" + path);
}
