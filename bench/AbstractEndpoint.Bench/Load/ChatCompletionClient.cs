using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace AbstractEndpoint.Bench.Load;

/// <summary>
/// Sends one <c>/v1/chat/completions</c> request with a raw <see cref="HttpClient"/> and times it. Server-sent events
/// are read line by line as they arrive, so the first-token time is taken when the first chunk carrying text is
/// received, not when some client library decides to surface it.
/// </summary>
internal sealed class ChatCompletionClient(HttpClient http, LoadTestOptions options)
{
    /// <summary>The model a target serves: its configured name, else the first id of GET /models, else "default".</summary>
    public async Task<string> ResolveModelAsync(LoadTarget target, CancellationToken cancellationToken)
    {
        if (target.Model is not null)
        {
            return target.Model;
        }

        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, target.ModelsUrl);
            Authorize(request, target);
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
                if (document.RootElement.TryGetProperty("data", out var data) && data.GetArrayLength() > 0 &&
                    data[0].TryGetProperty("id", out var id) && id.GetString() is { Length: > 0 } name)
                {
                    return name;
                }
            }
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or InvalidOperationException)
        {
            // Not every server lists models; the request itself will tell whether the name matters.
        }

        return "default";
    }

    public async Task<RequestMeasurement> SendAsync(
        LoadTarget target, string model, string prompt, int maxTokens, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, target.ChatCompletionsUrl)
        {
            Content = new ByteArrayContent(BuildBody(model, prompt, maxTokens)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (options.Stream)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        }

        request.Headers.ConnectionClose = options.ConnectionClose ? true : null;
        Authorize(request, target);
        // HttpClient.Timeout stops at the response headers; this one also bounds reading a stalled stream.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.RequestTimeout);
        var token = timeout.Token;
        var start = Stopwatch.GetTimestamp();
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token);
            if (!response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsStringAsync(token);
                return Failed(start, $"HTTP {(int)response.StatusCode}: {Abbreviate(body)}");
            }

            return options.Stream
                ? await ReadEventStreamAsync(response, start, token)
                : await ReadWholeResponseAsync(response, start, token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Failed(start, $"timed out after {options.RequestTimeout.TotalSeconds:F0} s");
        }
        catch (Exception e) when (e is HttpRequestException or IOException or JsonException)
        {
            return Failed(start, Describe(e));
        }
    }

    /// <summary>The exception and its causes: "an error occurred while sending the request" alone says nothing.</summary>
    internal static string Describe(Exception error)
    {
        var text = new StringBuilder($"{error.GetType().Name}: {error.Message}");
        for (var cause = error.InnerException; cause is not null; cause = cause.InnerException)
        {
            text.Append(CultureInfo.InvariantCulture, $" <- {cause.GetType().Name}: {cause.Message}");
        }

        return text.ToString();
    }

    internal byte[] BuildBody(string model, string prompt, int maxTokens)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("model", model);
            json.WriteStartArray("messages");
            json.WriteStartObject();
            json.WriteString("role", "user");
            json.WriteString("content", prompt);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteNumber("max_tokens", maxTokens);
            json.WriteBoolean("stream", options.Stream);
            if (options.Stream)
            {
                json.WriteStartObject("stream_options");
                json.WriteBoolean("include_usage", true);
                json.WriteEndObject();
            }

            if (options.Temperature is { } temperature)
            {
                json.WriteNumber("temperature", temperature);
            }

            // End-of-text suppressed, so every request generates exactly max_tokens and runs are comparable.
            json.WriteStartObject("logit_bias");
            foreach (var id in options.SuppressedTokenIds)
            {
                json.WriteNumber(id.ToString(CultureInfo.InvariantCulture), -100);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static async Task<RequestMeasurement> ReadEventStreamAsync(
        HttpResponseMessage response, long start, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var chunkTimes = new List<double>();
        int? promptTokens = null;
        int? completionTokens = null;
        string? finishReason = null;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            var arrived = Stopwatch.GetElapsedTime(start).TotalSeconds;
            if (!line.StartsWith("data:", StringComparison.Ordinal))
            {
                continue; // blank separators, comments (": ping"), "event:" and "id:" lines
            }

            var data = line.AsSpan(5).Trim();
            if (data.SequenceEqual("[DONE]"))
            {
                break;
            }

            var chunk = ChatCompletionChunk.Parse(data.ToString());
            if (chunk.Error is not null)
            {
                return Failed(start, "error event: " + Abbreviate(chunk.Error));
            }

            if (!string.IsNullOrEmpty(chunk.Content))
            {
                chunkTimes.Add(arrived);
            }

            finishReason = chunk.FinishReason ?? finishReason;
            promptTokens = chunk.PromptTokens ?? promptTokens;
            completionTokens = chunk.CompletionTokens ?? completionTokens;
        }

        return new RequestMeasurement
        {
            TimeToFirstToken = chunkTimes.Count > 0 ? chunkTimes[0] : null,
            ContentChunkTimes = chunkTimes,
            CompletionTokens = completionTokens ?? chunkTimes.Count,
            TokensFromUsage = completionTokens is not null,
            PromptTokens = promptTokens,
            FinishReason = finishReason,
            Duration = Stopwatch.GetElapsedTime(start).TotalSeconds,
        };
    }

    private static async Task<RequestMeasurement> ReadWholeResponseAsync(
        HttpResponseMessage response, long start, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var duration = Stopwatch.GetElapsedTime(start).TotalSeconds;
        ChatCompletionChunk chunk;
        try
        {
            chunk = ChatCompletionChunk.Parse(body);
        }
        catch (JsonException)
        {
            var type = response.Content.Headers.ContentType?.MediaType ?? "no content type";
            return Failed(start, $"expected a JSON response, got {type}: {Abbreviate(body)}");
        }

        if (chunk.Error is not null)
        {
            return Failed(start, Abbreviate(chunk.Error));
        }

        return new RequestMeasurement
        {
            TimeToFirstToken = duration,
            CompletionTokens = chunk.CompletionTokens ?? (string.IsNullOrEmpty(chunk.Content) ? 0 : 1),
            TokensFromUsage = chunk.CompletionTokens is not null,
            PromptTokens = chunk.PromptTokens,
            FinishReason = chunk.FinishReason,
            Duration = duration,
        };
    }

    private static void Authorize(HttpRequestMessage request, LoadTarget target)
    {
        if (target.ApiKey is { Length: > 0 } key)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
    }

    private static RequestMeasurement Failed(long start, string error) =>
        new() { Error = error, Duration = Stopwatch.GetElapsedTime(start).TotalSeconds };

    private static string Abbreviate(string text) =>
        text.Length <= 300 ? text.ReplaceLineEndings(" ") : text[..300].ReplaceLineEndings(" ") + "…";
}
