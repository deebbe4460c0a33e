using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using CaptureActors.TestSupport;

namespace CaptureActors.IntegrationTests;

/// <summary>The capturectl binary as a user runs it, capturing with real libpcap on lo and on veth pairs into namespaces.</summary>
[Collection(PrivilegedCollection.Name)]
public sealed class CapturectlCaptureTests : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
    private readonly TempDirectory _data = new("ca-it-");
    private readonly Capturectl _ctl;

    public CapturectlCaptureTests() => _ctl = new Capturectl(_data.Path);

    public void Dispose()
    {
        // Never leave a detached capture behind.
        _ctl.Run("packetcapture", "stop");
        _data.Dispose();
    }

    [PrivilegedFact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void Attached_capture_on_lo_writes_exactly_the_datagrams_sent_and_the_file_can_be_listed_downloaded_and_deleted()
    {
        Privilege.Require();
        var port = UdpTraffic.FreePort();
        using var capture = _ctl.Start("packetcapture", "start", "-i", "lo", "-f", $"udp port {port}", "--duration", "6s");
        _ctl.WaitForState(StartTimeout, "running");

        Assert.Equal(500, UdpTraffic.Send(new IPEndPoint(IPAddress.Loopback, port), 500, 100, packetsPerSecond: 2000));
        var result = capture.WaitForExit(TimeSpan.FromSeconds(40));

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Contains("duration-reached", result.StandardOutput);
        var file = Assert.Single(_ctl.Json("packetcapture", "files").GetProperty("files").EnumerateArray());
        var name = file.GetProperty("name").GetString()!;
        Assert.StartsWith("itest_lo_", name);
        Assert.Equal(500, file.GetProperty("packets").GetInt64());
        Assert.Contains(name, result.StandardOutput);
        var read = Tcpdump.ReadPackets(Path.Combine(_ctl.CaptureDirectory, name));
        Assert.Equal(0, read.ExitCode);
        Assert.Equal(500, read.Count);
        // The embedded agent keeps other users out as capture-agent does: umask 027, so 0750 directories, 0640 files.
        var privateDirectory = (UnixFileMode)Convert.ToInt32("750", 8);
        var privateFile = (UnixFileMode)Convert.ToInt32("640", 8);
        Assert.Equal(privateDirectory, File.GetUnixFileMode(_ctl.CaptureDirectory));
        Assert.All(Directory.GetFiles(_ctl.CaptureDirectory), f => Assert.Equal(privateFile, File.GetUnixFileMode(f)));

        var status = _ctl.Json("packetcapture", "status");
        Assert.Equal("stopped", status.GetProperty("state").GetString());
        Assert.Equal("duration-reached", status.GetProperty("stopReason").GetString());

        using var downloads = new TempDirectory("ca-dl-");
        var download = _ctl.Run("packetcapture", "download", name, "-o", downloads.Path);
        Assert.True(download.ExitCode == 0, download.StandardError);
        Assert.Equal(privateFile, File.GetUnixFileMode(downloads.File(name)));
        Assert.Equal(File.ReadAllBytes(Path.Combine(_ctl.CaptureDirectory, name)), File.ReadAllBytes(downloads.File(name)));

        var delete = _ctl.Run("packetcapture", "delete", name);
        Assert.True(delete.ExitCode == 0, delete.StandardError);
        Assert.False(File.Exists(Path.Combine(_ctl.CaptureDirectory, name)));
        Assert.Empty(_ctl.Json("packetcapture", "files").GetProperty("files").EnumerateArray());
    }

    [PrivilegedFact]
    public void Ctrl_c_stops_an_attached_capture_and_keeps_every_packet()
    {
        Privilege.Require();
        var port = UdpTraffic.FreePort();
        using var capture = _ctl.Start("packetcapture", "start", "-i", "lo", "-f", $"udp port {port}");
        _ctl.WaitForState(StartTimeout, "running");
        UdpTraffic.Send(new IPEndPoint(IPAddress.Loopback, port), 120, 64, packetsPerSecond: 2000);
        Thread.Sleep(1500);

        capture.Signal(2);
        var result = capture.WaitForExit(TimeSpan.FromSeconds(30));

        Assert.True(result.ExitCode == 0, result.StandardError);
        var status = _ctl.Json("packetcapture", "status");
        Assert.Equal("by-request", status.GetProperty("stopReason").GetString());
        var name = Assert.Single(_ctl.Json("packetcapture", "files").GetProperty("files").EnumerateArray()).GetProperty("name").GetString()!;
        Assert.Equal(120, Tcpdump.ReadPackets(Path.Combine(_ctl.CaptureDirectory, name)).Count);
    }

    [PrivilegedFact]
    public void A_detached_capture_outlives_its_console_refuses_a_second_start_and_is_stopped_from_another()
    {
        Privilege.Require();
        var port = UdpTraffic.FreePort();

        var detach = _ctl.Run("packetcapture", "start", "-i", "lo", "-f", $"udp port {port}", "--detach");
        Assert.True(detach.ExitCode == 0, detach.StandardOutput + detach.StandardError);
        var running = _ctl.WaitForState(StartTimeout, "running");
        Assert.True(running.GetProperty("otherProcess").GetBoolean());
        var captureId = running.GetProperty("captureId").GetString()!;

        var second = _ctl.Run("packetcapture", "start", "-i", "lo");
        Assert.Equal(1, second.ExitCode);
        Assert.Contains("already running", second.StandardError);
        Assert.Contains(captureId, second.StandardError);

        UdpTraffic.Send(new IPEndPoint(IPAddress.Loopback, port), 50, 64, packetsPerSecond: 1000);
        Thread.Sleep(1500);
        var writing = Assert.Single(_ctl.Json("packetcapture", "files").GetProperty("files").EnumerateArray());
        Assert.Equal("writing", writing.GetProperty("state").GetString());
        var name = writing.GetProperty("name").GetString()!;
        Assert.Equal(1, _ctl.Run("packetcapture", "delete", name).ExitCode);

        // A file being written is readable by tcpdump up to (at most) a second ago.
        Assert.Equal(50, Tcpdump.ReadPackets(Path.Combine(_ctl.CaptureDirectory, name)).Count);

        var stop = _ctl.Run("packetcapture", "stop");
        Assert.True(stop.ExitCode == 0, stop.StandardError);
        var stopped = _ctl.Json("packetcapture", "status");
        Assert.Equal("stopped", stopped.GetProperty("state").GetString());
        Assert.Equal(captureId, stopped.GetProperty("captureId").GetString());
        Assert.Equal(50, Tcpdump.ReadPackets(Path.Combine(_ctl.CaptureDirectory, name)).Count);
        Assert.Equal("finished", Assert.Single(_ctl.Json("packetcapture", "files").GetProperty("files").EnumerateArray()).GetProperty("state").GetString());
    }

    [PrivilegedFact]
    public void Two_veth_interfaces_each_get_their_own_file_with_their_own_packets()
    {
        Privilege.Require();
        using var left = new NetworkNamespaceLab();
        using var right = new NetworkNamespaceLab();
        const int port = 40404;
        using var capture = _ctl.Start(
            "packetcapture", "start", "-i", left.HostInterface, "-i", right.HostInterface, "-f", $"udp port {port}", "--duration", "6s");
        _ctl.WaitForState(StartTimeout, "running");

        Assert.Equal(30, left.SendUdpToHost(port, 30, 200));
        Assert.Equal(45, right.SendUdpToHost(port, 45, 200));
        var result = capture.WaitForExit(TimeSpan.FromSeconds(40));

        Assert.True(result.ExitCode == 0, result.StandardError);
        var files = _ctl.Json("packetcapture", "files").GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(2, files.Count);
        foreach (var (lab, expected) in new[] { (left, 30), (right, 45) })
        {
            var file = files.Single(f => f.GetProperty("interface").GetString() == lab.HostInterface);
            var read = Tcpdump.ReadPackets(Path.Combine(_ctl.CaptureDirectory, file.GetProperty("name").GetString()!));
            Assert.Equal(expected, read.Count);
            Assert.All(read.Packets, p => Assert.Contains($"{lab.PeerAddress}.", p));
        }
    }

    [PrivilegedFact]
    public void A_ring_keeps_only_the_newest_files()
    {
        Privilege.Require();
        var port = UdpTraffic.FreePort();
        using var capture = _ctl.Start("packetcapture", "start", "-i", "lo", "-f", $"udp port {port}", "--max-size", "8KB", "--ring", "3", "--duration", "5s");
        _ctl.WaitForState(StartTimeout, "running");

        UdpTraffic.Send(new IPEndPoint(IPAddress.Loopback, port), 300, 400, packetsPerSecond: 3000);
        var result = capture.WaitForExit(TimeSpan.FromSeconds(40));

        Assert.True(result.ExitCode == 0, result.StandardError);
        var names = _ctl.Json("packetcapture", "files").GetProperty("files").EnumerateArray()
            .Select(f => f.GetProperty("name").GetString()!).Order().ToList();
        Assert.Equal(3, names.Count);
        Assert.All(names, n => Assert.True(new FileInfo(Path.Combine(_ctl.CaptureDirectory, n)).Length <= 8192));
        Assert.All(names, n => Assert.Equal(0, Tcpdump.ReadPackets(Path.Combine(_ctl.CaptureDirectory, n)).ExitCode));
        Assert.NotEqual("001", names[0][^8..^5]);
    }

    [PrivilegedFact]
    public void Without_cap_net_raw_a_start_is_refused_naming_the_capability()
    {
        Privilege.Require();
        var result = ProcessRunner.Run(
            "setpriv",
            ["--inh-caps=-all", "--bounding-set=-net_raw", Capturectl.Executable, "packetcapture", "start", "-i", "lo", "--duration", "2s", "--data-dir", _data.Path],
            Capturectl.CommandTimeout);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("CAP_NET_RAW", result.StandardError);
        Assert.False(Directory.Exists(_ctl.CaptureDirectory) && Directory.EnumerateFiles(_ctl.CaptureDirectory).Any());
    }
}
