using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using CaptureActors.TestSupport;

namespace CaptureActors.IntegrationTests;

/// <summary>
/// The real capture-agent run as systemd runs the unit (deploy/systemd/capture-agent.service): as an unprivileged
/// user, with only the capabilities given (ambient, inheritable, bounding set), no new privileges, umask from the agent
/// itself. <c>setpriv</c> sets that up and execs the agent, so the process is the agent.
/// </summary>
public sealed partial class PrivilegeDroppedAgent : IDisposable
{
    private readonly RunningCommand _process;

    private PrivilegeDroppedAgent(RunningCommand process, int port, string startupLine)
    {
        _process = process;
        Port = port;
        StartupLine = startupLine;
    }

    public int Port { get; }

    public string StartupLine { get; }

    public int ProcessId => _process.ProcessId;

    public string StandardError => _process.StandardError;

    [GeneratedRegex(@"listening on akka\.tcp://capture-agent@127\.0\.0\.1:(?<port>\d+)/user/agent")]
    private static partial Regex ListeningPattern();

    /// <summary>The setpriv arguments that run a command as <paramref name="user"/> with exactly <paramref name="capabilities"/> (e.g. <c>net_raw,net_admin</c>; empty: none).</summary>
    public static List<string> SetprivArguments(string user, string capabilities)
    {
        string caps = capabilities.Length == 0 ? "-all" : "-all," + string.Join(',', capabilities.Split(',').Select(c => "+" + c));
        return [$"--reuid={user}", $"--regid={user}", "--init-groups", $"--inh-caps={caps}", $"--ambient-caps={caps}", $"--bounding-set={caps}", "--no-new-privs", "--"];
    }

    /// <summary>Starts the agent on 127.0.0.1:0 as <paramref name="user"/>; waits for the startup line.</summary>
    public static PrivilegeDroppedAgent Start(string user, string capabilities, string dataDirectory, string node)
    {
        var process = new RunningCommand("setpriv", [.. SetprivArguments(user, capabilities), CaptureAgentProcess.Executable, "--name", node, "--listen", "127.0.0.1:0", "--data-dir", dataDirectory]);
        try
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < CaptureAgentProcess.StartupTimeout)
            {
                if (ListeningPattern().Match(process.StandardOutput) is { Success: true } match)
                {
                    return new PrivilegeDroppedAgent(process, int.Parse(match.Groups["port"].Value, CultureInfo.InvariantCulture), process.StandardOutput.Trim());
                }

                Thread.Sleep(20);
            }

            throw new TimeoutException($"capture-agent as {user} printed no startup line within {CaptureAgentProcess.StartupTimeout}:\n{process.StandardOutput}\n{process.StandardError}");
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    /// <summary>The agent's effective capabilities and user, from /proc (<c>CapEff</c>, <c>Uid</c>).</summary>
    public (ulong EffectiveCapabilities, int Uid) Credentials()
    {
        string status = File.ReadAllText($"/proc/{ProcessId}/status");
        string Field(string name) => status.Split('\n').First(l => l.StartsWith(name + ":", StringComparison.Ordinal))[(name.Length + 1)..].Trim();
        return (ulong.Parse(Field("CapEff"), NumberStyles.HexNumber, CultureInfo.InvariantCulture), int.Parse(Field("Uid").Split('\t')[1], CultureInfo.InvariantCulture));
    }

    /// <summary>SIGTERM, as systemctl stop; waits for the exit.</summary>
    public ProcessResult Terminate(TimeSpan timeout)
    {
        _process.Signal(15);
        return _process.WaitForExit(timeout);
    }

    public void Dispose() => _process.Dispose();
}
