using CaptureActors.TestSupport;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace CaptureActors.IntegrationTests.Web;

/// <summary>
/// Headless Chromium from Debian (<c>/usr/bin/chromium</c>) driven through Debian's <c>/usr/bin/chromedriver</c> (both
/// installed by deploy/bootstrap.sh --for-tests; nothing is downloaded), with its own profile and download directory, removed on dispose.
/// </summary>
public sealed class BrowserSession : IDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string ChromedriverPath = "/usr/bin/chromedriver";

    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly TempDirectory _profile = new("ca-web-profile-");
    private readonly TempDirectory _downloads = new("ca-web-downloads-");

    public BrowserSession()
    {
        foreach (var path in new[] { ChromiumPath, ChromedriverPath })
        {
            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"{path} is missing: run deploy/bootstrap.sh --for-tests (it installs Debian's chromium and chromium-driver)");
            }
        }

        var options = new ChromeOptions { BinaryLocation = ChromiumPath };
        options.AddArguments(
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--disable-extensions",
            "--window-size=1400,1200",
            $"--user-data-dir={_profile.Path}");
        options.AddUserProfilePreference("download.default_directory", _downloads.Path);
        options.AddUserProfilePreference("download.prompt_for_download", false);
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromedriverPath)!, Path.GetFileName(ChromedriverPath));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        Driver = new ChromeDriver(service, options, Bound);
        Driver.Manage().Timeouts().PageLoad = Bound;
    }

    public ChromeDriver Driver { get; }

    public string DownloadDirectory => _downloads.Path;

    /// <summary>Waits (bounded) until <paramref name="condition"/> returns something other than null/false.</summary>
    public T Until<T>(Func<IWebDriver, T> condition, string what, TimeSpan? timeout = null)
    {
        var wait = new WebDriverWait(Driver, timeout ?? Bound) { PollingInterval = TimeSpan.FromMilliseconds(100), Message = what };
        wait.IgnoreExceptionTypes(typeof(NoSuchElementException), typeof(StaleElementReferenceException));
        return wait.Until(condition);
    }

    /// <summary>A downloaded file, once Chromium has finished writing it (no .crdownload left).</summary>
    public string WaitForDownload(Func<string, bool> match, string what)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (DateTime.UtcNow < deadline)
        {
            var files = Directory.GetFiles(DownloadDirectory);
            if (!files.Any(f => f.EndsWith(".crdownload", StringComparison.Ordinal)) && files.FirstOrDefault(f => match(Path.GetFileName(f))) is { } done)
            {
                return done;
            }

            Thread.Sleep(100);
        }

        throw new TimeoutException($"{what} was not downloaded within {Bound}; the download directory has: {string.Join(", ", Directory.GetFiles(DownloadDirectory).Select(Path.GetFileName))}");
    }

    public string Screenshot(string name)
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name);
        Driver.GetScreenshot().SaveAsFile(path);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Driver.Quit();
        }
        finally
        {
            Driver.Dispose();
            _downloads.Dispose();
            _profile.Dispose();
        }
    }
}
