using System.Net;
using System.Net.Sockets;
using CaptureActors.TestSupport;

namespace CaptureActors.Capture.Tests;

/// <summary>What the disk guard and keep marks need from a live capture: kept files leave the ring, finished segments can be deleted safely, counters match the file after a write error.</summary>
[Collection(PrivilegedCollection.Name)]
public sealed class RingKeepAndGuardDeletionTests : IDisposable
{
    private const int Record = 16 + 142;
    private readonly LibPcapCaptureEngine _engine = new();
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private InterfaceCaptureRequest Request(int port, int ring, Func<string, bool>? isKept = null) =>
        new("lo", $"udp port {port}", 65535, false, n => _dir.File($"ring_{n}.pcap"), 24 + (5 * Record), ring, null, TimeSpan.FromMilliseconds(200), null, isKept);

    [PrivilegedFact]
    public async Task A_kept_file_stays_and_leaves_the_ring_which_keeps_its_three_newest_besides_it()
    {
        Privilege.Require();
        using Socket receiver = LiveCapture.BindLoopbackReceiver(out int port);
        using IInterfaceCapture capture = _engine.Start(Request(port, 3, path => path.EndsWith("ring_2.pcap", StringComparison.Ordinal)));

        UdpTraffic.Send(new IPEndPoint(IPAddress.Loopback, port), 40, 100);
        Assert.True(await LiveCapture.WaitUntil(() => capture.ReadCounters().PacketsWritten >= 40, TimeSpan.FromSeconds(5)));
        InterfaceCaptureResult result = await LiveCapture.StopAndWait(capture);

        Assert.Equal([2, 6, 7, 8], result.Segments.Select(s => s.Sequence));
        Assert.Equal(["ring_2.pcap", "ring_6.pcap", "ring_7.pcap", "ring_8.pcap"], Directory.GetFiles(_dir.Path).Select(Path.GetFileName).Order());
        Assert.Equal(result.Segments.Sum(s => s.SizeBytes), result.Counters.FileSizeTotal);
    }

    [PrivilegedFact]
    public async Task The_guard_deletes_finished_segments_but_never_the_current_one_and_the_counters_follow()
    {
        Privilege.Require();
        using Socket receiver = LiveCapture.BindLoopbackReceiver(out int port);
        using IInterfaceCapture capture = _engine.Start(Request(port, 100));
        UdpTraffic.Send(new IPEndPoint(IPAddress.Loopback, port), 22, 100);
        Assert.True(await LiveCapture.WaitUntil(() => capture.ReadCounters().PacketsWritten >= 22, TimeSpan.FromSeconds(5)));
        var before = capture.ReadCounters();
        string current = before.CurrentFile!;

        Assert.True(capture.DeleteFinishedSegment(_dir.File("ring_1.pcap")));
        Assert.False(capture.DeleteFinishedSegment(_dir.File("ring_1.pcap")));
        Assert.False(capture.DeleteFinishedSegment(current));
        Assert.False(capture.DeleteFinishedSegment(_dir.File("elsewhere.pcap")));
        var after = capture.ReadCounters();
        InterfaceCaptureResult result = await LiveCapture.StopAndWait(capture);

        Assert.Equal(before.FileSizeTotal - (24 + (5 * Record)), after.FileSizeTotal);
        Assert.True(File.Exists(current));
        Assert.False(File.Exists(_dir.File("ring_1.pcap")));
        Assert.Equal([2, 3, 4, 5], result.Segments.Select(s => s.Sequence));
        Assert.Equal(result.Segments.Sum(s => s.SizeBytes), result.Counters.FileSizeTotal);
    }

    [PrivilegedFact]
    public async Task After_a_write_error_the_counters_say_what_the_file_holds()
    {
        Privilege.Require();
        using var tmpfs = new TmpfsMount(128 * 1024);
        using Socket receiver = LiveCapture.BindLoopbackReceiver(out int port);
        using IInterfaceCapture capture = _engine.Start(new InterfaceCaptureRequest("lo", $"udp port {port}", 65535, false, n => tmpfs.File($"full_{n}.pcap"), FlushInterval: TimeSpan.FromMilliseconds(200)));

        UdpTraffic.Send(new IPEndPoint(IPAddress.Loopback, port), 400, 1000, packetsPerSecond: 2000);
        InterfaceCaptureResult result = await LiveCapture.Ended(capture, TimeSpan.FromSeconds(5));

        Assert.Equal(CaptureEndReason.WriteError, result.Reason);
        CaptureSegment segment = Assert.Single(result.Segments);
        Assert.Equal(Tcpdump.ReadPackets(segment.Path).Count, result.Counters.PacketsWritten);
        Assert.Equal(segment.Packets, result.Counters.PacketsWritten);
        Assert.Equal(segment.SizeBytes, result.Counters.BytesWritten);
        Assert.True(result.Counters.PacketsCaptured > result.Counters.PacketsWritten, $"captured {result.Counters.PacketsCaptured}, written {result.Counters.PacketsWritten}");
    }
}
