using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using CaptureActors.TestSupport;

namespace CaptureActors.IntegrationTests;

/// <summary>
/// The console that started captures is lost: killed with SIGKILL, or cut off by a network partition (nftables in
/// the agents' namespace drops all TCP between them and the console for longer than the failure detector's
/// timeout). Attached captures stop with <c>owner-lost</c>, detached ones never notice, and a console that comes
/// back sees the true state. Packets in the files are compared with the packets the test sent.
/// </summary>
[Collection(PrivilegedCollection.Name)]
public sealed class ControllerLossTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _root = new("ca-ctl-loss-");

    public void Dispose() => _root.Dispose();

    [PrivilegedFact]
    public void A_console_killed_with_sigkill_stops_its_attached_capture_with_owner_lost_while_a_detached_one_runs_on()
    {
        Privilege.Require();
        using var attachedAgent = CaptureAgentProcess.Start(Path.Combine(_root.Path, "attached"), "att1");
        using var detachedAgent = CaptureAgentProcess.Start(Path.Combine(_root.Path, "detached"), "det1");
        string[] attached = ["--node", $"att1=127.0.0.1:{attachedAgent.Port}"];
        string[] detached = ["--node", $"det1=127.0.0.1:{detachedAgent.Port}"];
        int attachedPort = FreeUdpPort(), detachedPort = FreeUdpPort();
        var start = Ctl([.. detached, "packetcapture", "start", "-i", "lo", "-f", $"udp port {detachedPort}", "--detach"]);
        Assert.True(start.ExitCode == 0, start.StandardOutput + start.StandardError);
        using var console = new RunningCommand(Capturectl.Executable, [.. attached, "packetcapture", "start", "-i", "lo", "-f", $"udp port {attachedPort}"]);
        WaitForStatus(attached, s => s.GetProperty("state").GetString() == "running");

        Assert.Equal(60, UdpTraffic.Send(new IPEndPoint(IPAddress.Loopback, attachedPort), 60, 100, packetsPerSecond: 600));
        Assert.Equal(60, UdpTraffic.Send(new IPEndPoint(IPAddress.Loopback, detachedPort), 60, 100, packetsPerSecond: 600));
        Thread.Sleep(1000);
        console.Signal(9);
        var clock = Stopwatch.StartNew();
        var stopped = WaitForSidecar(Path.Combine(_root.Path, "attached", "captures"), "stopped");
        clock.Stop();
        output.WriteLine($"owner loss after SIGKILL of the console noticed in {clock.Elapsed.TotalSeconds:0.0} s");

        Assert.Equal("owner-lost", stopped.GetProperty("stopReason").GetString());
        Assert.True(clock.Elapsed <= TimeSpan.FromSeconds(20), $"owner loss took {clock.Elapsed.TotalSeconds:0.0} s");
        var running = WaitForStatus(detached, s => s.GetProperty("state").GetString() == "running");
        Assert.Equal(60, running.GetProperty("interfaces")[0].GetProperty("packetsWritten").GetInt64());
        Assert.Equal(40, UdpTraffic.Send(new IPEndPoint(IPAddress.Loopback, detachedPort), 40, 100, packetsPerSecond: 600));
        Thread.Sleep(1000);
        Assert.Equal(0, Ctl([.. detached, "packetcapture", "stop"]).ExitCode);

        Assert.Equal(60, PacketsInFiles(Path.Combine(_root.Path, "attached", "captures")));
        Assert.Equal(100, PacketsInFiles(Path.Combine(_root.Path, "detached", "captures")));
        Assert.Equal("by-request", WaitForSidecar(Path.Combine(_root.Path, "detached", "captures"), "stopped").GetProperty("stopReason").GetString());
    }

    [PrivilegedFact]
    public void A_partition_longer_than_the_failure_detector_stops_the_attached_capture_with_owner_lost_and_a_console_after_it_sees_the_true_state()
    {
        Privilege.Require();
        using var lab = new NetworkNamespaceLab();
        using var attachedAgent = NamespacedAgentProcess.Start(lab, Path.Combine(_root.Path, "attached"), "patt");
        using var detachedAgent = NamespacedAgentProcess.Start(lab, Path.Combine(_root.Path, "detached"), "pdet");
        string[] consoleHost = ["--console-host", lab.HostAddress.ToString()];
        string[] attached = [.. consoleHost, "--node", attachedAgent.NodeArgument(lab)];
        string[] detached = [.. consoleHost, "--node", detachedAgent.NodeArgument(lab)];
        const int attachedPort = 40421, detachedPort = 40422; // on lo inside the lab's namespace
        var start = Ctl([.. detached, "packetcapture", "start", "-i", "lo", "-f", $"udp port {detachedPort}", "--detach"]);
        Assert.True(start.ExitCode == 0, start.StandardOutput + start.StandardError);
        using var console = new RunningCommand(Capturectl.Executable, [.. attached, "packetcapture", "start", "-i", "lo", "-f", $"udp port {attachedPort}"]);
        WaitForStatus(attached, s => s.GetProperty("state").GetString() == "running");
        Assert.Equal(20, lab.SendUdp(new IPEndPoint(IPAddress.Loopback, attachedPort), 20, 100, packetsPerSecond: 400));
        Assert.Equal(20, lab.SendUdp(new IPEndPoint(IPAddress.Loopback, detachedPort), 20, 100, packetsPerSecond: 400));
        Thread.Sleep(1000);

        var partition = Stopwatch.StartNew();
        using (NftablesPartition.Cut(lab, lab.HostAddress))
        {
            var stopped = WaitForSidecar(attachedAgent.CaptureDirectory, "stopped");
            output.WriteLine($"owner loss noticed {partition.Elapsed.TotalSeconds:0.0} s into the partition");
            Assert.Equal("owner-lost", stopped.GetProperty("stopReason").GetString());
            Assert.True(partition.Elapsed >= TimeSpan.FromSeconds(5), $"owner lost after only {partition.Elapsed.TotalSeconds:0.0} s: not by the failure detector");

            Assert.Equal("running", ReadSidecar(detachedAgent.CaptureDirectory).GetProperty("state").GetString());
            Assert.Equal(30, lab.SendUdp(new IPEndPoint(IPAddress.Loopback, detachedPort), 30, 100, packetsPerSecond: 400));
            Thread.Sleep(Math.Max(0, (int)(TimeSpan.FromSeconds(15) - partition.Elapsed).TotalMilliseconds));
        }

        output.WriteLine($"partition healed after {partition.Elapsed.TotalSeconds:0.0} s");
        var attachedAfter = WaitForStatus(attached, s => s.GetProperty("state").GetString() == "stopped");
        Assert.Equal("owner-lost", attachedAfter.GetProperty("stopReason").GetString());
        Assert.Equal(20, attachedAfter.GetProperty("interfaces")[0].GetProperty("packetsWritten").GetInt64());
        var detachedAfter = WaitForStatus(detached, s => s.GetProperty("state").GetString() == "running");
        Assert.Equal(50, detachedAfter.GetProperty("interfaces")[0].GetProperty("packetsWritten").GetInt64());
        Assert.Equal(0, Ctl([.. detached, "packetcapture", "stop"]).ExitCode);

        Assert.Equal(20, PacketsInFiles(attachedAgent.CaptureDirectory));
        Assert.Equal(50, PacketsInFiles(detachedAgent.CaptureDirectory));
        var exit = console.WaitForExit(Bound);
        output.WriteLine($"the partitioned console exited {exit.ExitCode}: {exit.StandardError.Trim()}");
        Assert.NotEqual(0, exit.ExitCode);
    }

    private static ProcessResult Ctl(string[] arguments) => ProcessRunner.Run(Capturectl.Executable, arguments, Bound);

    /// <summary>Polls <c>packetcapture status --json</c> of one node until <paramref name="condition"/> holds.</summary>
    private static JsonElement WaitForStatus(string[] node, Func<JsonElement, bool> condition)
    {
        var deadline = DateTime.UtcNow + Bound;
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            last = Ctl([.. node, "packetcapture", "status", "--json"]).StandardOutput;
            try
            {
                var root = JsonDocument.Parse(last).RootElement;
                var status = root.TryGetProperty("nodes", out var nodes) ? nodes[0].GetProperty("status") : root;
                if (status.ValueKind == JsonValueKind.Object && condition(status))
                {
                    return status.Clone();
                }
            }
            catch (JsonException)
            {
                // No document (the node not reachable yet): poll again.
            }

            Thread.Sleep(250);
        }

        throw new TimeoutException($"the node's status never matched within {Bound}: {last}");
    }

    private static JsonElement ReadSidecar(string captures) =>
        JsonDocument.Parse(File.ReadAllText(Assert.Single(Directory.GetFiles(captures, "*.capture.json")))).RootElement.Clone();

    private static JsonElement WaitForSidecar(string captures, string state)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                foreach (var file in Directory.Exists(captures) ? Directory.GetFiles(captures, "*.capture.json") : [])
                {
                    var sidecar = JsonDocument.Parse(File.ReadAllText(file)).RootElement;
                    if (sidecar.GetProperty("state").GetString() == state)
                    {
                        return sidecar.Clone();
                    }
                }
            }
            catch (Exception e) when (e is IOException or JsonException)
            {
                // Replaced while read (atomic rename): read again.
            }

            Thread.Sleep(100);
        }

        throw new TimeoutException($"no sidecar in {captures} reached state {state} within {Bound}");
    }

    private static int PacketsInFiles(string captures) =>
        Directory.GetFiles(captures, "*.pcap").Sum(f => Tcpdump.ReadPackets(f).Count);

    private static int FreeUdpPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
