using System.Globalization;
using AbstractEndpoint.WebUi.Tests.Infrastructure;
using OpenQA.Selenium;

namespace AbstractEndpoint.WebUi.Tests;

/// <summary>The status view in a real browser: model facts, slots, named prompt caches with fork and clear, the chart.</summary>
[Collection(WebUiCollection.Name)]
public sealed class StatusViewTests(WebUiFixture fixture)
{
    [SkippableFact]
    public async Task The_status_view_lists_a_cache_made_through_the_api_and_forks_and_clears_it()
    {
        var (server, browser) = fixture.RequireBrowser();
        var created = await server.PromptCacheAsync("update", new { key = "webui-story", prompt = "Once upon a time there was a cat." });
        Assert.True(created.GetProperty("ok").GetBoolean());

        browser.Open(server.BaseAddress);
        browser.ByTestId("tab-status").Click();
        HeadlessChromium.WaitUntil(() => CacheRow(browser, "webui-story") is not null, "the cache row");
        var cells = CacheCells(browser, "webui-story");
        Assert.True(int.Parse(cells[1], System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture) > 0,
            "the cache holds the tokens of its conversation");
        Assert.Equal("kv", cells[2]);

        HeadlessChromium.WaitUntil(() => browser.AllByTestId("slot-row").Count == 2, "a row per slot");
        Assert.Contains("stories260K", browser.ByTestId("model-facts").Text, StringComparison.Ordinal);
        Assert.Contains(WebUiServer.ContextSize.ToString("N0", CultureInfo.InvariantCulture), browser.ByTestId("model-facts").Text, StringComparison.Ordinal);
        Assert.Contains("waiting for a slot", browser.ByTestId("queue-depth").Text, StringComparison.Ordinal);
        Assert.Contains("tokens/s", browser.ByTestId("aggregate-tokens-per-second").Text, StringComparison.Ordinal);

        // Fork through the page: the copy appears in the page and in the server's own stats.
        ClickInRow(browser, "webui-story", "cache-fork");
        var input = browser.ByTestId("ask-input");
        HeadlessChromium.WaitUntil(() => input.Displayed, "the fork dialog");
        input.Clear();
        input.SendKeys("webui-story-copy");
        browser.ByTestId("ask-ok").Click();
        HeadlessChromium.WaitUntil(() => CacheRow(browser, "webui-story-copy") is not null, "the forked cache's row");
        Assert.Contains("webui-story-copy", await server.PromptCacheKeysAsync());
        browser.Screenshot("status-view");

        // Clear through the page: gone from both.
        ClickInRow(browser, "webui-story-copy", "cache-clear");
        HeadlessChromium.WaitUntil(() => CacheRow(browser, "webui-story-copy") is null, "the cleared cache's row to go");
        Assert.DoesNotContain("webui-story-copy", await server.PromptCacheKeysAsync());
        Assert.Contains("webui-story", await server.PromptCacheKeysAsync());
        Assert.Empty(browser.ConsoleErrors());
    }

    [SkippableFact]
    public async Task The_chart_draws_the_aggregate_tokens_per_second_of_running_requests()
    {
        var (server, browser) = fixture.RequireBrowser();
        browser.Open(new Uri(server.BaseAddress, "ui#status"));
        HeadlessChromium.WaitUntil(() => browser.AllByTestId("slot-row").Count == 2, "the status view");

        // Generate for a few seconds through the API while the page samples /status once a second.
        using var content = new StringContent(
            $"{{\"model\":\"\",\"messages\":[{{\"role\":\"user\",\"content\":\"Once\"}}],\"max_tokens\":300,\"logit_bias\":{{\"{WebUiServer.EndToken}\":-100}}}}",
            System.Text.Encoding.UTF8, "application/json");
        using var reply = await server.Http.PostAsync(new Uri("v1/chat/completions", UriKind.Relative), content);
        reply.EnsureSuccessStatusCode();

        // The chart's newest rates: at least one sample saw tokens being generated.
        double peak = 0;
        HeadlessChromium.WaitUntil(() =>
        {
            peak = Convert.ToDouble(browser.Driver.ExecuteScript(
                "const s = window.__webui.samples; let m = 0;" +
                "for (let i = 1; i < s.length; i++) m = Math.max(m, (s[i].total - s[i-1].total) / ((s[i].t - s[i-1].t) / 1000));" +
                "return m;"), System.Globalization.CultureInfo.InvariantCulture);
            return peak > 0;
        }, "a sample with generated tokens");
        Assert.True(peak > 0);
        browser.Screenshot("status-chart");
        Assert.Empty(browser.ConsoleErrors());
    }

    // The table is redrawn every few seconds, so a row found a moment ago may be gone: each helper reads or
    // clicks in one go and tries again when the element went stale.
    private static IReadOnlyList<string> CacheCells(HeadlessChromium browser, string key)
    {
        IReadOnlyList<string> cells = [];
        HeadlessChromium.WaitUntil(() =>
        {
            cells = [.. CacheRow(browser, key)!.FindElements(By.TagName("td")).Select(c => c.Text)];
            return true;
        }, $"the cells of {key}");
        return cells;
    }

    private static void ClickInRow(HeadlessChromium browser, string key, string testId) =>
        HeadlessChromium.WaitUntil(() =>
        {
            CacheRow(browser, key)!.FindElement(By.CssSelector($"[data-testid='{testId}']")).Click();
            return true;
        }, $"{testId} of {key}");

    private static IWebElement? CacheRow(HeadlessChromium browser, string key) =>
        browser.Driver.FindElements(By.CssSelector("[data-testid='cache-row']")).FirstOrDefault(r => r.GetDomAttribute("data-key") == key);
}
