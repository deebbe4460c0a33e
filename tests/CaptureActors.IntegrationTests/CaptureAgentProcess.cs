using System.Diagnostics;
using System.Text.RegularExpressions;
using CaptureActors.TestSupport;

namespace CaptureActors.IntegrationTests;

/// <summary>Runs the real <c>capture-agent</c> executable, as systemd or the lab does, and waits for its startup line.</summary>
public sealed partial class CaptureAgentProcess : IDisposable
{
    public static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(20);

    private readonly RunningCommand _process;

    private CaptureAgentProcess(RunningCommand process, string startupLine, int port, TimeSpan startupTime)
    {
        _process = process;
        StartupLine = startupLine;
        Port = port;
        StartupTime = startupTime;
    }

    /// <summary>The apphost built beside this test assembly's configuration.</summary>
    public static string Executable { get; } = Locate();

    /// <summary>The repository root (where CaptureActors.sln is).</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    public string StartupLine { get; }

    /// <summary>The port the agent listens on (from the startup line: <c>--listen 127.0.0.1:0</c> picks a free one).</summary>
    public int Port { get; }

    /// <summary>From process start to the startup line.</summary>
    public TimeSpan StartupTime { get; }

    public int ProcessId => _process.ProcessId;

    public string StandardError => _process.StandardError;

    /// <summary>Waits, at most <paramref name="timeout"/>, until the agent's log (stderr) holds <paramref name="text"/>; false if it never does.</summary>
    public bool WaitForLog(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!StandardError.Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            Thread.Sleep(50);
        }

        return true;
    }

    [GeneratedRegex(@"listening on akka(?:\.ssl)?\.tcp://capture-agent@127\.0\.0\.1:(?<port>\d+)/user/agent")]
    private static partial Regex ListeningPattern();

    /// <summary>Starts <c>capture-agent --name NODE --listen 127.0.0.1:0 --data-dir DIR</c> and waits for its startup line.</summary>
    public static CaptureAgentProcess Start(string dataDirectory, string node = "itest", params string[] extra)
    {
        var clock = Stopwatch.StartNew();
        var process = new RunningCommand(Executable, ["--name", node, "--listen", "127.0.0.1:0", "--data-dir", dataDirectory, .. extra]);
        try
        {
            while (clock.Elapsed < StartupTimeout)
            {
                if (ListeningPattern().Match(process.StandardOutput) is { Success: true } match)
                {
                    var line = process.StandardOutput.Split('\n')[0].Trim();
                    return new CaptureAgentProcess(process, line, int.Parse(match.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture), clock.Elapsed);
                }

                Thread.Sleep(20);
            }

            throw new TimeoutException($"capture-agent printed no startup line within {StartupTimeout}:\n{process.StandardOutput}\n{process.StandardError}");
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    /// <summary>Sends SIGTERM (as systemd stops the service) and waits for the exit.</summary>
    public ProcessResult Terminate(TimeSpan timeout)
    {
        _process.Signal(15);
        return _process.WaitForExit(timeout);
    }

    /// <summary>SIGKILL: the process vanishes without a word, as when its machine is lost.</summary>
    public void Kill()
    {
        _process.Signal(9);
        _process.WaitForExit(TimeSpan.FromSeconds(10));
    }

    public void Dispose() => _process.Dispose();

    private static string Locate()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // .../bin/<Configuration>/net10.0/
        var path = Path.Combine(FindRoot(), "src", "CaptureActors.Agent", "bin", configuration, "net10.0", "capture-agent");
        return File.Exists(path) ? path : throw new FileNotFoundException($"capture-agent is not built at {path}: build the solution in {configuration} first");
    }

    private static string FindRoot()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "CaptureActors.sln")))
        {
            root = root.Parent;
        }

        return root?.FullName ?? throw new InvalidOperationException($"CaptureActors.sln not found above {AppContext.BaseDirectory}");
    }
}
