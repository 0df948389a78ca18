using System.Buffers;
using System.Text.Json;
using AbstractEndpoint.Core.Completion;

namespace AbstractEndpoint.Protocol.OpenAI.Upstream;

/// <summary>
/// Writes a domain <see cref="TextCompletionRequest"/> (one prompt) as the body of an OpenAI <c>POST /completions</c>
/// for an upstream provider: the prompt as text or token ids, <c>suffix</c>, <c>n</c>, the shared sampling and stopping
/// fields (<see cref="UpstreamGenerationFields"/>), the legacy <c>logprobs</c> count, and a raw <c>grammar</c> or
/// <c>cache_prompt: false</c> only when the client gave them. Always a stream with usage, as for chat. <c>echo</c> and
/// <c>best_of</c> are not sent: this server echoes the prompt and picks the best choices itself.
/// </summary>
public static class CompletionRequestWireWriter
{
    public static byte[] Write(TextCompletionRequest request, string model)
    {
        ArgumentNullException.ThrowIfNull(request);
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("model", model);
            WritePrompt(json, request.Prompt);
            if (request.Suffix is { } suffix)
            {
                json.WriteString("suffix", suffix);
            }

            if (request.Choices != 1)
            {
                json.WriteNumber("n", request.Choices);
            }

            UpstreamGenerationFields.WriteSampling(json, request.Sampling);
            if (request.Sampling.TopLogprobs is { } top)
            {
                // The legacy spelling: how many alternatives per token (0 still returns the chosen token's own).
                json.WriteNumber("logprobs", top);
            }

            UpstreamGenerationFields.WriteLimits(json, request.Limits);
            if (request.Sampling.Grammar is { } grammar)
            {
                json.WriteString("grammar", grammar.Gbnf);
            }

            if (!request.ReuseCachedPrompt)
            {
                json.WriteBoolean("cache_prompt", false);
            }

            UpstreamGenerationFields.WriteStreamWithUsage(json);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WritePrompt(Utf8JsonWriter json, TextPrompt prompt)
    {
        if (prompt.Text is { } text)
        {
            json.WriteString("prompt", text);
            return;
        }

        json.WriteStartArray("prompt");
        foreach (var token in prompt.Tokens!)
        {
            json.WriteNumberValue(token);
        }

        json.WriteEndArray();
    }
}
