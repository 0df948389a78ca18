using System.Buffers;
using System.Text;
using AbstractEndpoint.Core.Backends;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Protocol.OpenAI;

namespace AbstractEndpoint.Host.Hosting;

/// <summary>
/// One tiny chat, run before the server reports ready, through every step a first request takes: the body parsed,
/// the template rendered, the prompt tokenized, one decode and one sample on the loop, the reply encoded both ways.
/// Without it the first client pays for just-in-time compilation and llama.cpp's first graph (measured at 0.1–1 s
/// on the tiny model against 2–7 ms for the requests after it); with it that cost moves into start-up, where a
/// client polling <c>/health</c> does not see it.
/// </summary>
/// <remarks>
/// It talks to the backend directly, not over HTTP, so it is neither metered nor logged as a request; its caller then
/// frees the slot it used, so the server starts with an empty KV cache as it would without it. Only a user turn is
/// sent: some templates refuse a system turn, and a template that refuses even this is the first request's to report.
/// </remarks>
internal static class StartupWarmup
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes(
        """{"model":"warm-up","messages":[{"role":"user","content":"Hello"}],"max_tokens":1,"temperature":0}""");

    /// <summary>Runs the warm-up chat to its end and returns how many tokens it generated.</summary>
    public static async Task<int> RunAsync(IChatBackend backend, CancellationToken cancellationToken)
    {
        var parsed = ChatCompletionRequestParser.Parse(Body);
        var request = parsed.Request;
        var encoder = new ChatCompletionEncoder(backend.ModelId);
        var output = new ArrayBufferWriter<byte>();
        var text = new StringBuilder();
        var generated = 0;
        encoder.WriteRoleChunk(output);
        await foreach (var update in backend.StreamAsync(request, cancellationToken).ConfigureAwait(false))
        {
            switch (update)
            {
                case ContentDelta delta:
                    text.Append(delta.Text);
                    encoder.WriteContentChunk(output, delta.Text);
                    break;
                case ChatFinished finished:
                    generated += finished.Usage.CompletionTokens;
                    encoder.WriteFinishChunk(output, finished.Reason, finished.Choice, logprobs: null, finished.Telemetry);
                    encoder.WriteUsageChunk(output, finished.Usage, finished.Telemetry);
                    encoder.WriteCompletion(output, text.ToString(), finished.Reason, finished.Usage);
                    break;
            }
        }

        return generated;
    }
}
