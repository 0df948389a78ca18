using System.Globalization;
using AbstractEndpoint.WebUi.Tests.Infrastructure;
using OpenQA.Selenium;

namespace AbstractEndpoint.WebUi.Tests;

/// <summary>The chat page in a real browser against the real server: streaming, figures, stop, local storage.</summary>
[Collection(WebUiCollection.Name)]
public sealed class ChatPageTests(WebUiFixture fixture)
{
    [SkippableFact]
    public void A_message_gets_a_streamed_reply_with_its_figures_and_no_console_errors()
    {
        var (server, browser) = fixture.RequireBrowser();
        browser.Open(server.BaseAddress);

        // EOS banned: the reply is exactly max_tokens long, long enough (seconds on this model) to watch it grow.
        browser.ByTestId("max-tokens").SendKeys("400");
        browser.ByTestId("extra-json").SendKeys($"{{\"logit_bias\":{{\"{WebUiServer.EndToken}\":-100}}}}");
        browser.ByTestId("prompt").SendKeys("Once upon a time");
        browser.ByTestId("send").Click();

        // Streaming: text shows while the Stop button is still up, and more text arrives after it. One script
        // reads both at the same instant.
        long partial = 0;
        var stillStreaming = false;
        HeadlessChromium.WaitUntil(() =>
        {
            var seen = (IReadOnlyCollection<object>)browser.Driver.ExecuteScript(
                "const r = document.querySelectorAll(\"[data-testid='assistant-content']\");" +
                "return [r.length ? r[r.length - 1].textContent.length : 0, !document.getElementById('stop').hidden];")!;
            partial = Convert.ToInt64(seen.First(), CultureInfo.InvariantCulture);
            stillStreaming = (bool)seen.Last();
            return partial > 0 || !stillStreaming;
        }, "the first streamed text");
        HeadlessChromium.WaitUntil(() => browser.ByTestId("send").Displayed, "the reply to end");
        var reply = ReplyText(browser);
        var final = Convert.ToInt64(browser.Driver.ExecuteScript(
            "const r = document.querySelectorAll(\"[data-testid='assistant-content']\"); return r[r.length - 1].textContent.length;"),
            CultureInfo.InvariantCulture);
        Assert.True(stillStreaming, "the reply should show text before it is complete");
        Assert.True(final > partial, $"the reply grew while streaming ({partial} → {final} characters)");

        var message = browser.AllByTestId("assistant-message").Single();
        Assert.Equal("400", Figure(message, "generated-tokens"));
        Assert.Equal("length", message.FindElement(By.CssSelector("[data-testid='finish-reason']")).Text);
        Assert.True(Number(Figure(message, "prompt-tokens")) > 0);
        Assert.True(Number(Figure(message, "ttft")) >= 0);
        var tokensPerSecond = Number(browser.AllByTestId("tokens-per-second")[^1].Text);
        Assert.True(tokensPerSecond > 0, $"tokens/s should be positive, was {tokensPerSecond}");
        browser.Screenshot("chat-reply");
        Assert.Empty(browser.ConsoleErrors());

        // The conversation is kept in local storage: a reload shows it again, figures included.
        browser.Driver.Navigate().Refresh();
        HeadlessChromium.WaitUntil(() => browser.AllByTestId("assistant-message").Count == 1, "the kept conversation");
        Assert.Equal(reply, ReplyText(browser));
        Assert.Equal("400", Figure(browser.AllByTestId("assistant-message").Single(), "generated-tokens"));
        Assert.Empty(browser.ConsoleErrors());
    }

    [SkippableFact]
    public async Task Stop_cancels_the_stream_and_the_server_frees_the_slot()
    {
        var (server, browser) = fixture.RequireBrowser();
        browser.Open(server.BaseAddress);
        var before = (await server.StatusAsync()).GetProperty("generated_tokens_total").GetInt64();

        // A reply that runs for seconds even on a fast, idle machine (this model makes about 1,000 tokens/s on one
        // thread there), so the slot is still generating when Stop is clicked.
        const int maxTokens = 4000;
        browser.ByTestId("max-tokens").SendKeys(maxTokens.ToString(CultureInfo.InvariantCulture));
        browser.ByTestId("extra-json").SendKeys($"{{\"logit_bias\":{{\"{WebUiServer.EndToken}\":-100}}}}");
        browser.ByTestId("prompt").SendKeys("Once upon a time");
        browser.ByTestId("send").Click();
        try
        {
            HeadlessChromium.WaitUntil(() => ReplyText(browser).Length > 0, "the first streamed text");
        }
        catch (TimeoutException timeout)
        {
            // Say what the page showed instead (an error from the server, or nothing at all) and what the slots did.
            var shown = string.Join(" | ", browser.AllByTestId("assistant-message").Select(m => m.Text));
            throw new TimeoutException($"{timeout.Message} The page showed: '{shown}'; slots: {string.Join(",", await server.SlotStatesAsync())}.", timeout);
        }

        Assert.Contains("generating", await server.SlotStatesAsync());

        browser.ByTestId("stop").Click();
        HeadlessChromium.WaitUntil(() => browser.ByTestId("send").Displayed, "the Send button to come back");
        Assert.Equal("stopped", browser.AllByTestId("assistant-message").Single()
            .FindElement(By.CssSelector("[data-testid='finish-reason']")).Text);

        // The server noticed the closed stream: every slot is idle again and generation stopped short.
        var idle = false;
        for (var attempt = 0; attempt < 100 && !idle; attempt++)
        {
            idle = (await server.SlotStatesAsync()).All(s => s == "idle");
            await Task.Delay(50);
        }

        Assert.True(idle, "every slot should be idle soon after Stop");
        var afterStop = (await server.StatusAsync()).GetProperty("generated_tokens_total").GetInt64();
        await Task.Delay(500);
        var later = (await server.StatusAsync()).GetProperty("generated_tokens_total").GetInt64();
        Assert.Equal(afterStop, later);
        Assert.InRange(afterStop - before, 1, maxTokens - 1);
        browser.Screenshot("chat-stopped");
        Assert.Empty(browser.ConsoleErrors());
    }

    [SkippableFact]
    public void A_system_prompt_and_an_api_key_travel_with_the_request_and_markdown_is_rendered_safely()
    {
        var (server, browser) = fixture.RequireBrowser();
        browser.Open(server.BaseAddress);

        // The page's own renderer: escaped HTML, code blocks, inline code, lists, emphasis, safe links only.
        var html = (string)browser.Driver.ExecuteScript(
            "return Markdown.render(arguments[0]);",
            "Hi <b>x</b> **bold** *em* `a<b`\n\n```js\nlet a = 1 < 2;\n```\n- one\n- two\n\n1. first\n\n[ok](https://example.org) [bad](javascript:alert(1))")!;
        Assert.Contains("Hi &lt;b&gt;x&lt;/b&gt; <strong>bold</strong> <em>em</em> <code>a&lt;b</code>", html, StringComparison.Ordinal);
        Assert.Contains("<pre class=\"code\" data-lang=\"js\"><code>let a = 1 &lt; 2;</code></pre>", html, StringComparison.Ordinal);
        Assert.Contains("<ul><li>one</li><li>two</li></ul>", html, StringComparison.Ordinal);
        Assert.Contains("<ol><li>first</li></ol>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://example.org\" target=\"_blank\" rel=\"noopener noreferrer\">ok</a>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"javascript", html, StringComparison.Ordinal);

        // What the page sends: capture the request body and headers by wrapping fetch.
        browser.Driver.ExecuteScript(
            "localStorage.setItem('acore.webui.apiKey', JSON.stringify('sk-test'));" +
            "window.__sent = []; const f = window.fetch; window.fetch = (u, o) => {" +
            " if (String(u).includes('chat/completions')) window.__sent.push({ body: o.body, auth: o.headers.Authorization });" +
            " return f(u, o); };");
        browser.ByTestId("system-prompt").SendKeys("You tell short stories.");
        browser.ByTestId("temperature").SendKeys("0");
        browser.ByTestId("max-tokens").SendKeys("8");
        browser.ByTestId("prompt").SendKeys("Once upon a time");
        browser.ByTestId("send").Click();
        HeadlessChromium.WaitUntil(() => browser.AllByTestId("tokens-per-second").Count == 1 && browser.ByTestId("send").Displayed, "the reply");

        var sent = (IReadOnlyCollection<object>)browser.Driver.ExecuteScript("return window.__sent;")!;
        var request = (IDictionary<string, object>)sent.Single();
        Assert.Equal("Bearer sk-test", request["auth"]);
        using var body = System.Text.Json.JsonDocument.Parse((string)request["body"]);
        var root = body.RootElement;
        Assert.True(root.GetProperty("stream").GetBoolean());
        Assert.True(root.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
        Assert.Equal(0, root.GetProperty("temperature").GetDouble());
        Assert.Equal(8, root.GetProperty("max_tokens").GetInt32());
        Assert.Equal("system", root.GetProperty("messages")[0].GetProperty("role").GetString());
        Assert.Equal("You tell short stories.", root.GetProperty("messages")[0].GetProperty("content").GetString());
        Assert.Equal("Once upon a time", root.GetProperty("messages")[1].GetProperty("content").GetString());
        Assert.Empty(browser.ConsoleErrors());
    }

    [SkippableFact]
    public void A_tool_call_is_shown_as_a_call_with_its_arguments()
    {
        var (server, browser) = fixture.RequireBrowser();
        browser.Open(server.BaseAddress);

        // A named tool_choice makes the real server's grammar force a call, whatever this tiny model would say.
        const string extra = """
            {"temperature": 0, "max_tokens": 300,
             "tools": [{"type": "function", "function": {"name": "get_weather", "description": "The weather in a city",
               "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}],
             "tool_choice": {"type": "function", "function": {"name": "get_weather"}}}
            """;
        browser.Driver.ExecuteScript("document.getElementById('extra-json').value = arguments[0];", extra);
        browser.ByTestId("prompt").SendKeys("What is the weather in Paris?");
        browser.ByTestId("send").Click();
        HeadlessChromium.WaitUntil(() => browser.AllByTestId("finish-reason").Count == 1, "the reply to end");

        var message = browser.AllByTestId("assistant-message").Single();
        Assert.Equal("tool_calls", Figure(message, "finish-reason"));
        var call = message.FindElement(By.CssSelector("[data-testid='tool-call']"));
        Assert.Equal("Tool call: get_weather", call.FindElement(By.ClassName("tool-name")).Text);
        using var arguments = System.Text.Json.JsonDocument.Parse(call.FindElement(By.TagName("pre")).Text);
        Assert.Equal(System.Text.Json.JsonValueKind.String, arguments.RootElement.GetProperty("city").ValueKind);
        browser.Screenshot("chat-tool-call");
        Assert.Empty(browser.ConsoleErrors());
    }

    [SkippableFact]
    public void The_console_check_sees_errors()
    {
        // The "no console errors" assertions above rely on this: a script error and a failed request both show.
        var (server, browser) = fixture.RequireBrowser();
        browser.Open(server.BaseAddress);
        browser.Driver.ExecuteScript("console.error('webui-test-error'); fetch('no-such-route');");
        var errors = new List<string>();
        HeadlessChromium.WaitUntil(() =>
        {
            errors.AddRange(browser.ConsoleErrors());
            return errors.Count >= 2;
        }, "two console errors");
        Assert.Contains(errors, e => e.Contains("webui-test-error", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("404", StringComparison.Ordinal));
    }

    // Found and read in one script: while a reply streams, the page re-renders it at every token, faster than
    // finding the element and reading its text in two WebDriver calls (which then failed as stale, every time).
    private static string ReplyText(HeadlessChromium browser) =>
        (string)browser.Driver.ExecuteScript(
            "const r = document.querySelectorAll(\"[data-testid='assistant-content']\"); return r.length ? r[r.length - 1].innerText : '';")!;

    private static string Figure(IWebElement message, string testId) =>
        message.FindElement(By.CssSelector($"[data-testid='{testId}']")).Text;

    private static double Number(string text) =>
        double.Parse(text.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
}
