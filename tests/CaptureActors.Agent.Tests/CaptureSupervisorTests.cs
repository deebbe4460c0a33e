using Akka.Actor;
using CaptureActors.Agent.Storage;
using CaptureActors.Protocol;
using Xunit.Abstractions;

namespace CaptureActors.Agent.Tests;

public sealed class CaptureSupervisorTests(ITestOutputHelper output) : AgentTestKit(AgentTestHost.Start(), output)
{
    [Fact]
    public async Task Exactly_one_of_fifty_concurrent_starts_wins()
    {
        var starts = Enumerable.Range(0, 50)
            .Select(i => Task.Run(() => Guardian.Ask<object>(
                new StartCapture(new CaptureOptions(Interfaces: ["lo"]), Owner($"user{i}"), Detached: true), Wait)))
            .ToArray();
        var replies = await Task.WhenAll(starts);

        var started = replies.OfType<CaptureStarted>().ToList();
        var rejected = replies.OfType<CaptureRejected>().ToList();
        Assert.Single(started);
        Assert.Equal(49, rejected.Count);
        Assert.All(rejected, r =>
        {
            Assert.Equal(ErrorCode.AlreadyRunning, r.Code);
            Assert.Equal(started[0].Status.CaptureId, r.Running!.CaptureId);
        });
        Assert.Single(Agent.Engine.Started);
    }

    [Fact]
    public async Task Stop_is_idempotent()
    {
        var started = await StartAsync();

        var first = await Ask<CaptureStopped>(new StopCapture());
        var second = await Ask<CaptureStopped>(new StopCapture());

        Assert.True(first.WasRunning);
        Assert.Equal(CaptureState.Stopped, first.Status.State);
        Assert.Equal(StopReason.ByRequest, first.Status.StopReason);
        Assert.False(second.WasRunning);
        Assert.Equal(started.Status.CaptureId, second.Status.CaptureId);
        Assert.Equal(CaptureState.Stopped, second.Status.State);
    }

    [Fact]
    public async Task Status_during_a_run_shows_growing_counters()
    {
        var started = await StartAsync(new CaptureOptions(Interfaces: ["lo", "eth0"], Filter: "udp port 53"));
        Assert.Equal(CaptureState.Running, started.Status.State);

        await Task.Delay(400);
        var early = await Ask<CaptureStatus>(GetCaptureStatus.Instance);
        await Task.Delay(400);
        var later = await Ask<CaptureStatus>(GetCaptureStatus.Instance);

        Assert.Equal(CaptureState.Running, later.State);
        Assert.Equal(["lo", "eth0"], later.Interfaces.Select(i => i.Interface));
        Assert.True(later.TotalPacketsWritten > early.TotalPacketsWritten, $"packets did not grow: {early.TotalPacketsWritten} then {later.TotalPacketsWritten}");
        Assert.True(later.Elapsed > early.Elapsed);
        Assert.Equal("udp port 53", later.Settings!.Filter);
        Assert.All(later.Interfaces, i => Assert.StartsWith("node1_" + i.Interface + "_", i.CurrentFile));
    }

    [Fact]
    public async Task A_second_start_is_refused_with_the_running_capture_and_leaves_it_running()
    {
        var started = await StartAsync();

        var refused = await Ask<CaptureRejected>(new StartCapture(new CaptureOptions(Interfaces: ["eth0"]), Owner("someone-else"), true));

        Assert.Equal(ErrorCode.AlreadyRunning, refused.Code);
        Assert.Equal(started.Status.CaptureId, refused.Running!.CaptureId);
        Assert.Contains("tester@test-host", refused.Message);
        Assert.Equal(CaptureState.Running, (await Ask<CaptureStatus>(GetCaptureStatus.Instance)).State);
    }

    [Fact]
    public async Task Unknown_interface_is_refused_with_the_valid_ones_listed()
    {
        var refused = await Ask<CaptureRejected>(new StartCapture(new CaptureOptions(Interfaces: ["nosuch0"]), Owner(), true));

        Assert.Equal(ErrorCode.UnknownInterface, refused.Code);
        Assert.Contains("'nosuch0'", refused.Message);
        Assert.EndsWith("valid interfaces are any, lo, eth0, eth1", refused.Message);
        Assert.Empty(Agent.Engine.Started);
        Assert.False(Directory.Exists(CaptureDirectory));
    }

    [Fact]
    public async Task Invalid_filter_is_refused_with_the_compilers_message()
    {
        var refused = await Ask<CaptureRejected>(new StartCapture(new CaptureOptions(Interfaces: ["lo"], Filter: "bogus port"), Owner(), true));

        Assert.Equal(ErrorCode.InvalidFilter, refused.Code);
        Assert.Equal("invalid filter 'bogus port': syntax error", refused.Message);
        Assert.Empty(Agent.Engine.Started);
    }

    [Theory]
    [InlineData(100L, null, null, "max file size 100 B is out of range")]
    [InlineData(null, null, 1, "ring of 1 files is out of range")]
    [InlineData(null, 0, null, "snap length 0 is out of range")]
    public async Task Out_of_range_settings_are_refused_before_anything_starts(long? size, int? snap, int? ring, string expected)
    {
        var refused = await Ask<CaptureRejected>(new StartCapture(
            new CaptureOptions(Interfaces: ["lo"], MaxFileSizeBytes: size, SnapLength: snap, RingFiles: ring), Owner(), true));

        Assert.Equal(ErrorCode.InvalidSettings, refused.Code);
        Assert.Contains(expected, refused.Message);
        Assert.Empty(Agent.Engine.Started);
    }

    [Fact]
    public async Task Missing_capture_privilege_is_refused_naming_the_capability()
    {
        Agent.Engine.MissingPrivilege = "capturing needs the CAP_NET_RAW capability";

        var refused = await Ask<CaptureRejected>(new StartCapture(new CaptureOptions(Interfaces: ["lo"]), Owner(), true));

        Assert.Equal(ErrorCode.PermissionDenied, refused.Code);
        Assert.Contains("CAP_NET_RAW", refused.Message);
        Assert.Empty(Agent.Engine.Started);
    }

    [Fact]
    public async Task A_device_that_fails_to_open_fails_the_start_and_releases_the_node()
    {
        Agent.Engine.Broken.Add("eth1");

        var refused = await Ask<CaptureRejected>(new StartCapture(new CaptureOptions(Interfaces: ["lo", "eth1"]), Owner(), true));

        Assert.Equal(ErrorCode.DeviceError, refused.Code);
        Assert.Contains("eth1: device is broken", refused.Message);
        var status = await WaitForStateAsync(CaptureState.Failed);
        Assert.Equal(StopReason.Error, status.StopReason);
        Agent.Engine.Broken.Clear();
        await StartAsync();
    }

    [Fact]
    public async Task Duration_limit_stops_the_capture_and_the_sidecar_records_it()
    {
        var started = await StartAsync(new CaptureOptions(Interfaces: ["lo"], MaxDuration: TimeSpan.FromSeconds(1)));

        var status = await WaitForStateAsync(CaptureState.Stopped);

        Assert.Equal(StopReason.DurationReached, status.StopReason);
        var sidecarPath = Directory.GetFiles(CaptureDirectory, "*" + CaptureFileNames.SidecarExtension).Single();
        var sidecar = AgentJson.TryRead<CaptureSidecar>(sidecarPath)!;
        Assert.Equal(started.Status.CaptureId, sidecar.CaptureId);
        Assert.Equal(StopReason.DurationReached, sidecar.StopReason);
        var file = sidecar.Files.Single();
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Path.Combine(CaptureDirectory, file.Name))), Convert.FromHexString(file.Sha256));
        Assert.Contains("\"stopReason\": \"duration-reached\"", File.ReadAllText(sidecarPath));
    }

    [Fact]
    public async Task An_attached_capture_stops_when_its_owner_dies()
    {
        var owner = CreateTestProbe();
        await StartAsync(detached: false, owner: owner.Ref);

        Sys.Stop(owner.Ref);

        var status = await WaitForStateAsync(CaptureState.Stopped);
        Assert.Equal(StopReason.OwnerLost, status.StopReason);
    }

    [Fact]
    public async Task Setup_is_stored_and_used_by_the_next_start()
    {
        var report = await Ask<SetupReport>(new UpdateSetup(new CaptureOptions(Interfaces: ["eth0"], Filter: "tcp port 25", MaxFileSizeBytes: 1 << 20)));
        Assert.Equal("tcp port 25", report.Settings.Filter);

        var started = await StartAsync(CaptureOptions.None);

        Assert.Equal(["eth0"], started.Status.Settings!.Interfaces);
        Assert.Equal("tcp port 25", started.Status.Settings.Filter);
        Assert.Equal(1 << 20, started.Status.Settings.MaxFileSizeBytes);
        Assert.True(File.Exists(Path.Combine(Agent.Options.DataDirectory, SetupStore.FileName)));
    }

    [Fact]
    public async Task Setup_refuses_a_bad_filter_and_keeps_the_old_one()
    {
        await Ask<SetupReport>(new UpdateSetup(new CaptureOptions(Filter: "icmp")));

        var failed = await Ask<CommandFailed>(new UpdateSetup(new CaptureOptions(Filter: "bogus")));

        Assert.Equal(ErrorCode.InvalidFilter, failed.Code);
        Assert.Equal("icmp", (await Ask<SetupReport>(GetSetup.Instance)).Settings.Filter);
    }

    [Fact]
    public async Task Two_agents_sharing_a_data_directory_are_one_node()
    {
        var started = await StartAsync();
        using var other = AgentTestHost.Start(Agent.Options.DataDirectory, node: "node1");

        var refused = await other.Agent.Ask<CaptureRejected>(new StartCapture(new CaptureOptions(Interfaces: ["lo"]), Owner("other"), true), Wait);
        var seen = await other.Agent.Ask<CaptureStatus>(GetCaptureStatus.Instance, Wait);

        Assert.Equal(ErrorCode.AlreadyRunning, refused.Code);
        Assert.Equal(started.Status.CaptureId, refused.Running!.CaptureId);
        Assert.Equal(started.Status.CaptureId, seen.CaptureId);
        Assert.True(seen.OtherProcess);
        Assert.Empty(other.Engine.Started);
    }

    [Fact]
    public async Task A_new_agent_reports_how_the_last_capture_of_its_data_directory_ended()
    {
        var started = await StartAsync();
        await Ask<CaptureStopped>(new StopCapture());
        using var other = AgentTestHost.Start(Agent.Options.DataDirectory, node: "node1");

        var status = await other.Agent.Ask<CaptureStatus>(GetCaptureStatus.Instance, Wait);

        Assert.Equal(started.Status.CaptureId, status.CaptureId);
        Assert.Equal(CaptureState.Stopped, status.State);
        Assert.Equal(StopReason.ByRequest, status.StopReason);
        Assert.Equal("lo", Assert.Single(status.Interfaces).Interface);
    }

    [Fact]
    public async Task A_scheduled_start_reserves_the_node_at_once_and_starts_at_the_given_instant()
    {
        var at = DateTimeOffset.UtcNow.AddMilliseconds(700);

        var started = await Ask<CaptureStarted>(new StartCapture(new CaptureOptions(Interfaces: ["lo"]), Owner(), true, StartAt: at));
        var refused = await Ask<CaptureRejected>(new StartCapture(new CaptureOptions(Interfaces: ["lo"]), Owner("late"), true));

        Assert.Equal(at, started.Status.StartedAt);
        Assert.Equal(ErrorCode.AlreadyRunning, refused.Code);
    }

    [Fact]
    public async Task A_start_scheduled_too_far_ahead_is_refused_naming_the_clocks()
    {
        var refused = await Ask<CaptureRejected>(new StartCapture(
            new CaptureOptions(Interfaces: ["lo"]), Owner(), true, StartAt: DateTimeOffset.UtcNow.AddMinutes(5)));

        Assert.Equal(ErrorCode.InvalidSettings, refused.Code);
        Assert.Contains("check the clocks", refused.Message);
        Assert.Empty(Agent.Engine.Started);
    }
}
