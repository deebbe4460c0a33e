using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using CaptureActors.TestSupport;

namespace CaptureActors.IntegrationTests;

/// <summary>
/// The real <c>capture-agent</c> run inside a network namespace the test made (<c>ip netns exec NS capture-agent
/// --listen ADDRESS:0 ...</c>; ip execs the agent, so <see cref="ProcessId"/> is the agent's), reached from the root
/// namespace over the lab's veth: a network path that nftables inside the namespace can cut.
/// </summary>
public sealed class NamespacedAgentProcess : IDisposable
{
    private readonly RunningCommand _process;

    private NamespacedAgentProcess(RunningCommand process, string node, string dataDirectory, int port)
    {
        _process = process;
        Node = node;
        DataDirectory = dataDirectory;
        Port = port;
    }

    public string Node { get; }

    public string DataDirectory { get; }

    public string CaptureDirectory => Path.Combine(DataDirectory, "captures");

    public int Port { get; }

    public int ProcessId => _process.ProcessId;

    public string StandardError => _process.StandardError;

    public static NamespacedAgentProcess Start(NetworkNamespaceLab lab, string dataDirectory, string node)
    {
        ArgumentNullException.ThrowIfNull(lab);
        var address = lab.PeerAddress.ToString();
        var pattern = new Regex($@"listening on akka\.tcp://capture-agent@{Regex.Escape(address)}:(?<port>\d+)/user/agent");
        var clock = Stopwatch.StartNew();
        var process = new RunningCommand("ip", ["netns", "exec", lab.Namespace, CaptureAgentProcess.Executable,
            "--name", node, "--listen", $"{address}:0", "--data-dir", dataDirectory]);
        try
        {
            while (clock.Elapsed < CaptureAgentProcess.StartupTimeout)
            {
                if (pattern.Match(process.StandardOutput) is { Success: true } match)
                {
                    return new NamespacedAgentProcess(process, node, dataDirectory, int.Parse(match.Groups["port"].Value, CultureInfo.InvariantCulture));
                }

                Thread.Sleep(20);
            }

            throw new TimeoutException($"capture-agent in {lab.Namespace} printed no startup line within {CaptureAgentProcess.StartupTimeout}:\n{process.StandardOutput}\n{process.StandardError}");
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    /// <summary>The <c>--node NAME=ADDRESS:PORT</c> value for capturectl.</summary>
    public string NodeArgument(NetworkNamespaceLab lab) => $"{Node}={lab?.PeerAddress}:{Port}";

    public ProcessResult Terminate(TimeSpan timeout)
    {
        _process.Signal(15);
        return _process.WaitForExit(timeout);
    }

    public void Dispose() => _process.Dispose();
}
