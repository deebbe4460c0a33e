using Akka.Actor;
using CaptureActors.Agent.Storage;
using CaptureActors.Pcap;
using CaptureActors.Protocol;
using Xunit.Abstractions;

namespace CaptureActors.Agent.Tests;

/// <summary>
/// What an agent finds on start after its predecessor was killed: a capture left running (sidecar "running", stale
/// active record, a file with a partial last record) and the detached capture's intent. Set up on disk by the test as
/// a killed agent leaves them; then a real agent host (fake engine) starts over the directory.
/// </summary>
public sealed class CaptureRecoveryTests(ITestOutputHelper output) : IDisposable
{
    private static readonly CaptureOwner Owner = new("tester", "test-host", 4242, "test");
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly string _data = Path.Combine(Path.GetTempPath(), "ca-recovery-" + Guid.NewGuid().ToString("N")[..8]);

    private string Captures => Path.Combine(_data, "captures");

    public void Dispose()
    {
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    [Fact]
    public void A_10_minute_capture_interrupted_after_4_minutes_resumes_for_the_6_left()
    {
        var decision = CaptureResumption.Decide(Intent(TimeSpan.FromMinutes(10)), Sidecar(StopReason.AgentCrash, T0.AddMinutes(4)), T0.AddMinutes(5));

        var resume = Assert.IsType<CaptureResumption>(decision.Resume);
        Assert.Equal(TimeSpan.FromMinutes(4), resume.ActiveBefore);
        Assert.Equal(1, resume.Restarts);
        Assert.Equal(new CaptureGap(T0.AddMinutes(4), T0.AddMinutes(5), "agent-restart"), Assert.Single(resume.Gaps));
    }

    [Fact]
    public void A_capture_whose_duration_ran_out_before_the_crash_is_finished_not_resumed()
    {
        var decision = CaptureResumption.Decide(Intent(TimeSpan.FromMinutes(3)), Sidecar(StopReason.AgentCrash, T0.AddMinutes(4)), T0.AddMinutes(5));

        Assert.Null(decision.Resume);
        Assert.Equal(StopReason.DurationReached, decision.FinishWith);
    }

    [Theory]
    [InlineData(StopReason.ByRequest)]
    [InlineData(StopReason.DurationReached)]
    [InlineData(StopReason.OwnerLost)]
    public void A_capture_that_ended_is_never_resumed(StopReason reason)
    {
        var decision = CaptureResumption.Decide(Intent(null), Sidecar(reason, T0.AddMinutes(4)), T0.AddMinutes(5));

        Assert.Null(decision.Resume);
        Assert.Null(decision.FinishWith);
    }

    [Fact]
    public void A_clean_shutdown_resumes_and_adds_to_the_earlier_gaps()
    {
        var intent = Intent(null) with { Restarts = 1, Gaps = [new CaptureGap(T0.AddMinutes(1), T0.AddMinutes(2), "agent-restart")], ActiveBefore = TimeSpan.FromMinutes(1), RunStartedAt = T0.AddMinutes(2) };

        var resume = CaptureResumption.Decide(intent, Sidecar(StopReason.AgentShutdown, T0.AddMinutes(3)), T0.AddMinutes(4)).Resume!;

        Assert.Equal(2, resume.Restarts);
        Assert.Equal(TimeSpan.FromMinutes(2), resume.ActiveBefore);
        Assert.Equal([T0.AddMinutes(1), T0.AddMinutes(3)], resume.Gaps.Select(g => g.From));
    }

    [Fact]
    public async Task An_agent_start_repairs_the_orphaned_file_and_resumes_the_detached_capture_with_the_time_left()
    {
        var now = DateTimeOffset.UtcNow;
        var startedAt = now.AddMinutes(-5);
        var settings = CaptureSettings.Default with { Interfaces = ["lo"], MaxDuration = TimeSpan.FromMinutes(10) };
        Directory.CreateDirectory(Captures);
        var sidecarName = CaptureFileNames.Sidecar("node1", startedAt, "cap1");
        var file = Path.Combine(Captures, CaptureFileNames.Pcap("node1", "lo", startedAt, 1));
        using (var writer = PcapFileWriter.Create(file, PcapFormat.LinkTypeEthernet, 65535))
        {
            for (var i = 0; i < 3; i++)
            {
                writer.Write(now.AddMinutes(-2).ToUnixTimeSeconds() + i, 0, new byte[60], 60);
            }
        }

        // A record header announcing 60 bytes and 4 of them: the write the kill cut short.
        var partial = new byte[20];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(partial.AsSpan(8), 60);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(partial.AsSpan(12), 60);
        File.AppendAllBytes(file, partial);
        var running = new CaptureSidecar(CaptureSidecar.CurrentFormatVersion, "cap1", "node1", Owner, true, settings, startedAt, null,
            CaptureState.Running, null, null, [new SidecarInterface("lo", null, null, 0, 0, 0, 0, 0, 0, [])]);
        AgentJson.WriteAtomically(Path.Combine(Captures, sidecarName), running);
        var lastStatus = new CaptureStatus("node1", CaptureState.Running, "cap1", Owner, true, settings, startedAt, null, TimeSpan.FromMinutes(4), null, null,
            [new InterfaceCaptureStatus("lo", CaptureState.Running, Path.GetFileName(file), 0, 3, 3, 0, 7, 1, 0, 1, null, null)]);
        new ActiveCaptureRecord(99999, sidecarName, lastStatus, [CaptureFileNames.FilePrefix("node1", "lo", startedAt)]).Write(_data);
        var heartbeat = now.AddMinutes(-1);
        File.SetLastWriteTimeUtc(ActiveCaptureRecord.PathIn(_data), heartbeat.UtcDateTime);
        new CaptureIntent(CaptureIntent.CurrentFormatVersion, "cap1", "node1", Owner, settings, sidecarName, startedAt, startedAt, TimeSpan.Zero, 0, []).Write(_data);

        var host = AgentTestHost.Start(_data, recoverOnStart: true);
        using var kit = new Kit(host, output);
        try
        {
            var status = await kit.RunningAsync();

            var capture = Assert.Single(host.Engine.Started);
            Assert.EndsWith("_002.pcap", capture.Path, StringComparison.Ordinal);
            var left = capture.Request.Deadline!.Value - DateTimeOffset.UtcNow;
            Assert.InRange(left, TimeSpan.FromMinutes(6) - TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(6));
            Assert.Equal(1, status.Restarts);
            Assert.Equal(startedAt, status.StartedAt);
            Assert.InRange(status.Elapsed, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(4) + TimeSpan.FromSeconds(10));
            var lo = Assert.Single(status.Interfaces);
            var gap = Assert.Single(lo.Gaps!);
            Assert.Equal(heartbeat, gap.From, TimeSpan.FromSeconds(1));
            Assert.Equal("agent-restart", gap.Reason);
            Assert.Equal(2, lo.Files);
            Assert.True(lo.PacketsWritten >= 3);
            Assert.Equal(1, lo.KernelDropped); // the dead agent's last counters carry over
            Assert.True(lo.KernelReceived >= 7);

            // The orphaned file lost its partial record; the sidecar lists it as the first segment, finished.
            Assert.Equal(24 + (3 * 76), new FileInfo(file).Length);
            var sidecar = AgentJson.TryRead<CaptureSidecar>(Path.Combine(Captures, sidecarName))!;
            Assert.Equal(CaptureState.Running, sidecar.State);
            Assert.Equal(1, sidecar.Restarts);
            var repaired = Assert.Single(sidecar.Files);
            Assert.Equal((Path.GetFileName(file), 3L), (repaired.Name, repaired.Packets));

            var stopped = await kit.Ask<CaptureStopped>(new StopCapture());
            Assert.Equal(StopReason.ByRequest, stopped.Status.StopReason);
            var final = AgentJson.TryRead<CaptureSidecar>(Path.Combine(Captures, sidecarName))!;
            Assert.Equal([Path.GetFileName(file), Path.GetFileName(capture.Path)], final.Files.Select(f => f.Name));
            Assert.False(File.Exists(CaptureIntent.PathIn(_data)));
        }
        finally
        {
            kit.Shutdown();
        }
    }

    [Fact]
    public async Task Over_the_quota_a_resumed_ring_deletes_its_oldest_file_from_before_the_restart_and_runs_on()
    {
        const int Packets = 100;
        const long FileBytes = 24 + (Packets * 76);
        var now = DateTimeOffset.UtcNow;
        var startedAt = now.AddMinutes(-5);
        var settings = CaptureSettings.Default with { Interfaces = ["lo"], MaxFileSizeBytes = 1 << 20, RingFiles = 5 };
        Directory.CreateDirectory(Captures);
        var sidecarName = CaptureFileNames.Sidecar("node1", startedAt, "cap1");
        var earlier = new List<SidecarFile>();
        for (var sequence = 1; sequence <= 2; sequence++)
        {
            var name = CaptureFileNames.Pcap("node1", "lo", startedAt, sequence);
            using (var writer = PcapFileWriter.Create(Path.Combine(Captures, name), PcapFormat.LinkTypeEthernet, 65535))
            {
                for (var i = 0; i < Packets; i++)
                {
                    writer.Write(startedAt.ToUnixTimeSeconds() + sequence, i, new byte[60], 60);
                }
            }

            earlier.Add(new SidecarFile(name, FileBytes, Packets, startedAt, startedAt, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Path.Combine(Captures, name))))));
        }

        var stoppedByShutdown = new CaptureSidecar(CaptureSidecar.CurrentFormatVersion, "cap1", "node1", Owner, true, settings, startedAt, now.AddMinutes(-1),
            CaptureState.Stopped, StopReason.AgentShutdown, null, [new SidecarInterface("lo", StopReason.AgentShutdown, null, 2 * Packets, 2 * Packets, 2 * FileBytes, 2 * Packets, 0, 0, earlier)]);
        AgentJson.WriteAtomically(Path.Combine(Captures, sidecarName), stoppedByShutdown);
        new CaptureIntent(CaptureIntent.CurrentFormatVersion, "cap1", "node1", Owner, settings, sidecarName, startedAt, startedAt, TimeSpan.Zero, 0, []).Write(_data);

        // The quota lets this run write about 4 KB before the files are over it by less than one earlier file.
        var host = AgentTestHost.Start(_data, recoverOnStart: true, configure: o =>
        {
            o.DiskSpace = new FakeDiskSpace(900L << 20, 1000L << 20);
            o.Disk = new Disk.DiskGuardSettings(Disk.DiskFloor.Absolute(1L << 20), (2 * FileBytes) + 4000, TimeSpan.FromMilliseconds(100));
        });
        using var kit = new Kit(host, output);
        try
        {
            await kit.RunningAsync();
            var oldest = Path.Combine(Captures, earlier[0].Name);
            var deadline = DateTimeOffset.UtcNow + AgentTestKit.Wait;
            while (File.Exists(oldest))
            {
                Assert.True(DateTimeOffset.UtcNow < deadline, "the disk guard did not delete the ring's oldest file, written before the restart");
                await Task.Delay(20);
            }

            Assert.True(File.Exists(Path.Combine(Captures, earlier[1].Name)), "only as much as the quota needed is deleted");
            Assert.Equal(CaptureState.Running, (await kit.Ask<CaptureStatus>(GetCaptureStatus.Instance)).State);

            await kit.Ask<CaptureStopped>(new StopCapture());
            var final = AgentJson.TryRead<CaptureSidecar>(Path.Combine(Captures, sidecarName))!;
            Assert.DoesNotContain(earlier[0].Name, final.Files.Select(f => f.Name));
            Assert.Contains(earlier[1].Name, final.Files.Select(f => f.Name));
        }
        finally
        {
            kit.Shutdown();
        }
    }

    [Fact]
    public async Task An_agent_start_finishes_an_attached_capture_left_running_with_agent_crash()
    {
        var startedAt = DateTimeOffset.UtcNow.AddMinutes(-1);
        Directory.CreateDirectory(Captures);
        var sidecarName = CaptureFileNames.Sidecar("node1", startedAt, "att1");
        var file = Path.Combine(Captures, CaptureFileNames.Pcap("node1", "lo", startedAt, 1));
        using (var writer = PcapFileWriter.Create(file, PcapFormat.LinkTypeEthernet, 65535))
        {
            writer.Write(startedAt.ToUnixTimeSeconds() + 1, 5, new byte[60], 60);
        }

        AgentJson.WriteAtomically(Path.Combine(Captures, sidecarName), new CaptureSidecar(CaptureSidecar.CurrentFormatVersion, "att1", "node1", Owner, false,
            CaptureSettings.Default with { Interfaces = ["lo"] }, startedAt, null, CaptureState.Running, null, null, [new SidecarInterface("lo", null, null, 0, 0, 0, 0, 0, 0, [])]));

        var host = AgentTestHost.Start(_data, recoverOnStart: true);
        using var kit = new Kit(host, output);
        try
        {
            var status = await kit.Ask<CaptureStatus>(GetCaptureStatus.Instance);

            Assert.Empty(host.Engine.Started);
            Assert.Equal((CaptureState.Stopped, StopReason.AgentCrash), (status.State, status.StopReason));
            Assert.Equal(1, status.TotalPacketsWritten);
            var listed = Assert.Single((await kit.Ask<FileListing>(ListFiles.Instance)).Files);
            Assert.Equal((CaptureFileState.Finished, 1L), (listed.State, listed.Packets));
            Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(startedAt.ToUnixTimeSeconds() + 1).AddTicks(50), status.StoppedAt);
        }
        finally
        {
            kit.Shutdown();
        }
    }

    private static CaptureIntent Intent(TimeSpan? duration) => new(
        CaptureIntent.CurrentFormatVersion, "cap1", "node1", Owner, CaptureSettings.Default with { MaxDuration = duration },
        "node1_x_cap1.capture.json", T0, T0, TimeSpan.Zero, 0, []);

    private static CaptureSidecar Sidecar(StopReason reason, DateTimeOffset stoppedAt) => new(
        CaptureSidecar.CurrentFormatVersion, "cap1", "node1", Owner, true, CaptureSettings.Default, T0, stoppedAt, CaptureState.Stopped, reason, null,
        [new SidecarInterface("any", reason, null, 0, 0, 0, 0, 0, 0, [])]);

    private sealed class Kit(AgentTestHost host, ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(host.System, output)
    {
        public async Task<T> Ask<T>(object message) => await host.Agent.Ask<T>(message, AgentTestKit.Wait);

        public async Task<CaptureStatus> RunningAsync()
        {
            var deadline = DateTimeOffset.UtcNow + AgentTestKit.Wait;
            while (true)
            {
                var status = await Ask<CaptureStatus>(GetCaptureStatus.Instance);
                if (status is { State: CaptureState.Running } && status.Interfaces.All(i => i.CurrentFile is not null))
                {
                    return status;
                }

                Assert.True(DateTimeOffset.UtcNow < deadline, $"the capture did not resume and count; last state {status.State}");
                await Task.Delay(50);
            }
        }

        protected override void AfterAll()
        {
            base.AfterAll();
            host.Dispose();
        }
    }
}
