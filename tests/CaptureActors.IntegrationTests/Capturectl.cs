using System.Diagnostics;
using System.Text;
using System.Text.Json;
using CaptureActors.TestSupport;

namespace CaptureActors.IntegrationTests;

/// <summary>Runs the real <c>capturectl</c> executable, as a user would, against one data directory.</summary>
public sealed class Capturectl(string dataDirectory, string node = "itest")
{
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The apphost built beside this test assembly's configuration (bin/&lt;Configuration&gt;/net10.0).</summary>
    public static string Executable { get; } = Locate();

    public string DataDirectory => dataDirectory;

    public string CaptureDirectory => Path.Combine(dataDirectory, "captures");

    public ProcessResult Run(params string[] arguments) =>
        ProcessRunner.Run(Executable, WithNode(arguments), CommandTimeout);

    /// <summary>Runs a command with <c>--json</c> and parses its one document; fails with the output when it is not JSON.</summary>
    public JsonElement Json(params string[] arguments)
    {
        var result = Run([.. arguments, "--json"]);
        try
        {
            return JsonDocument.Parse(result.StandardOutput).RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"capturectl {string.Join(' ', arguments)} printed no JSON (exit {result.ExitCode}):\n{result.StandardOutput}\n{result.StandardError}", e);
        }
    }

    /// <summary>Starts a long-running command (an attached capture) and collects its output.</summary>
    public RunningCommand Start(params string[] arguments) => new(Executable, WithNode(arguments));

    /// <summary>Polls <c>packetcapture status --json</c> until the state is one of <paramref name="states"/>.</summary>
    public JsonElement WaitForState(TimeSpan timeout, params string[] states)
    {
        var deadline = DateTime.UtcNow + timeout;
        JsonElement status;
        do
        {
            status = Json("packetcapture", "status");
            if (status.TryGetProperty("state", out var state) && states.Contains(state.GetString()))
            {
                return status;
            }

            Thread.Sleep(200);
        }
        while (DateTime.UtcNow < deadline);

        throw new TimeoutException($"capture never reached {string.Join("/", states)} within {timeout}; last status: {status}");
    }

    private string[] WithNode(string[] arguments) => [.. arguments, "--data-dir", dataDirectory, "--node-name", node];

    private static string Locate()
    {
        var testDirectory = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = testDirectory.Parent!.Name; // .../bin/<Configuration>/net10.0/
        var root = testDirectory;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "CaptureActors.sln")))
        {
            root = root.Parent;
        }

        if (root is null)
        {
            throw new InvalidOperationException($"CaptureActors.sln not found above {AppContext.BaseDirectory}");
        }

        var path = Path.Combine(root.FullName, "src", "CaptureActors.Console", "bin", configuration, "net10.0", "capturectl");
        return File.Exists(path) ? path : throw new FileNotFoundException($"capturectl is not built at {path}: build the solution in {configuration} first");
    }
}

/// <summary>A capturectl process running in the background; output collected as it comes.</summary>
public sealed class RunningCommand : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    public RunningCommand(string executable, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => { lock (_stdout) _stdout.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { lock (_stderr) _stderr.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public string StandardOutput { get { lock (_stdout) return _stdout.ToString(); } }

    public string StandardError { get { lock (_stderr) return _stderr.ToString(); } }

    /// <summary>Sends a POSIX signal (SIGINT = 2 for Ctrl-C, SIGTERM = 15, SIGKILL = 9).</summary>
    public void Signal(int signal) => ProcessRunner.Run("kill", $"-{signal}", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)).EnsureSuccess("kill");

    public ProcessResult WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"capturectl did not exit within {timeout}:\n{StandardOutput}\n{StandardError}");
        }

        _process.WaitForExit();
        return new ProcessResult(_process.ExitCode, StandardOutput, StandardError);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }
}
