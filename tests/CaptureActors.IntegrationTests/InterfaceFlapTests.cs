using System.Globalization;
using System.Text.Json;
using CaptureActors.TestSupport;

namespace CaptureActors.IntegrationTests;

/// <summary>
/// Link flaps during a capture, with the capturectl binary (embedded agent) on veths into namespaces the test makes:
/// <c>ip link set X down/up</c> pauses and resumes an interface in a new segment, <c>ip link del X</c> ends only that
/// interface. Packets in the files are compared with the packets the test sent.
/// </summary>
[Collection(PrivilegedCollection.Name)]
public sealed class InterfaceFlapTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan StateTimeout = TimeSpan.FromSeconds(15);
    private readonly TempDirectory _data = new("ca-flap-");
    private Capturectl? _ctl;

    private Capturectl Ctl => _ctl ??= new Capturectl(_data.Path);

    public void Dispose()
    {
        Ctl.Run("packetcapture", "stop");
        _data.Dispose();
    }

    [PrivilegedFact]
    public void Link_down_pauses_the_interface_without_spinning_and_link_up_resumes_it_in_a_new_segment_with_the_gap_and_one_restart()
    {
        Privilege.Require();
        using var lab = new NetworkNamespaceLab();
        const int port = 40411;
        using var capture = Ctl.Start("packetcapture", "start", "-i", lab.HostInterface, "-f", $"udp port {port}");
        Ctl.WaitForState(StartTimeout, "running");

        Assert.Equal(40, lab.SendUdpToHost(port, 40, 100, packetsPerSecond: 400));
        Thread.Sleep(1000); // past the flush interval: the packets are in the first segment
        var downAt = DateTimeOffset.UtcNow;
        Ip("link", "set", lab.HostInterface, "down");
        WaitForInterface(lab.HostInterface, i => i.TryGetProperty("error", out var e) && e.GetString()?.Contains("link down", StringComparison.Ordinal) == true);

        // While the link is down: what the capture thread costs, and datagrams that must not be in any file.
        var before = CaptureThreadUsage.Read(capture.ProcessId);
        var sentWhileDown = TrySend(lab, port, 30);
        Thread.Sleep(3000);
        var after = CaptureThreadUsage.Read(capture.ProcessId);
        var upAt = DateTimeOffset.UtcNow;
        Ip("link", "set", lab.HostInterface, "up");
        var resumed = WaitForInterface(lab.HostInterface, i => i.GetProperty("restarts").GetInt32() == 1);

        Assert.Equal(50, lab.SendUdpToHost(port, 50, 100, packetsPerSecond: 400));
        Thread.Sleep(1000);
        capture.Signal(2);
        var result = capture.WaitForExit(TimeSpan.FromSeconds(30));

        Assert.True(result.ExitCode == 0, result.StandardError);
        var cpu = after.CpuSeconds - before.CpuSeconds;
        var wakeups = after.VoluntarySwitches - before.VoluntarySwitches;
        output.WriteLine($"sent while down: {sentWhileDown}; capture thread while down for 3 s: {cpu:0.00} s CPU, {wakeups} wake-ups");
        Assert.True(cpu <= 0.15, $"the capture thread used {cpu:0.00} s CPU in 3 s with the link down (a hot loop)");
        Assert.True(wakeups <= 40, $"the capture thread woke {wakeups} times in 3 s with the link down");

        var status = Ctl.Json("packetcapture", "status");
        var row = Assert.Single(status.GetProperty("interfaces").EnumerateArray());
        Assert.Equal(1, row.GetProperty("restarts").GetInt32());
        var gap = Assert.Single(row.GetProperty("gaps").EnumerateArray());
        Assert.Equal("link-down", gap.GetProperty("reason").GetString());
        var from = gap.GetProperty("from").GetDateTimeOffset();
        var to = gap.GetProperty("to").GetDateTimeOffset();
        Assert.InRange(from, downAt - TimeSpan.FromSeconds(1), downAt + TimeSpan.FromSeconds(2));
        Assert.InRange(to, upAt - TimeSpan.FromSeconds(1), upAt + TimeSpan.FromSeconds(6)); // the backoff caps at 5 s
        Assert.Equal(resumed.GetProperty("files").GetInt32(), row.GetProperty("files").GetInt32());
        Assert.Equal(90, row.GetProperty("packetsWritten").GetInt64());

        var files = Files(lab.HostInterface);
        Assert.Equal(2, files.Count);
        Assert.Equal(40, Tcpdump.ReadPackets(files[0]).Count);
        Assert.Equal(50, Tcpdump.ReadPackets(files[1]).Count);
        var sidecar = Sidecar();
        var entry = Assert.Single(sidecar.GetProperty("interfaces").EnumerateArray());
        Assert.Equal(1, entry.GetProperty("restarts").GetInt32());
        Assert.Single(entry.GetProperty("gaps").EnumerateArray());
        Assert.Equal([40L, 50L], entry.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("packets").GetInt64()));
    }

    [PrivilegedFact]
    public void Deleting_one_of_two_interfaces_ends_it_with_interface_gone_and_the_other_keeps_capturing()
    {
        Privilege.Require();
        using var gone = new NetworkNamespaceLab();
        using var stays = new NetworkNamespaceLab();
        const int port = 40412;
        using var capture = Ctl.Start("packetcapture", "start", "-i", gone.HostInterface, "-i", stays.HostInterface, "-f", $"udp port {port}");
        Ctl.WaitForState(StartTimeout, "running");

        Assert.Equal(30, gone.SendUdpToHost(port, 30, 100, packetsPerSecond: 400));
        Assert.Equal(35, stays.SendUdpToHost(port, 35, 100, packetsPerSecond: 400));
        Thread.Sleep(1000);
        gone.DeleteVeth();
        WaitForInterface(gone.HostInterface, i => i.GetProperty("state").GetString() == "stopped");
        Assert.Equal("running", Ctl.Json("packetcapture", "status").GetProperty("state").GetString());

        Assert.Equal(45, stays.SendUdpToHost(port, 45, 100, packetsPerSecond: 400));
        Thread.Sleep(1000);
        capture.Signal(2);
        var result = capture.WaitForExit(TimeSpan.FromSeconds(30));

        Assert.True(result.ExitCode == 0, result.StandardError);
        var rows = Ctl.Json("packetcapture", "status").GetProperty("interfaces").EnumerateArray()
            .ToDictionary(i => i.GetProperty("interface").GetString()!);
        Assert.Equal("interface-gone", rows[gone.HostInterface].GetProperty("stopReason").GetString());
        Assert.Equal("by-request", rows[stays.HostInterface].GetProperty("stopReason").GetString());
        Assert.Equal(30, Tcpdump.ReadPackets(Assert.Single(Files(gone.HostInterface))).Count);
        Assert.Equal(80, Tcpdump.ReadPackets(Assert.Single(Files(stays.HostInterface))).Count);
    }

    [PrivilegedFact]
    public void A_capture_whose_every_interface_is_deleted_ends_with_interface_gone_and_keeps_its_file()
    {
        Privilege.Require();
        using var lab = new NetworkNamespaceLab();
        const int port = 40413;
        using var capture = Ctl.Start("packetcapture", "start", "-i", lab.HostInterface, "-f", $"udp port {port}");
        Ctl.WaitForState(StartTimeout, "running");
        Assert.Equal(25, lab.SendUdpToHost(port, 25, 100, packetsPerSecond: 400));
        Thread.Sleep(1000);

        lab.DeleteVeth();
        var result = capture.WaitForExit(TimeSpan.FromSeconds(30));

        var status = Ctl.Json("packetcapture", "status");
        Assert.Equal("interface-gone", status.GetProperty("stopReason").GetString());
        var row = Assert.Single(status.GetProperty("interfaces").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, row.GetProperty("gaps").ValueKind); // a deletion is an end, not a gap
        Assert.Equal(0, row.GetProperty("restarts").GetInt32());
        Assert.Equal(25, Tcpdump.ReadPackets(Assert.Single(Files(lab.HostInterface))).Count);
        output.WriteLine($"capturectl exit {result.ExitCode}: {result.StandardOutput}");
    }

    private JsonElement WaitForInterface(string name, Func<JsonElement, bool> condition)
    {
        var deadline = DateTime.UtcNow + StateTimeout;
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            var status = Ctl.Json("packetcapture", "status");
            if (status.TryGetProperty("interfaces", out var interfaces))
            {
                foreach (var row in interfaces.EnumerateArray().Where(r => r.GetProperty("interface").GetString() == name))
                {
                    last = row;
                    if (condition(row))
                    {
                        return row;
                    }
                }
            }

            Thread.Sleep(200);
        }

        throw new TimeoutException($"interface {name} never reached the expected state within {StateTimeout}; last: {last}");
    }

    private List<string> Files(string interfaceName) =>
        [.. Directory.GetFiles(Ctl.CaptureDirectory, $"*_{interfaceName}_*.pcap").Order(StringComparer.Ordinal)];

    private JsonElement Sidecar() =>
        JsonDocument.Parse(File.ReadAllText(Assert.Single(Directory.GetFiles(Ctl.CaptureDirectory, "*.capture.json")))).RootElement.Clone();

    /// <summary>Datagrams sent while the link is down: the kernel may refuse them (no carrier) or drop them; none may be captured.</summary>
    private static string TrySend(NetworkNamespaceLab lab, int port, int count)
    {
        try
        {
            return lab.SendUdpToHost(port, count, 100, packetsPerSecond: 400, timeout: TimeSpan.FromSeconds(5)).ToString(CultureInfo.InvariantCulture);
        }
        catch (InvalidOperationException e)
        {
            return $"refused ({e.InnerException?.Message ?? e.Message})";
        }
    }

    private static void Ip(params string[] arguments) =>
        ProcessRunner.Run("ip", arguments).EnsureSuccess("ip " + string.Join(' ', arguments));
}
