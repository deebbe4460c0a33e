using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Akka.Actor;
using CaptureActors.Protocol;
using CaptureActors.TestSupport;
using Xunit.Abstractions;

namespace CaptureActors.IntegrationTests;

/// <summary>
/// Least privilege (issue 6): the agent as a dedicated user with only CAP_NET_RAW and CAP_NET_ADMIN, as the systemd
/// unit runs it, owns and rotates its capture files in a directory only it writes (tcpdump -Z's trap, tcpdump issue
/// 1170, where rotation after the privilege drop failed, does not arise); without CAP_NET_RAW a start is refused
/// with a clear error; a world-writable data directory stops it at start; the unit file itself is checked.
/// </summary>
[Collection(PrivilegedCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed partial class LeastPrivilegeTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(20);
    private readonly TempDirectory _root = new("ca-lp-");

    public void Dispose() => _root.Dispose();

    [PrivilegedFact]
    public async Task As_a_dedicated_user_with_only_the_units_capabilities_the_agent_rotates_files_it_owns_0640_in_its_0750_directory()
    {
        Privilege.Require();
        using var user = new TemporarySystemUser();
        string data = DataDirectoryOwnedBy(user);
        string capabilities = CaptureAgentUnit.Load().AmbientCapabilitiesForSetpriv;
        Assert.Equal("net_raw,net_admin", capabilities);
        using var agent = PrivilegeDroppedAgent.Start(user.Name, capabilities, data, "lp1");
        (ulong caps, int uid) = agent.Credentials();
        output.WriteLine($"agent pid {agent.ProcessId} uid {uid} CapEff {caps:x16}");
        Assert.Equal(user.Uid, uid);
        Assert.Equal((1UL << 12) | (1UL << 13), caps); // CAP_NET_ADMIN, CAP_NET_RAW and nothing else

        const int datagrams = 300;
        const int ring = 4;
        int port = FreeUdpPort();
        using (var client = new RemoteAgentClient())
        {
            IActorRef guardian = await client.ResolveAgentAsync("127.0.0.1", agent.Port);
            object started = await guardian.Ask<object>(
                new StartCapture(
                    new CaptureOptions(Interfaces: ["lo"], Filter: $"udp and dst port {port}", MaxFileSizeBytes: 16 * 1024, RingFiles: ring),
                    CaptureOwner.OfThisProcess("least-privilege-test"),
                    Detached: true),
                AskTimeout);
            Assert.True(started is CaptureStarted, $"{started}\n{agent.StandardError}");

            UdpTraffic.Send(new IPEndPoint(IPAddress.Loopback, port), datagrams, 1000, packetsPerSecond: 3000);
            await WaitForPacketsWritten(guardian, datagrams, TimeSpan.FromSeconds(15));
            var stopped = await guardian.Ask<CaptureStopped>(new StopCapture(), AskTimeout);
            Assert.True(stopped.WasRunning);
        }

        string captures = Path.Combine(data, "captures");
        string[] files = [.. Directory.GetFiles(captures, "lp1_lo_*.pcap").Order(StringComparer.Ordinal)];
        int lastSequence = files.Select(f => int.Parse(SequencePattern().Match(f).Groups["seq"].Value, CultureInfo.InvariantCulture)).Max();
        output.WriteLine($"{files.Length} files kept of {lastSequence} written: {string.Join(", ", files.Select(Path.GetFileName))}");
        Assert.Equal(ring, files.Length);
        Assert.True(lastSequence >= 10, $"only {lastSequence} files written: rotation barely happened"); // ~1 KB packets, 16 KiB files: ~20
        Assert.Equal($"{user.Name}:{user.Name} 750", Stat(captures));
        foreach (string file in files.Concat(Directory.GetFiles(captures, "*.capture.json")))
        {
            Assert.Equal($"{user.Name}:{user.Name} 640", Stat(file)); // created by the agent's user, no access for others
        }

        long packets = 0;
        foreach (string file in files)
        {
            CaptureReadResult read = Tcpdump.ReadPackets(file);
            Assert.True(read.ExitCode == 0, $"tcpdump -r {file}: {read.StandardError}");
            Assert.True(read.Count > 0, $"{file} holds no packet");
            packets += read.Count;
        }

        output.WriteLine($"tcpdump reads {packets} packets in the {ring} files kept");
        ProcessResult exit = agent.Terminate(TimeSpan.FromSeconds(30));
        Assert.True(exit.ExitCode == 0, exit.StandardError);
    }

    [PrivilegedFact]
    public async Task Without_cap_net_raw_a_start_is_refused_with_the_permission_it_lacks_and_the_agent_keeps_serving()
    {
        Privilege.Require();
        using var user = new TemporarySystemUser();
        string data = DataDirectoryOwnedBy(user);
        using var agent = PrivilegeDroppedAgent.Start(user.Name, "", data, "lp2");
        Assert.Equal(0UL, agent.Credentials().EffectiveCapabilities);

        using (var client = new RemoteAgentClient())
        {
            IActorRef guardian = await client.ResolveAgentAsync("127.0.0.1", agent.Port);
            object reply = await guardian.Ask<object>(
                new StartCapture(new CaptureOptions(Interfaces: ["lo"]), CaptureOwner.OfThisProcess("least-privilege-test"), Detached: true), AskTimeout);

            CaptureRejected rejected = Assert.IsType<CaptureRejected>(reply);
            output.WriteLine(rejected.Message);
            Assert.Equal(ErrorCode.PermissionDenied, rejected.Code);
            Assert.StartsWith("capturing needs the CAP_NET_RAW capability, which this process lacks", rejected.Message, StringComparison.Ordinal);
            Assert.Equal(CaptureState.Idle, (await guardian.Ask<CaptureStatus>(GetCaptureStatus.Instance, AskTimeout)).State);
        }

        Assert.Empty(Directory.GetFiles(Path.Combine(data, "captures")));
        Assert.Equal(0, agent.Terminate(TimeSpan.FromSeconds(30)).ExitCode);
    }

    [Fact]
    public void A_world_writable_data_directory_stops_the_agent_at_start_with_what_to_do()
    {
        string data = Path.Combine(_root.Path, "open");
        Directory.CreateDirectory(data);
        File.SetUnixFileMode(data, (UnixFileMode)Convert.ToInt32("777", 8));

        ProcessResult result = ProcessRunner.Run(CaptureAgentProcess.Executable, ["--listen", "127.0.0.1:0", "--data-dir", data], TimeSpan.FromSeconds(30));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"capture-agent: data directory {data} is writable by every user (mode 0777): anyone could plant or replace capture files", result.StandardError, StringComparison.Ordinal);
        Assert.Empty(result.StandardOutput);
        Assert.False(Directory.Exists(Path.Combine(data, "captures")));
    }

    [Fact]
    public void The_systemd_unit_runs_the_agent_as_its_own_user_with_only_capture_capabilities_and_a_private_data_directory()
    {
        CaptureAgentUnit unit = CaptureAgentUnit.Load();

        Assert.Equal("capture-agent", unit["User"]);
        Assert.Equal("capture-agent", unit["Group"]);
        Assert.Equal("CAP_NET_RAW CAP_NET_ADMIN", unit["AmbientCapabilities"]);
        Assert.Equal("CAP_NET_RAW CAP_NET_ADMIN", unit["CapabilityBoundingSet"]);
        Assert.Equal("yes", unit["NoNewPrivileges"]);
        Assert.Equal("strict", unit["ProtectSystem"]);
        Assert.Equal("capture-actors", unit["StateDirectory"]);
        Assert.Equal("0750", unit["StateDirectoryMode"]);
        Assert.Equal("0027", unit["UMask"]);
        Assert.Equal("/var/lib/capture-actors", unit["ReadWritePaths"]);
        Assert.Contains("--data-dir /var/lib/capture-actors", unit["ExecStart"], StringComparison.Ordinal);
        Assert.Empty(unit.Service["MemoryDenyWriteExecute"]); // the JIT needs it off
        Assert.Empty(unit.Service["PrivateUsers"]);           // capabilities would only count inside a user namespace

        // systemd's own checks: the unit parses without a warning, and its exposure score (0 safe .. 10 exposed).
        string copy = Path.Combine(_root.Path, "capture-agent.service");
        File.WriteAllText(copy, File.ReadAllText(unit.Path).Replace("/opt/capture-actors/capture-agent", CaptureAgentProcess.Executable, StringComparison.Ordinal));
        ProcessResult verify = ProcessRunner.Run("systemd-analyze", ["verify", copy], TimeSpan.FromSeconds(60));
        Assert.True(verify.ExitCode == 0 && verify.StandardError.Trim().Length == 0, $"systemd-analyze verify: {verify.StandardError}");
        ProcessResult security = ProcessRunner.Run("systemd-analyze", ["security", "--offline=yes", "--no-pager", copy], TimeSpan.FromSeconds(60));
        Match score = ExposurePattern().Match(security.StandardOutput + security.StandardError);
        Assert.True(score.Success, security.StandardOutput + security.StandardError);
        double exposure = double.Parse(score.Groups["score"].Value, CultureInfo.InvariantCulture);
        output.WriteLine($"systemd-analyze security: exposure {exposure} (0 safe .. 10 exposed)");
        Assert.True(exposure <= 4.0, $"exposure {exposure}: the unit lost some of its hardening");
    }

    /// <summary>A data directory as systemd's StateDirectory= makes it: owned by the service user, 0750, under a root-owned 0755 parent.</summary>
    private string DataDirectoryOwnedBy(TemporarySystemUser user)
    {
        File.SetUnixFileMode(_root.Path, (UnixFileMode)Convert.ToInt32("755", 8)); // the temp directory is 0700: let the user through
        string data = Path.Combine(_root.Path, "data");
        Directory.CreateDirectory(data);
        user.Own(data, "750");
        return data;
    }

    private static async Task WaitForPacketsWritten(IActorRef guardian, long packets, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        CaptureStatus status;
        do
        {
            status = await guardian.Ask<CaptureStatus>(GetCaptureStatus.Instance, AskTimeout);
            if (status.TotalPacketsWritten >= packets)
            {
                return;
            }

            await Task.Delay(200);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Fail($"{status.TotalPacketsWritten} of {packets} packets written after {timeout}");
    }

    private static string Stat(string path) => ProcessRunner.Run("stat", ["-c", "%U:%G %a", path]).EnsureSuccess("stat").StandardOutput.Trim();

    private static int FreeUdpPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    [GeneratedRegex(@"_(?<seq>\d{3,6})\.pcap$")]
    private static partial Regex SequencePattern();

    [GeneratedRegex(@"Overall exposure level for \S+: (?<score>\d+(\.\d+)?)")]
    private static partial Regex ExposurePattern();
}
