using AbstractEndpoint.TestSupport;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace AbstractEndpoint.WebUi.Tests.Infrastructure;

/// <summary>
/// Debian's Chromium driven headless through Debian's chromedriver. Both paths are given explicitly, so Selenium
/// never looks for (or downloads) a browser or driver of its own; the flags keep Chromium off the network, which
/// this machine's closed network would refuse anyway.
/// </summary>
public sealed class HeadlessChromium : IDisposable
{
    public const string BrowserPath = "/usr/bin/chromium";
    public const string DriverPath = "/usr/bin/chromedriver";

    private readonly string _profile;

    private HeadlessChromium(ChromeDriver driver, string profile)
    {
        Driver = driver;
        _profile = profile;
    }

    public ChromeDriver Driver { get; }

    /// <summary>Why browser tests cannot run here, or null when they can.</summary>
    public static string? MissingReason =>
        File.Exists(BrowserPath) && File.Exists(DriverPath) ? null
        : $"needs Debian's chromium and chromium-driver ({BrowserPath}, {DriverPath}); .ci/run installs them";

    /// <summary>Where screenshots go: beside the test results, so CI keeps them with the output.</summary>
    public static string ScreenshotDirectory { get; } =
        Path.Combine(SharedAssets.RepositoryRoot, "artifacts", "test-results", "screenshots");

    public static HeadlessChromium Start()
    {
        var profile = Path.Combine(Path.GetTempPath(), "abstractendpoint-webui-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(profile);
        var options = new ChromeOptions { BinaryLocation = BrowserPath };
        options.AddArguments(
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
            "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-extensions", "--window-size=1280,860",
            "--user-data-dir=" + profile);
        options.SetLoggingPreference(LogType.Browser, LogLevel.All);
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(DriverPath)!, Path.GetFileName(DriverPath));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(90));
        driver.Manage().Timeouts().AsynchronousJavaScript = TimeSpan.FromSeconds(30);
        return new HeadlessChromium(driver, profile);
    }

    /// <summary>Opens a fresh page at <paramref name="url"/> with empty local storage.</summary>
    public void Open(Uri url)
    {
        Driver.Navigate().GoToUrl(url);
        Driver.ExecuteScript("localStorage.clear();");
        Driver.Navigate().Refresh();
        WaitUntil(() => Driver.FindElements(By.CssSelector("[data-testid=prompt]")).Count == 1, "the page to load");
        ConsoleErrors(); // reading the log empties it: each test sees only its own messages
    }

    public IWebElement ByTestId(string id) => Driver.FindElement(By.CssSelector($"[data-testid='{id}']"));

    public IReadOnlyList<IWebElement> AllByTestId(string id) => Driver.FindElements(By.CssSelector($"[data-testid='{id}']"));

    /// <summary>Severe browser-log entries since the last call: script errors and failed requests.</summary>
    public IReadOnlyList<string> ConsoleErrors() =>
        [.. Driver.Manage().Logs.GetLog(LogType.Browser).Where(e => e.Level >= LogLevel.Severe).Select(e => e.Message)];

    public string Screenshot(string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        var path = Path.Combine(ScreenshotDirectory, name + ".png");
        Driver.GetScreenshot().SaveAsFile(path);
        return path;
    }

    /// <summary>Polls until <paramref name="condition"/> holds; fails naming <paramref name="what"/> otherwise.</summary>
    public static void WaitUntil(Func<bool> condition, string what, double seconds = 30)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(seconds);
        while (true)
        {
            try
            {
                if (condition())
                {
                    return;
                }
            }
            catch (StaleElementReferenceException)
            {
                // The page re-rendered the element between finding and reading it: look again.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {seconds} s for {what}.");
            }

            Thread.Sleep(50);
        }
    }

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still hold a file for a moment; the temp folder is cleaned eventually.
        }
    }
}
