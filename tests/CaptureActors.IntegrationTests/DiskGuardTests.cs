using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using Akka.Actor;
using CaptureActors.Protocol;
using CaptureActors.TestSupport;

namespace CaptureActors.IntegrationTests;

/// <summary>
/// The disk guard and write errors on a real capture-agent process, driven by capturectl over Akka.Remote: a full disk
/// (a small tmpfs), the free-disk floor, the quota with a ring and a kept file. Every file is read back with tcpdump.
/// </summary>
[Collection(PrivilegedCollection.Name)]
public sealed class DiskGuardTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Payload = 1000;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [PrivilegedFact]
    public async Task A_full_disk_stops_the_capture_with_write_error_the_file_valid_and_the_agent_serving()
    {
        Privilege.Require();
        using var tmpfs = new TmpfsMount(1 << 20);
        using var agent = StartAgent(tmpfs.Path, "full1", "floor = none");
        using var client = new RemoteAgentClient();
        var guardian = await client.ResolveAgentAsync("127.0.0.1", agent.Port);
        var port = FreeUdpPort();
        await StartAsync(guardian, new CaptureOptions(Interfaces: ["lo"], Filter: $"udp port {port}", NoMaxFileSize: true));

        var sent = UdpTraffic.Send(new IPEndPoint(IPAddress.Loopback, port), 1500, Payload, packetsPerSecond: 5000);
        var status = await WaitForAsync(guardian, s => s.State is CaptureState.Stopped or CaptureState.Failed);

        Assert.Equal(CaptureState.Stopped, status.State);
        Assert.Equal(StopReason.WriteError, status.StopReason);
        Assert.Contains("No space left on device", status.Error, StringComparison.Ordinal);
        var written = status.TotalPacketsWritten;
        var pcap = Assert.Single(Directory.GetFiles(Captures(tmpfs.Path), "full1_lo_*.pcap"));
        var read = Tcpdump.ReadPackets(pcap);
        Assert.True(read.ExitCode == 0, read.StandardError);
        Assert.True(written > 100 && written < sent, $"{written} written of {sent} sent");
        Assert.Equal(written, read.Count);
        Assert.Equal(24 + (written * (16 + 42 + Payload)), new FileInfo(pcap).Length);
        var file = SidecarFinishedWith(tmpfs.Path, "write-error");
        Assert.Equal(written, file.GetProperty("packets").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(pcap))), file.GetProperty("sha256").GetString());
        output.WriteLine($"full disk: {written} of {sent} datagrams in the file; {status.Error}");

        // The agent keeps serving: files (through capturectl), and a new capture once there is room again.
        var files = Run(agent, "packetcapture", "files");
        Assert.True(files.ExitCode == 0, files.StandardError);
        Assert.Contains(Path.GetFileName(pcap), files.StandardOutput, StringComparison.Ordinal);
        Assert.Single((await guardian.Ask<FilesDeleted>(ClearFiles.Instance, Bound)).Deleted);
        await StartAsync(guardian, new CaptureOptions(Interfaces: ["lo"], Filter: $"udp port {port}", NoMaxFileSize: true));
        Assert.Equal(50, UdpTraffic.Send(new IPEndPoint(IPAddress.Loopback, port), 50, Payload, packetsPerSecond: 1000));
        await WaitForAsync(guardian, s => s.TotalPacketsWritten == 50);
        var again = await guardian.Ask<CaptureStopped>(new StopCapture(), Bound);
        Assert.Equal(StopReason.ByRequest, again.Status.StopReason);
        Assert.Equal(50, Tcpdump.ReadPackets(Assert.Single(Directory.GetFiles(Captures(tmpfs.Path), "full1_lo_*.pcap"))).Count);
    }

    [PrivilegedFact]
    public async Task A_capture_that_is_not_a_ring_stops_with_disk_floor_below_the_floor_and_the_next_start_is_refused()
    {
        Privilege.Require();
        using var tmpfs = new TmpfsMount(4 << 20);
        using var agent = StartAgent(tmpfs.Path, "floor1", "floor = \"3200KB\"");
        using var client = new RemoteAgentClient();
        var guardian = await client.ResolveAgentAsync("127.0.0.1", agent.Port);
        var port = FreeUdpPort();
        await StartAsync(guardian, new CaptureOptions(Interfaces: ["lo"], Filter: $"udp port {port}", NoMaxFileSize: true));

        // 930 KB at once, less than the writer's 1 MB buffer: all of it is with the writer before a timed flush puts it in
        // the file, so before statvfs shows the floor crossed and the guard stops the capture.
        var sent = UdpTraffic.Send(new IPEndPoint(IPAddress.Loopback, port), 900, Payload, packetsPerSecond: 20000);
        var status = await WaitForAsync(guardian, s => s.State is CaptureState.Stopped or CaptureState.Failed);

        Assert.Equal(StopReason.DiskFloor, status.StopReason);
        Assert.Contains("below the free-disk floor of ", status.Error, StringComparison.Ordinal);
        var pcap = Assert.Single(Directory.GetFiles(Captures(tmpfs.Path), "floor1_lo_*.pcap"));
        Assert.Equal(sent, Tcpdump.ReadPackets(pcap).Count);
        Assert.Equal(sent, status.TotalPacketsWritten);
        Assert.Equal(sent, SidecarFinishedWith(tmpfs.Path, "disk-floor").GetProperty("packets").GetInt64());

        var refused = Run(agent, "packetcapture", "start", "-i", "lo", "--detach");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("cannot start a capture:", refused.StandardError, StringComparison.Ordinal);
        Assert.Contains("below the free-disk floor of ", refused.StandardError, StringComparison.Ordinal);
        Assert.Contains("(capture-agent.disk.floor)", refused.StandardError, StringComparison.Ordinal);
        output.WriteLine(refused.StandardError);

        // Across nodes (here one agent under two names) each node's headroom follows the table.
        var both = ProcessRunner.Run(Capturectl.Executable, ["packetcapture", "status", "--node", $"a=127.0.0.1:{agent.Port}", "--node", $"b=127.0.0.1:{agent.Port}", "--all"], Capturectl.CommandTimeout);
        Assert.True(both.ExitCode == 0, both.StandardError);
        Assert.Contains("a: disk: ", both.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("b: disk: ", both.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("(floor 3.1 MB)", both.StandardOutput, StringComparison.Ordinal);
    }

    [PrivilegedFact]
    public async Task A_ring_over_the_quota_deletes_its_oldest_finished_files_but_never_a_kept_one_or_the_current_one()
    {
        Privilege.Require();
        const long quota = 200 * 1024;
        using var data = new TempDirectory("ca-disk-ring-");
        using var agent = StartAgent(data.Path, "ring1", "floor = none", $"quota = {quota}");
        using var client = new RemoteAgentClient();
        var guardian = await client.ResolveAgentAsync("127.0.0.1", agent.Port);
        var port = FreeUdpPort();
        var target = new IPEndPoint(IPAddress.Loopback, port);
        await StartAsync(guardian, new CaptureOptions(Interfaces: ["lo"], Filter: $"udp port {port}", MaxFileSizeBytes: 32 * 1024, RingFiles: 20));

        var sent = UdpTraffic.Send(target, 60, Payload, packetsPerSecond: 1000);
        var second = await WaitForAsync(guardian, s => s.Interfaces[0].Files >= 2);
        var first = second.Interfaces[0].CurrentFile![..^"002.pcap".Length] + "001.pcap";
        var kept = Run(agent, "packetcapture", "keep", first);
        Assert.True(kept.ExitCode == 0, kept.StandardError);
        Assert.Contains($"kept {first}", kept.StandardOutput, StringComparison.Ordinal);

        sent += UdpTraffic.Send(target, 400, Payload, packetsPerSecond: 1000);
        var settled = await WaitForAsync(guardian, s => s.TotalPacketsWritten == sent && s.Disk!.CaptureBytes <= quota);

        Assert.Equal(CaptureState.Running, settled.State);
        Assert.Equal(quota, settled.Disk!.QuotaBytes);
        var current = settled.Interfaces[0].CurrentFile!;
        var refusedDelete = Run(agent, "packetcapture", "delete", first);
        Assert.Equal(1, refusedDelete.ExitCode);
        Assert.Contains("is marked keep", refusedDelete.StandardError, StringComparison.Ordinal);
        var listing = await guardian.Ask<FileListing>(ListFiles.Instance, Bound);
        Assert.True(listing.Files.Single(f => f.Name == first).Kept);
        await guardian.Ask<CaptureStopped>(new StopCapture(), Bound);

        var remaining = Directory.GetFiles(Captures(data.Path), "ring1_lo_*.pcap").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList();
        output.WriteLine($"sent {sent}; left {string.Join(", ", remaining)}");
        foreach (var line in agent.StandardError.Split('\n').Where(l => l.Contains("Disk guard", StringComparison.Ordinal)))
        {
            output.WriteLine(line[(line.IndexOf("Disk guard", StringComparison.Ordinal))..]);
        }

        Assert.Equal(first, remaining[0]);
        Assert.Contains(current, remaining);
        Assert.DoesNotContain(first.Replace("_001.pcap", "_002.pcap", StringComparison.Ordinal), remaining);
        var highest = remaining.Max(n => int.Parse(n[^8..^5], System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(remaining.Count < highest, $"the guard deleted nothing: {remaining.Count} files of {highest}");
        var sidecarFiles = SidecarFiles(data.Path);
        Assert.Equal(remaining, sidecarFiles.Select(f => f.GetProperty("name").GetString()!).Order(StringComparer.Ordinal));
        foreach (var file in sidecarFiles)
        {
            var read = Tcpdump.ReadPackets(Path.Combine(Captures(data.Path), file.GetProperty("name").GetString()!));
            Assert.True(read.ExitCode == 0, read.StandardError);
            Assert.Equal(file.GetProperty("packets").GetInt64(), read.Count);
        }
    }

    private static string Captures(string dataDirectory) => Path.Combine(dataDirectory, "captures");

    private static CaptureAgentProcess StartAgent(string dataDirectory, string node, params string[] diskSettings)
    {
        var config = Path.Combine(Path.GetTempPath(), $"ca-disk-{Guid.NewGuid():N}.hocon");
        File.WriteAllText(config, $"capture-agent.disk {{\n  check-interval = 200ms\n  {string.Join("\n  ", diskSettings)}\n}}\n");
        try
        {
            return CaptureAgentProcess.Start(dataDirectory, node, "--config", config);
        }
        finally
        {
            File.Delete(config);
        }
    }

    [PrivilegedFact]
    public async Task The_writer_asks_for_a_disk_check_per_amount_written_so_a_fast_capture_meets_the_floor_not_a_full_disk()
    {
        Privilege.Require();
        using var tmpfs = new TmpfsMount(4 << 20);

        // The timer would first measure after 10 minutes: only the writer's checks (every 256 KB) can see the floor.
        using var agent = StartAgent(tmpfs.Path, "fast1", "floor = \"3200KB\"", "check-interval = 10m");
        using var client = new RemoteAgentClient();
        var guardian = await client.ResolveAgentAsync("127.0.0.1", agent.Port);
        var port = FreeUdpPort();
        await StartAsync(guardian, new CaptureOptions(Interfaces: ["lo"], Filter: $"udp port {port}", NoMaxFileSize: true));

        // About 1 MB/s, 5 MB in all: more than the whole 4 MB disk.
        UdpTraffic.Send(new IPEndPoint(IPAddress.Loopback, port), 5000, Payload, packetsPerSecond: 1000);
        var status = await WaitForAsync(guardian, s => s.State is CaptureState.Stopped or CaptureState.Failed);

        Assert.True(status.StopReason == StopReason.DiskFloor, $"stopped {status.StopReason}: {status.Error}");
        Assert.Contains("below the free-disk floor of ", status.Error, StringComparison.Ordinal);
        var pcap = Assert.Single(Directory.GetFiles(Captures(tmpfs.Path), "fast1_lo_*.pcap"));
        Assert.Equal(0, Tcpdump.ReadPackets(pcap).ExitCode);
    }

    [PrivilegedFact]
    public void A_ring_or_a_size_that_cannot_fit_above_the_floor_is_refused_at_start_naming_both_numbers()
    {
        Privilege.Require();
        using var tmpfs = new TmpfsMount(20 << 20);
        using var agent = StartAgent(tmpfs.Path, "small1", "floor = \"2%\"");

        var ring = Run(agent, "packetcapture", "start", "-i", "lo", "--max-size", "5MB", "--ring", "10", "--detach");
        Assert.Equal(1, ring.ExitCode);
        Assert.Contains("cannot start a capture: a ring of 10 files of 5.0 MB needs 50.0 MB, but only ", ring.StandardError, StringComparison.Ordinal);
        Assert.Matches(@"only \d+\.\d MB can be written on the file system of \S+ above the free-disk floor \(\d+\.\d MB free, floor 409\.\d KB, sidecar reserve 64\.0 KB\)", ring.StandardError);
        output.WriteLine(ring.StandardError);

        // The node's default size (200 MB, one file) is larger than the whole disk: refused as well.
        var plain = Run(agent, "packetcapture", "start", "-i", "lo", "--ring", "none", "--detach");
        Assert.Equal(1, plain.ExitCode);
        Assert.Contains("cannot start a capture: a file of up to 200.0 MB needs 200.0 MB, but only ", plain.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Captures(tmpfs.Path)) && Directory.EnumerateFiles(Captures(tmpfs.Path), "*.pcap").Any());

        // A ring that fits starts.
        var fits = Run(agent, "packetcapture", "start", "-i", "lo", "--max-size", "2MB", "--ring", "4", "--detach");
        Assert.True(fits.ExitCode == 0, fits.StandardError);
        var stop = Run(agent, "packetcapture", "stop");
        Assert.True(stop.ExitCode == 0, stop.StandardError);
    }

    private static ProcessResult Run(CaptureAgentProcess agent, params string[] arguments) =>
        ProcessRunner.Run(Capturectl.Executable, [.. arguments, "--node", $"n=127.0.0.1:{agent.Port}"], Capturectl.CommandTimeout);

    private static async Task StartAsync(IActorRef guardian, CaptureOptions options)
    {
        var reply = await guardian.Ask<object>(new StartCapture(options, CaptureOwner.OfThisProcess("integration-test"), Detached: true), Bound);
        Assert.True(reply is CaptureStarted, $"start refused: {reply}");
    }

    /// <summary>Polls the agent's status (over Akka.Remote, 100 ms apart) until <paramref name="done"/>; bounded by <see cref="Bound"/>.</summary>
    private static async Task<CaptureStatus> WaitForAsync(IActorRef guardian, Func<CaptureStatus, bool> done)
    {
        var deadline = DateTime.UtcNow + Bound;
        CaptureStatus status;
        do
        {
            status = await guardian.Ask<CaptureStatus>(GetCaptureStatus.Instance, Bound);
            if (status.Interfaces.Count > 0 && done(status))
            {
                return status;
            }

            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);

        throw new TimeoutException($"condition not met within {Bound}; last status: {status}");
    }

    private static List<JsonElement> SidecarFiles(string dataDirectory) =>
        [.. Sidecar(dataDirectory).GetProperty("interfaces")[0].GetProperty("files").EnumerateArray()];

    private static JsonElement Sidecar(string dataDirectory) =>
        JsonDocument.Parse(File.ReadAllText(Assert.Single(Directory.GetFiles(Captures(dataDirectory), "*.capture.json")))).RootElement.Clone();

    /// <summary>The sidecar is finished with <paramref name="reason"/>; its one file entry.</summary>
    private static JsonElement SidecarFinishedWith(string dataDirectory, string reason)
    {
        var sidecar = Sidecar(dataDirectory);
        Assert.Equal("stopped", sidecar.GetProperty("state").GetString());
        Assert.Equal(reason, sidecar.GetProperty("stopReason").GetString());
        return Assert.Single(SidecarFiles(dataDirectory));
    }

    private static int FreeUdpPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
