using System.Diagnostics;
using System.Text.RegularExpressions;

namespace CaptureActors.IntegrationTests.Web;

/// <summary>
/// A real <c>capturectl serve --listen 127.0.0.1:0</c> process: waits for the line naming the page's address and stops
/// the process (SIGTERM, then kill) when disposed.
/// </summary>
public sealed partial class ServeProcess : IDisposable
{
    public static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(30);

    private readonly RunningCommand _process;

    private ServeProcess(RunningCommand process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public string StandardOutput => _process.StandardOutput;

    public string StandardError => _process.StandardError;

    [GeneratedRegex(@"serving the Packet Capture page on (?<url>https?://\S+/)")]
    private static partial Regex ServingPattern();

    public static ServeProcess Start(IEnumerable<string> arguments)
    {
        var clock = Stopwatch.StartNew();
        var process = new RunningCommand(Capturectl.Executable, ["serve", "--listen", "127.0.0.1:0", .. arguments]);
        try
        {
            while (clock.Elapsed < StartupTimeout)
            {
                if (ServingPattern().Match(process.StandardOutput) is { Success: true } match)
                {
                    return new ServeProcess(process, new Uri(match.Groups["url"].Value));
                }

                Thread.Sleep(50);
            }

            throw new TimeoutException($"capturectl serve did not say where it serves within {StartupTimeout}:\n{process.StandardOutput}\n{process.StandardError}");
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        try
        {
            _process.Signal(15);
            _process.WaitForExit(TimeSpan.FromSeconds(15));
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            // Already gone (kill found no process), or stuck: Dispose kills it.
        }
        finally
        {
            _process.Dispose();
        }
    }
}
