using AbstractEndpoint.Host.Options;

namespace AbstractEndpoint.Server.Tests.Infrastructure;

/// <summary>
/// stories260K served with a Hermes-style chat template (<c>&lt;tool_call&gt;{…}&lt;/tool_call&gt;</c>, as Hermes 2/3 and
/// Qwen 2.5 write calls): a model that knows nothing of tools, so every call it makes is the grammar's doing.
/// Skipped without ../shared.
/// </summary>
public sealed class HermesStoriesServerFixture : IAsyncLifetime
{
    /// <summary>A compact Hermes template: tools in the system turn, ChatML turns, calls in &lt;tool_call&gt; tags.</summary>
    public const string Template = """
        {%- if tools %}<|im_start|>system
        You may call functions. Here they are: <tools>{% for tool in tools %}{{ tool | tojson }}{% endfor %}</tools>
        For each call, return <tool_call>{"name": <function-name>, "arguments": <args-json-object>}</tool_call><|im_end|>
        {% endif %}
        {%- for message in messages %}<|im_start|>{{ message.role }}
        {% if message.content %}{{ message.content }}{% endif %}
        {%- for call in message.tool_calls | default([]) %}<tool_call>{"name": "{{ call.function.name }}", "arguments": {{ call.function.arguments | tojson }}}</tool_call>{% endfor %}<|im_end|>
        {% endfor %}
        {%- if add_generation_prompt %}<|im_start|>assistant
        {% endif %}
        """;

    public string ModelId => "stories260K-hermes";

    public RunningServer? Server { get; private set; }

    public async Task InitializeAsync()
    {
        if (TestModels.Stories260K is not { } path)
        {
            return;
        }

        Server = await RunningServer.StartAsync(new EndpointOptions
        {
            Model = path,
            Alias = ModelId,
            Parallel = 2,
            ContextSize = 2048,
            Threads = 2,
            ChatTemplate = Template,
        }).ConfigureAwait(false);
    }

    public async Task DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync().ConfigureAwait(false);
        }
    }

    public RunningServer Require()
    {
        Skip.If(Server is null, "needs ../shared/models/stories260K.gguf; " + TestSupport.SharedAssets.MissingReason);
        return Server!;
    }
}

[CollectionDefinition(Name)]
public sealed class HermesStoriesServerCollection : ICollectionFixture<HermesStoriesServerFixture>
{
    public const string Name = "stories260K server with a Hermes template";
}
