using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Akka.Actor;
using CaptureActors.Protocol;
using CaptureActors.TestSupport;

namespace CaptureActors.IntegrationTests;

/// <summary>SIGTERM (systemctl stop) while a capture started over remoting runs: the files are finished, nothing is lost.</summary>
[Collection(PrivilegedCollection.Name)]
public sealed class CaptureAgentShutdownTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _data = new("ca-agent-term-");

    public void Dispose() => _data.Dispose();

    [PrivilegedFact]
    public async Task Sigterm_stops_a_remotely_started_capture_with_reason_agent_shutdown_and_keeps_every_packet()
    {
        Privilege.Require();
        const int datagrams = 300;
        var port = FreeUdpPort();
        using var agent = CaptureAgentProcess.Start(_data.Path, "term1");
        var captures = Path.Combine(_data.Path, "captures");
        using (var client = new RemoteAgentClient())
        {
            var guardian = await client.ResolveAgentAsync("127.0.0.1", agent.Port);
            // Told, not asked, and an array, not a collection expression: until the protocol serializer lands, Akka's
            // JSON serializer writes the compiler's hidden list type names (from the sending assembly), which the other
            // process cannot load; CaptureStarted's reply would be lost that way. The first pcap file shows the start instead
            // (libpcap's handle is open and filtering before the file is created).
            guardian.Tell(new StartCapture(
                new CaptureOptions(Interfaces: new[] { "lo" }, Filter: $"udp port {port}"),
                CaptureOwner.OfThisProcess("integration-test"),
                Detached: true));
            WaitForFirstFile(captures, "term1_lo_*.pcap", TimeSpan.FromSeconds(20), agent);
        }

        Assert.Equal(datagrams, UdpTraffic.Send(new IPEndPoint(IPAddress.Loopback, port), datagrams, 80, packetsPerSecond: 3000));
        Thread.Sleep(1000); // past libpcap's read timeout: every datagram is with the writer before the signal

        var exit = agent.Terminate(TimeSpan.FromSeconds(30));

        Assert.True(exit.ExitCode == 0, exit.StandardError);
        var sidecar = JsonDocument.Parse(File.ReadAllText(Assert.Single(Directory.GetFiles(captures, "*.capture.json")))).RootElement;
        Assert.Equal("stopped", sidecar.GetProperty("state").GetString());
        Assert.Equal("agent-shutdown", sidecar.GetProperty("stopReason").GetString());
        var pcap = Assert.Single(Directory.GetFiles(captures, "term1_lo_*.pcap"));
        var read = Tcpdump.ReadPackets(pcap);
        Assert.Equal(0, read.ExitCode);
        Assert.Equal(datagrams, read.Count);
    }

    [PrivilegedFact]
    public async Task An_attached_capture_stops_with_owner_lost_within_15_s_when_its_owners_process_is_killed()
    {
        Privilege.Require();
        using var ownerData = new TempDirectory("ca-agent-owner-");
        using var agent = CaptureAgentProcess.Start(_data.Path, "watch1");
        using var ownerProcess = CaptureAgentProcess.Start(ownerData.Path, "owner1"); // any remote actor will do as owner
        var captures = Path.Combine(_data.Path, "captures");
        using (var client = new RemoteAgentClient())
        {
            var guardian = await client.ResolveAgentAsync("127.0.0.1", agent.Port);
            var owner = await client.ResolveAgentAsync("127.0.0.1", ownerProcess.Port);
            guardian.Tell(new StartCapture(
                new CaptureOptions(Interfaces: new[] { "lo" }, Filter: $"udp port {FreeUdpPort()}"),
                CaptureOwner.OfThisProcess("integration-test"),
                Detached: false,
                OwnerSession: owner));
            WaitForFirstFile(captures, "watch1_lo_*.pcap", TimeSpan.FromSeconds(20), agent);
        }

        Thread.Sleep(2000); // a few heartbeats: the failure detector has a history
        var killed = System.Diagnostics.Stopwatch.StartNew();
        ownerProcess.Kill(); // SIGKILL: no goodbye on the wire, only missing heartbeats tell
        var stopped = WaitForSidecar(captures, "stopped", TimeSpan.FromSeconds(25), agent);
        killed.Stop();
        output.WriteLine($"owner loss noticed {killed.Elapsed.TotalSeconds:F1} s after SIGKILL");

        Assert.Equal("owner-lost", stopped.GetProperty("stopReason").GetString());
        Assert.True(killed.Elapsed <= TimeSpan.FromSeconds(15), $"owner loss noticed after {killed.Elapsed}");
        Assert.True(agent.Terminate(TimeSpan.FromSeconds(20)).ExitCode == 0);
    }

    private static JsonElement WaitForSidecar(string captures, string state, TimeSpan timeout, CaptureAgentProcess agent)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            foreach (var file in Directory.GetFiles(captures, "*.capture.json"))
            {
                try
                {
                    var sidecar = JsonDocument.Parse(File.ReadAllText(file)).RootElement.Clone();
                    if (sidecar.GetProperty("state").GetString() == state)
                    {
                        return sidecar;
                    }
                }
                catch (Exception e) when (e is IOException or JsonException)
                {
                    // Replaced while read (atomic rename): read again.
                }
            }

            Thread.Sleep(100);
        }

        throw new TimeoutException($"no capture sidecar in state {state} within {timeout}; agent's log:\n{agent.StandardError}");
    }

    private static void WaitForFirstFile(string captures, string pattern, TimeSpan timeout, CaptureAgentProcess agent)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (Directory.Exists(captures) && Directory.GetFiles(captures, pattern).Length > 0)
            {
                return;
            }

            Thread.Sleep(50);
        }

        throw new TimeoutException($"no {pattern} in {captures} within {timeout}; agent's log:\n{agent.StandardError}");
    }

    private static int FreeUdpPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
