#pragma warning disable OPENAI001 // The SDK marks its Responses client experimental.

using System.ClientModel;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AbstractEndpoint.Host.Options;
using AbstractEndpoint.Server.Tests.Infrastructure;
using OpenAI.Responses;

namespace AbstractEndpoint.Server.Tests.Responses;

/// <summary>
/// Stored responses keep their conversation's KV state in server-managed caches: on one slot (<c>--parallel 1</c>)
/// that other prompts have taken since, a <c>previous_response_id</c> continuation still starts from the first turn's
/// cells; deleting a response frees its state; a state dropped beyond <c>--responses-kv-states</c> is re-prefilled
/// from the stored turns; and none of it shows in the client's prompt-cache stats. The official OpenAI SDK's
/// Responses client on stories260K. Skipped without ../shared.
/// </summary>
public sealed class ResponseKvStateTests : IAsyncLifetime
{
    private const int States = 2;

    // Long enough that a continuation without the state would recompute far more than it reuses.
    private const string FirstTurn =
        "Once upon a time there was a little girl named Lily who loved to play in the park with her red ball and her "
        + "small brown dog. One sunny day she saw a big tree with a swing and she ran to it as fast as she could.";

    private RunningServer? _server;

    public async Task InitializeAsync()
    {
        if (TestModels.Stories260K is not { } path)
        {
            return;
        }

        _server = await RunningServer.StartAsync(new EndpointOptions
        {
            Model = path,
            Parallel = 1,
            ContextSize = 2048,
            Threads = 2,
            ResponsesKvStates = States,
            // No automatic prompt cache in host memory: it would restore a dropped state's prefix on its own, and
            // this class tests what the states themselves do.
            CacheRamBytes = 0,
        });
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private RunningServer Server
    {
        get
        {
            Skip.If(_server is null, "needs ../shared/models/stories260K.gguf; " + TestSupport.SharedAssets.MissingReason);
            return _server!;
        }
    }

    private ResponsesClient Client() => new(
        new ApiKeyCredential("unused"),
        new ResponsesClientOptions { Endpoint = new Uri(Server.BaseAddress, "v1"), NetworkTimeout = TimeSpan.FromMinutes(5) });

    private static CreateResponseOptions Turn(string text, string? previous = null) =>
        new("stories", [ResponseItem.CreateUserMessageItem(text)]) { MaxOutputTokenCount = 12, Temperature = 0, PreviousResponseId = previous };

    [SkippableFact]
    public async Task A_continuation_forks_the_stored_state_after_other_prompts_took_the_slot_and_delete_frees_it()
    {
        var client = Client();
        ResponseResult first = await client.CreateResponseAsync(Turn(FirstTurn));
        await TakeTheSlotAsync();

        ResponseResult second = await client.CreateResponseAsync(Turn("And then?", first.Id));

        // The only slot holds another prompt now: the reuse can only come from the first response's state.
        Assert.True(second.Usage.InputTokenDetails.CachedTokenCount >= first.Usage.InputTokenCount * 9 / 10,
            $"cached {second.Usage.InputTokenDetails.CachedTokenCount} of {second.Usage.InputTokenCount}; first turn {first.Usage.InputTokenCount}");
        Assert.True(second.Usage.InputTokenCount > first.Usage.InputTokenCount + first.Usage.OutputTokenCount / 2);
        Assert.False(string.IsNullOrEmpty(second.GetOutputText()));

        // Both responses hold a state (the two most recent ones); deleting each frees its own.
        Assert.Equal(2, await StatesHeldAsync());
        Assert.Empty((await StatsAsync()).GetProperty("keys").EnumerateArray());
        await client.DeleteResponseAsync(second.Id);
        Assert.Equal(1, await StatesHeldAsync());

        // The first response still continues from its own state, on a branch of its own.
        await TakeTheSlotAsync();
        ResponseResult branch = await client.CreateResponseAsync(Turn("What did the dog do?", first.Id));
        Assert.True(branch.Usage.InputTokenDetails.CachedTokenCount >= first.Usage.InputTokenCount * 9 / 10,
            $"cached {branch.Usage.InputTokenDetails.CachedTokenCount} of {branch.Usage.InputTokenCount}");

        await client.DeleteResponseAsync(branch.Id);
        await client.DeleteResponseAsync(first.Id);
        Assert.Equal(0, await StatesHeldAsync());
    }

    [SkippableFact]
    public async Task A_dropped_state_is_re_prefilled_from_the_stored_turns()
    {
        var client = Client();
        ResponseResult oldest = await client.CreateResponseAsync(Turn(FirstTurn));
        var later = new List<ResponseResult>();
        for (var i = 0; i < States; i++)
        {
            later.Add(await client.CreateResponseAsync(Turn($"Tom had {i + 2} cats that liked to sleep in the sun.")));
        }

        // Bounded: the oldest response's state was dropped for the newer ones; its record is still there.
        Assert.Equal(States, await StatesHeldAsync());
        await TakeTheSlotAsync();

        ResponseResult continued = await client.CreateResponseAsync(Turn("And then?", oldest.Id));

        Assert.Equal(oldest.Id, continued.PreviousResponseId);
        Assert.False(string.IsNullOrEmpty(continued.GetOutputText()));
        Assert.True(continued.Usage.InputTokenCount > oldest.Usage.InputTokenCount + oldest.Usage.OutputTokenCount / 2);
        Assert.True(continued.Usage.InputTokenDetails.CachedTokenCount < oldest.Usage.InputTokenCount / 2,
            $"cached {continued.Usage.InputTokenDetails.CachedTokenCount}: the state was expected to be gone");
        Assert.Equal(States, await StatesHeldAsync());

        foreach (var response in (ResponseResult[])[oldest, continued, .. later])
        {
            await client.DeleteResponseAsync(response.Id);
        }

        Assert.Equal(0, await StatesHeldAsync());
    }

    /// <summary>Different prompts through the one slot, so it no longer holds any response's cells.</summary>
    private async Task TakeTheSlotAsync()
    {
        foreach (var text in new[] { "The sky was blue and the sun was warm.", "A big fish swam in the pond near the old mill." })
        {
            using var reply = await Server.Http.PostAsJsonAsync("v1/chat/completions", new
            {
                model = "stories",
                messages = new[] { new { role = "user", content = text } },
                max_tokens = 4,
                temperature = 0,
            });
            Assert.True(reply.IsSuccessStatusCode, await reply.Content.ReadAsStringAsync());
        }
    }

    private async Task<int> StatesHeldAsync()
    {
        using var status = JsonDocument.Parse(await Server.Http.GetStringAsync("status"));
        return status.RootElement.GetProperty("responses_kv_states").GetInt32();
    }

    private async Task<JsonElement> StatsAsync()
    {
        var text = await Server.Http.GetStringAsync("acore/prompt_cache/stats");
        return JsonDocument.Parse(Encoding.UTF8.GetBytes(text)).RootElement.Clone().GetProperty("stats");
    }
}
