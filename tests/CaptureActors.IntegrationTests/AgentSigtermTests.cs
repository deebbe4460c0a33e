using System.Security.Cryptography;
using System.Text.Json;
using CaptureActors.TestSupport;

namespace CaptureActors.IntegrationTests;

/// <summary>
/// SIGTERM to an agent in the middle of a two-interface capture with traffic still arriving: a clean finish with
/// reason <c>agent-shutdown</c>, every file valid with the SHA-256 and packet count its sidecar records, and the
/// files holding what the test sent (all of it before the signal, a prefix of what was in flight).
/// </summary>
[Collection(PrivilegedCollection.Name)]
public sealed class AgentSigtermTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _data = new("ca-sigterm-");

    public void Dispose() => _data.Dispose();

    [PrivilegedFact]
    public void Sigterm_during_traffic_on_two_veths_finishes_every_file_with_its_hash_and_the_packets_sent()
    {
        Privilege.Require();
        using var busy = new NetworkNamespaceLab();
        using var quiet = new NetworkNamespaceLab();
        const int port = 40431;
        using var agent = CaptureAgentProcess.Start(_data.Path, "term2");
        var start = ProcessRunner.Run(Capturectl.Executable,
            ["--node", $"term2=127.0.0.1:{agent.Port}", "packetcapture", "start", "-i", busy.HostInterface, "-i", quiet.HostInterface,
                "-f", $"udp port {port}", "--detach"], TimeSpan.FromSeconds(60));
        Assert.True(start.ExitCode == 0, start.StandardOutput + start.StandardError);

        Assert.Equal(100, busy.SendUdpToHost(port, 100, 200, packetsPerSecond: 1000));
        Assert.Equal(100, quiet.SendUdpToHost(port, 100, 200, packetsPerSecond: 1000));
        Thread.Sleep(1000); // every datagram so far is with the writers

        const int inFlight = 2000;
        var sentInFlight = 0;
        var sender = new Thread(() => sentInFlight = busy.SendUdpToHost(port, inFlight, 200, packetsPerSecond: 500, timeout: TimeSpan.FromSeconds(20)))
        { IsBackground = true, Name = "traffic during SIGTERM" };
        sender.Start();
        Thread.Sleep(1000);
        var exit = agent.Terminate(TimeSpan.FromSeconds(30));
        sender.Join(TimeSpan.FromSeconds(30));

        Assert.True(exit.ExitCode == 0, exit.StandardError);
        var captures = Path.Combine(_data.Path, "captures");
        var sidecar = JsonDocument.Parse(File.ReadAllText(Assert.Single(Directory.GetFiles(captures, "*.capture.json")))).RootElement;
        Assert.Equal("stopped", sidecar.GetProperty("state").GetString());
        Assert.Equal("agent-shutdown", sidecar.GetProperty("stopReason").GetString());
        var perInterface = new Dictionary<string, long>();
        foreach (var entry in sidecar.GetProperty("interfaces").EnumerateArray())
        {
            long inFiles = 0;
            foreach (var file in entry.GetProperty("files").EnumerateArray())
            {
                var path = Path.Combine(captures, file.GetProperty("name").GetString()!);
                var read = Tcpdump.ReadPackets(path);
                Assert.Equal(0, read.ExitCode);
                Assert.Equal(file.GetProperty("packets").GetInt64(), read.Count);
                Assert.Equal(file.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))));
                inFiles += read.Count;
            }

            Assert.Equal(entry.GetProperty("packetsWritten").GetInt64(), inFiles);
            perInterface[entry.GetProperty("interface").GetString()!] = inFiles;
        }

        output.WriteLine($"in flight: {sentInFlight} of {inFlight} sent by the end; captured before the stop: {perInterface[busy.HostInterface] - 100}");
        Assert.Equal(100, perInterface[quiet.HostInterface]);
        Assert.InRange(perInterface[busy.HostInterface], 101, 100 + inFlight); // all before the signal, part of what was in flight
    }
}
