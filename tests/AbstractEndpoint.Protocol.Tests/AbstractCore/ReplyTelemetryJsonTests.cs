using System.Buffers;
using System.Text.Json;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Protocol.AbstractCore;

namespace AbstractEndpoint.Protocol.Tests.AbstractCore;

public sealed class ReplyTelemetryJsonTests
{
    private static string Written(ReplyTelemetry telemetry)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            ReplyTelemetryJson.Write(json, telemetry);
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void What_is_written_reads_back_the_same()
    {
        var telemetry = new ReplyTelemetry(new ExecutionReport(3, 0.125, 0.5), new PromptCacheReport("k1", PromptCacheOutcome.HitExtend, 12, 4));
        using var document = JsonDocument.Parse(Written(telemetry));

        Assert.Equal(telemetry, ReplyTelemetryJson.Read(document.RootElement.GetProperty("abstractcore")));
    }

    [Theory]
    [InlineData("""{"prompt_cache":{"key":"k","outcome":"cold"}}""")]
    [InlineData("""{"execution":1}""")]
    [InlineData("\"text\"")]
    public void An_object_without_an_execution_report_is_no_telemetry(string json)
    {
        using var document = JsonDocument.Parse(json);

        Assert.Null(ReplyTelemetryJson.Read(document.RootElement));
    }

    [Fact]
    public void A_cache_outcome_this_server_does_not_know_leaves_the_cache_report_out()
    {
        using var document = JsonDocument.Parse("""{"execution":{"peak_batch_size":1,"queue_s":0,"ttft_s":0.1},"prompt_cache":{"key":"k","outcome":"warp"}}""");

        Assert.Equal(new ReplyTelemetry(new ExecutionReport(1, 0, 0.1)), ReplyTelemetryJson.Read(document.RootElement));
    }
}
