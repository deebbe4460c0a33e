using CaptureActors.TestSupport;

namespace CaptureActors.Capture.Tests;

/// <summary>The libpcap engine across link flaps on a veth into a namespace the test makes.</summary>
[Collection(PrivilegedCollection.Name)]
public sealed class LinkFlapCaptureTests : IDisposable
{
    private readonly LibPcapCaptureEngine _engine = new();
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [PrivilegedFact]
    public async Task Each_flap_closes_a_segment_and_resumes_in_the_next_and_the_ring_spans_the_resumes()
    {
        Privilege.Require();
        using var lab = new NetworkNamespaceLab();
        var request = new InterfaceCaptureRequest(lab.HostInterface, "udp port 47011", 65535, false, n => _dir.File($"flap_{n}.pcap"),
            RingFiles: 2, FlushInterval: TimeSpan.FromMilliseconds(200));
        using IInterfaceCapture capture = _engine.Start(request);

        int[] sent = [7, 11, 13];
        for (var round = 0; round < sent.Length; round++)
        {
            if (round > 0)
            {
                Ip("link", "set", lab.HostInterface, "down");
                Assert.Equal(LinkState.Down, InterfaceLinkState.Read(lab.HostInterface));
                Assert.True(await LiveCapture.WaitUntil(() => capture.ReadCounters().LinkDownSince is not null, TimeSpan.FromSeconds(5)), "the link-down was not noticed");
                Assert.Null(capture.ReadCounters().CurrentFile);
                Ip("link", "set", lab.HostInterface, "up");
                var restarts = round;
                Assert.True(await LiveCapture.WaitUntil(() => capture.ReadCounters().Restarts == restarts, TimeSpan.FromSeconds(8)), "the capture did not resume");
            }

            var before = capture.ReadCounters().PacketsWritten;
            lab.SendUdpToHost(47_011, sent[round], 50);
            Assert.True(await LiveCapture.WaitUntil(() => capture.ReadCounters().PacketsWritten == before + sent[round], TimeSpan.FromSeconds(5)));
        }

        InterfaceCaptureResult result = await LiveCapture.StopAndWait(capture);

        Assert.Equal(CaptureEndReason.Stopped, result.Reason);
        Assert.Equal(2, result.Counters.Restarts);
        Assert.Equal(2, result.Counters.Gaps!.Count);
        Assert.All(result.Counters.Gaps, g => Assert.True(g.To > g.From));
        Assert.Equal(3, result.Counters.Segments);
        Assert.Equal([2, 3], result.Segments.Select(s => s.Sequence));           // the ring of 2 deleted the first
        Assert.Equal([11L, 13L], result.Segments.Select(s => s.Packets));
        Assert.False(File.Exists(_dir.File("flap_1.pcap")));
        Assert.All(result.Segments, s => Assert.Equal((int)s.Packets, Tcpdump.ReadPackets(s.Path).Count));
    }

    private static void Ip(params string[] arguments) =>
        ProcessRunner.Run("ip", arguments).EnsureSuccess("ip " + string.Join(' ', arguments));
}
