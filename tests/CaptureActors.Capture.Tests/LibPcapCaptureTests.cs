using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using CaptureActors.Pcap;
using CaptureActors.TestSupport;

namespace CaptureActors.Capture.Tests;

/// <summary>Real libpcap captures on lo and on veth pairs into namespaces the tests create.</summary>
[Collection(PrivilegedCollection.Name)]
public sealed class LibPcapCaptureTests : IDisposable
{
    private readonly LibPcapCaptureEngine _engine = new();
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private InterfaceCaptureRequest Request(string iface, string filter, string name = "cap",
        long? maxFileSize = null, int? ring = null, DateTimeOffset? deadline = null, Func<int, string>? path = null) =>
        new(iface, filter, 65535, false, path ?? (n => _dir.File($"{name}_{n}.pcap")), maxFileSize, ring, deadline, TimeSpan.FromMilliseconds(200));

    [PrivilegedFact]
    public async Task Loopback_capture_holds_exactly_the_datagrams_sent_and_counters_agree()
    {
        Privilege.Require();
        using Socket receiver = LiveCapture.BindLoopbackReceiver(out int port);
        using IInterfaceCapture capture = _engine.Start(Request("lo", $"udp port {port}"));

        UdpTraffic.Send(new IPEndPoint(IPAddress.Loopback, port), 500, 100);
        Assert.True(await LiveCapture.WaitUntil(() => capture.ReadCounters().PacketsWritten >= 500, TimeSpan.FromSeconds(5)),
            $"written {capture.ReadCounters().PacketsWritten} of 500");
        InterfaceCaptureResult result = await LiveCapture.StopAndWait(capture);

        Assert.Equal(CaptureEndReason.Stopped, result.Reason);
        Assert.Null(result.Error);
        CaptureSegment segment = Assert.Single(result.Segments);
        Assert.Equal(1, segment.Sequence);
        Assert.Equal(500, segment.Packets);
        Assert.Equal(500, result.Counters.PacketsCaptured);
        Assert.Equal(500, result.Counters.PacketsWritten);
        Assert.Equal(24 + (500 * (16 + 142)), result.Counters.BytesWritten);
        Assert.Equal(new FileInfo(segment.Path).Length, segment.SizeBytes);
        Assert.Equal(segment.SizeBytes, result.Counters.FileSizeTotal);
        // Each datagram once: the kernel sees lo's packets twice (sent and received) and used to count both.
        Assert.Equal(500, result.Counters.KernelReceived);
        Assert.Equal(0, result.Counters.KernelDropped);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(segment.Path))), segment.Sha256);
        Assert.NotNull(segment.FirstPacketAt);
        Assert.True(segment.FirstPacketAt <= segment.LastPacketAt);
        Assert.True(Math.Abs((DateTimeOffset.UtcNow - segment.LastPacketAt!.Value).TotalMinutes) < 1);

        CaptureReadResult tcpdump = Tcpdump.ReadPackets(segment.Path);
        Assert.True(tcpdump.ExitCode == 0, tcpdump.StandardError);
        Assert.Equal(500, tcpdump.Count);
        Assert.All(tcpdump.Packets, line => Assert.Contains($"127.0.0.1.{port}: UDP, length 100", line, StringComparison.Ordinal));
    }

    [PrivilegedFact]
    public async Task Two_veth_interfaces_each_get_a_file_with_exactly_their_packets()
    {
        Privilege.Require();
        using var labA = new NetworkNamespaceLab();
        using var labB = new NetworkNamespaceLab();
        const int port = 47_001;
        using IInterfaceCapture a = _engine.Start(Request(labA.HostInterface, $"udp port {port}", "a"));
        using IInterfaceCapture b = _engine.Start(Request(labB.HostInterface, $"udp port {port}", "b"));

        labA.SendUdpToHost(port, 120, 64);
        labB.SendUdpToHost(port, 75, 300);
        Assert.True(await LiveCapture.WaitUntil(
            () => a.ReadCounters().PacketsWritten >= 120 && b.ReadCounters().PacketsWritten >= 75, TimeSpan.FromSeconds(5)));
        InterfaceCaptureResult ra = await LiveCapture.StopAndWait(a);
        InterfaceCaptureResult rb = await LiveCapture.StopAndWait(b);

        CaptureReadResult fa = Tcpdump.ReadPackets(Assert.Single(ra.Segments).Path);
        CaptureReadResult fb = Tcpdump.ReadPackets(Assert.Single(rb.Segments).Path);
        Assert.Equal(120, fa.Count);
        Assert.Equal(75, fb.Count);
        Assert.All(fa.Packets, l => Assert.Contains($"{labA.PeerAddress}.", l, StringComparison.Ordinal));
        Assert.All(fa.Packets, l => Assert.Contains($"> {labA.HostAddress}.{port}: UDP, length 64", l, StringComparison.Ordinal));
        Assert.All(fb.Packets, l => Assert.Contains($"> {labB.HostAddress}.{port}: UDP, length 300", l, StringComparison.Ordinal));
        Assert.Equal(120, ra.Counters.KernelReceived); // veth: not doubled
        Assert.Equal(75, rb.Counters.KernelReceived);
    }

    [PrivilegedFact]
    public async Task Deadline_ends_the_capture_with_duration_reached()
    {
        Privilege.Require();
        using IInterfaceCapture capture = _engine.Start(Request("lo", "udp port 9", deadline: DateTimeOffset.UtcNow.AddSeconds(1)));
        InterfaceCaptureResult result = await LiveCapture.Ended(capture, TimeSpan.FromSeconds(4));
        Assert.Equal(CaptureEndReason.DurationReached, result.Reason);
        CaptureSegment segment = Assert.Single(result.Segments);
        Assert.Equal(0, segment.Packets);
        Assert.Equal(0, Tcpdump.ReadPackets(segment.Path).ExitCode);
    }

    [PrivilegedFact]
    public async Task Size_limit_ends_the_capture_with_size_reached_and_the_file_within_the_limit()
    {
        Privilege.Require();
        using Socket receiver = LiveCapture.BindLoopbackReceiver(out int port);
        const int record = 16 + 142;
        long limit = 24 + (10 * record) + (record / 2);
        using IInterfaceCapture capture = _engine.Start(Request("lo", $"udp port {port}", maxFileSize: limit));

        UdpTraffic.Send(new IPEndPoint(IPAddress.Loopback, port), 30, 100);
        InterfaceCaptureResult result = await LiveCapture.Ended(capture, TimeSpan.FromSeconds(5));

        Assert.Equal(CaptureEndReason.SizeReached, result.Reason);
        CaptureSegment segment = Assert.Single(result.Segments);
        Assert.Equal(10, segment.Packets);
        Assert.True(new FileInfo(segment.Path).Length <= limit);
        Assert.Equal(10, Tcpdump.ReadPackets(segment.Path).Count);
    }

    [PrivilegedFact]
    public async Task Ring_of_three_keeps_exactly_the_three_newest_files()
    {
        Privilege.Require();
        using Socket receiver = LiveCapture.BindLoopbackReceiver(out int port);
        const int record = 16 + 142;
        using IInterfaceCapture capture = _engine.Start(Request("lo", $"udp port {port}", "ring", maxFileSize: 24 + (5 * record), ring: 3));

        UdpTraffic.Send(new IPEndPoint(IPAddress.Loopback, port), 40, 100);
        Assert.True(await LiveCapture.WaitUntil(() => capture.ReadCounters().PacketsWritten >= 40, TimeSpan.FromSeconds(5)));
        InterfaceCaptureResult result = await LiveCapture.StopAndWait(capture);

        Assert.Equal(CaptureEndReason.Stopped, result.Reason);
        Assert.Equal([6, 7, 8], result.Segments.Select(s => s.Sequence));
        Assert.Equal(8, result.Counters.Segments);
        Assert.Equal(["ring_6.pcap", "ring_7.pcap", "ring_8.pcap"], Directory.GetFiles(_dir.Path).Select(Path.GetFileName).Order());
        Assert.All(result.Segments, s => Assert.Equal(5, Tcpdump.ReadPackets(s.Path).Count));
        Assert.Equal(result.Segments.Sum(s => s.SizeBytes), result.Counters.FileSizeTotal);
    }

    [PrivilegedFact]
    public async Task Packets_are_readable_by_tcpdump_while_the_capture_runs()
    {
        Privilege.Require();
        using Socket receiver = LiveCapture.BindLoopbackReceiver(out int port);
        using IInterfaceCapture capture = _engine.Start(Request("lo", $"udp port {port}", "live"));
        string path = capture.ReadCounters().CurrentFile!;

        UdpTraffic.Send(new IPEndPoint(IPAddress.Loopback, port), 20, 50);
        bool visible = await LiveCapture.WaitUntil(() => Tcpdump.ReadPackets(path).Count == 20, TimeSpan.FromSeconds(1.5));

        Assert.False(capture.Completion.IsCompleted);
        Assert.True(visible, $"tcpdump saw {Tcpdump.ReadPackets(path).Count} of 20 packets while capturing");
        await LiveCapture.StopAndWait(capture);
    }

    [PrivilegedFact]
    public async Task A_full_disk_ends_with_write_error_and_a_file_tcpdump_reads()
    {
        Privilege.Require();
        using var tmpfs = new TmpfsMount(128 * 1024);
        using Socket receiver = LiveCapture.BindLoopbackReceiver(out int port);
        using IInterfaceCapture capture = _engine.Start(Request("lo", $"udp port {port}", path: n => tmpfs.File($"full_{n}.pcap")));

        UdpTraffic.Send(new IPEndPoint(IPAddress.Loopback, port), 400, 1000, packetsPerSecond: 2000);
        InterfaceCaptureResult result = await LiveCapture.Ended(capture, TimeSpan.FromSeconds(5));

        Assert.Equal(CaptureEndReason.WriteError, result.Reason);
        Assert.Contains("No space left on device", result.Error, StringComparison.Ordinal);
        CaptureSegment segment = Assert.Single(result.Segments);
        Assert.True(segment.Packets > 10);
        CaptureReadResult tcpdump = Tcpdump.ReadPackets(segment.Path);
        Assert.True(tcpdump.ExitCode == 0, tcpdump.StandardError);
        Assert.Equal(segment.Packets, tcpdump.Count);
        Assert.Equal(new FileInfo(segment.Path).Length, segment.SizeBytes);
    }

    [PrivilegedFact]
    public async Task Deleting_the_interface_ends_the_capture_with_interface_gone()
    {
        Privilege.Require();
        using var lab = new NetworkNamespaceLab();
        using IInterfaceCapture capture = _engine.Start(Request(lab.HostInterface, "udp port 47002", "gone"));
        lab.SendUdpToHost(47_002, 5, 10);
        Assert.True(await LiveCapture.WaitUntil(() => capture.ReadCounters().PacketsWritten >= 5, TimeSpan.FromSeconds(5)));

        lab.DeleteVeth();
        InterfaceCaptureResult result = await LiveCapture.Ended(capture, TimeSpan.FromSeconds(5));

        Assert.Equal(CaptureEndReason.InterfaceGone, result.Reason);
        Assert.Contains(lab.HostInterface, result.Error, StringComparison.Ordinal);
        CaptureSegment segment = Assert.Single(result.Segments);
        Assert.Equal(5, segment.Packets);
        Assert.Equal(5, Tcpdump.ReadPackets(segment.Path).Count);
    }

    [PrivilegedFact]
    public async Task Capture_on_any_writes_linux_cooked_frames()
    {
        Privilege.Require();
        using Socket receiver = LiveCapture.BindLoopbackReceiver(out int port);
        using IInterfaceCapture capture = _engine.Start(Request("any", $"udp port {port}", "any"));
        UdpTraffic.Send(new IPEndPoint(IPAddress.Loopback, port), 3, 10);
        Assert.True(await LiveCapture.WaitUntil(() => capture.ReadCounters().PacketsWritten >= 3, TimeSpan.FromSeconds(5)));
        InterfaceCaptureResult result = await LiveCapture.StopAndWait(capture);

        PcapFileSummary summary = PcapFileReader.Summarize(Assert.Single(result.Segments).Path);
        Assert.Equal(PcapFormat.LinkTypeLinuxSll2, summary.LinkType);
        Assert.True(summary.Packets >= 3);
    }
}
