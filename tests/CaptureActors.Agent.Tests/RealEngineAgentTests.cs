using System.Net;
using CaptureActors.Capture;
using CaptureActors.Protocol;
using CaptureActors.TestSupport;
using Xunit.Abstractions;

namespace CaptureActors.Agent.Tests;

/// <summary>The actor hierarchy over the real libpcap engine on lo: what capturectl's embedded agent runs.</summary>
[Collection(PrivilegedCollection.Name)]
public sealed class RealEngineAgentTests(ITestOutputHelper output)
    : AgentTestKit(AgentTestHost.Start(engine: new LibPcapCaptureEngine()), output)
{
    [PrivilegedFact]
    public async Task A_capture_through_the_actors_holds_exactly_the_packets_sent_and_stops_on_request()
    {
        Privilege.Require();
        const int port = 40611;
        var started = await StartAsync(new CaptureOptions(Interfaces: ["lo"], Filter: $"udp port {port}"));

        Assert.Equal(200, UdpTraffic.Send(new IPEndPoint(IPAddress.Loopback, port), 200, 100));
        await Task.Delay(1200);
        var running = await Ask<CaptureStatus>(GetCaptureStatus.Instance);
        var stopped = await Ask<CaptureStopped>(new StopCapture(started.Status.CaptureId));

        Assert.Equal(200, running.TotalPacketsWritten);
        Assert.True(stopped.WasRunning);
        Assert.Equal(StopReason.ByRequest, stopped.Status.StopReason);
        var file = Assert.Single((await Ask<FileListing>(ListFiles.Instance)).Files);
        Assert.Equal(200, file.Packets);
        Assert.Equal(200, Tcpdump.ReadPackets(Path.Combine(CaptureDirectory, file.Name)).Count);
    }
}
