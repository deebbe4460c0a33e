using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CaptureActors.TestSupport;

namespace CaptureActors.IntegrationTests;

/// <summary>
/// <c>-i any</c> writes LINUX_SLL2, as tcpdump 4.99 does: each packet keeps the interface it came in on and its
/// direction (LINUX_SLL v1 kept neither the interface nor, for tcpdump, a readable direction).
/// </summary>
[Collection(PrivilegedCollection.Name)]
public sealed class AnyDeviceLinkTypeTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _data = new("ca-any-sll2-");
    private readonly Capturectl _ctl;

    public AnyDeviceLinkTypeTests() => _ctl = new Capturectl(_data.Path);

    public void Dispose()
    {
        _ctl.Run("packetcapture", "stop");
        _data.Dispose();
    }

    [PrivilegedFact]
    public void A_capture_on_any_keeps_the_interface_and_direction_of_lo_and_namespace_traffic()
    {
        Privilege.Require();
        using var lab = new NetworkNamespaceLab();
        var loPort = UdpTraffic.FreePort();
        var labPort = UdpTraffic.FreePort();
        using var capture = _ctl.Start("packetcapture", "start", "-i", "any", "-f", $"udp port {loPort} or udp port {labPort}");
        _ctl.WaitForState(Bound, "running");

        Assert.Equal(5, UdpTraffic.Send(new IPEndPoint(IPAddress.Loopback, loPort), 5, 50));
        Assert.Equal(7, lab.SendUdpToHost(labPort, 7, 50));
        var deadline = DateTime.UtcNow + Bound;
        while (_ctl.Json("packetcapture", "status").GetProperty("interfaces")[0].GetProperty("packetsWritten").GetInt64() < 12 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(100);
        }

        Assert.Equal(0, _ctl.Run("packetcapture", "stop").ExitCode);
        var result = capture.WaitForExit(Bound);
        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        var file = Path.Combine(_ctl.CaptureDirectory, Assert.Single(Directory.GetFiles(_ctl.CaptureDirectory, "*.pcap").Select(Path.GetFileName))!);

        var capinfos = ProcessRunner.Run("capinfos", ["-E", file], Bound).EnsureSuccess("capinfos").StandardOutput;
        Assert.Contains("Linux cooked-mode capture v2", capinfos);
        var hostIndex = File.ReadAllText($"/sys/class/net/{lab.HostInterface}/ifindex").Trim();
        var rows = ProcessRunner.Run("tshark", ["-r", file, "-T", "fields", "-e", "udp.dstport", "-e", "sll.ifindex", "-e", "sll.pkttype"], Bound)
            .EnsureSuccess("tshark").Lines.Select(l => l.Split('\t')).ToList();
        var lo = rows.Where(r => r[0] == loPort.ToString(CultureInfo.InvariantCulture)).ToList();
        var fromLab = rows.Where(r => r[0] == labPort.ToString(CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(5, lo.Count);
        Assert.All(lo, r => Assert.Equal(["1", "0"], r[1..])); // lo's ifindex, PACKET_HOST (incoming)
        Assert.Equal(7, fromLab.Count);
        Assert.All(fromLab, r => Assert.Equal([hostIndex, "0"], r[1..]));

        var tcpdump = ProcessRunner.Run("tcpdump", ["-r", file, "-n"], Bound).EnsureSuccess("tcpdump").Lines;
        // tcpdump names the interface from the index (on this host) and pads it: "lo    In  IP 127.0.0.1.36659 > ...".
        Assert.Equal(5, tcpdump.Count(l => System.Text.RegularExpressions.Regex.IsMatch(l, @" lo +In ")));
        Assert.Equal(7, tcpdump.Count(l => System.Text.RegularExpressions.Regex.IsMatch(l, $" {lab.HostInterface} +In ")));
    }
}
