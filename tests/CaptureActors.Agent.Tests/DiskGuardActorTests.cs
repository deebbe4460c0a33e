using CaptureActors.Agent.Disk;
using CaptureActors.Agent.Storage;
using CaptureActors.Protocol;
using Xunit.Abstractions;

namespace CaptureActors.Agent.Tests;

/// <summary>The disk guard inside the agent's actors: start refusal, stop of a running capture, headroom in status, keep marks.</summary>
public sealed class DiskGuardActorTests : AgentTestKit
{
    private const long Mb = 1 << 20;

    private static readonly FakeDiskSpace Disk = new(500 * Mb, 1000 * Mb);

    public DiskGuardActorTests(ITestOutputHelper output)
        : base(AgentTestHost.Start(configure: o =>
        {
            o.DiskSpace = Disk;
            o.Disk = new DiskGuardSettings(DiskFloor.Absolute(100 * Mb), null, TimeSpan.FromMilliseconds(100));
        }), output)
    {
        Disk.FreeBytes = 500 * Mb;
    }

    [Fact]
    public async Task A_start_below_the_floor_is_refused_with_free_space_and_floor_and_touches_nothing()
    {
        Disk.FreeBytes = 99 * Mb;

        var refused = await Ask<CaptureRejected>(new StartCapture(new CaptureOptions(Interfaces: ["lo"]), Owner(), true));

        Assert.Equal(ErrorCode.DiskFull, refused.Code);
        Assert.Contains($"99.0 MB free on the file system of {CaptureDirectory}, below the free-disk floor of 100.0 MB", refused.Message, StringComparison.Ordinal);
        Assert.Empty(Agent.Engine.Started);
        Assert.Empty(Directory.GetFiles(CaptureDirectory));
        Assert.Equal(CaptureState.Idle, (await Ask<CaptureStatus>(GetCaptureStatus.Instance)).State);
    }

    [Fact]
    public async Task A_capture_that_is_not_a_ring_stops_with_disk_floor_when_free_space_falls_below_the_floor()
    {
        var started = await StartAsync();
        await Task.Delay(300);

        Disk.FreeBytes = 90 * Mb;
        var status = await WaitForStateAsync(CaptureState.Stopped, CaptureState.Failed);

        Assert.Equal(CaptureState.Stopped, status.State);
        Assert.Equal(StopReason.DiskFloor, status.StopReason);
        Assert.Contains("90.0 MB free", status.Error, StringComparison.Ordinal);
        var sidecar = AgentJson.TryRead<CaptureSidecar>(Directory.GetFiles(CaptureDirectory, "*" + CaptureFileNames.SidecarExtension).Single())!;
        Assert.Equal(started.Status.CaptureId, sidecar.CaptureId);
        Assert.Equal(StopReason.DiskFloor, sidecar.StopReason);
        var file = Assert.Single(Assert.Single(sidecar.Interfaces).Files);
        Assert.True(file.Packets > 0);
        Assert.Equal(24 + (file.Packets * 76), new FileInfo(Path.Combine(CaptureDirectory, file.Name)).Length);
        Assert.Empty(Directory.GetFiles(CaptureDirectory, "*.reserve"));
    }

    [Fact]
    public async Task A_ring_whose_only_file_is_being_written_stops_with_disk_floor_and_keeps_that_file()
    {
        await StartAsync(new CaptureOptions(Interfaces: ["lo"], MaxFileSizeBytes: 1 * Mb, RingFiles: 3));
        await Task.Delay(300);
        var current = (await Ask<CaptureStatus>(GetCaptureStatus.Instance)).Interfaces.Single().CurrentFile!;

        Disk.FreeBytes = 99 * Mb;
        var status = await WaitForStateAsync(CaptureState.Stopped, CaptureState.Failed);

        Assert.Equal(StopReason.DiskFloor, status.StopReason);
        Assert.Contains("the ring has only 0 B in 0 finished file(s) it may delete", status.Error, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(CaptureDirectory, current)));
    }

    [Fact]
    public async Task Status_shows_the_disk_headroom_while_running_and_idle()
    {
        await StartAsync();
        await Task.Delay(300);

        var running = await Ask<CaptureStatus>(GetCaptureStatus.Instance);
        await Ask<CaptureStopped>(new StopCapture());
        Disk.FreeBytes = 300 * Mb;
        var idle = await Ask<CaptureStatus>(GetCaptureStatus.Instance);

        Assert.Equal(CaptureState.Running, running.State);
        Assert.Equal(new DiskHeadroom(500 * Mb, 100 * Mb, running.Disk!.CaptureBytes, null), running.Disk);
        Assert.True(running.Disk.CaptureBytes > 24);
        Assert.Equal(400 * Mb, running.Disk.HeadroomBytes);
        Assert.Equal(300 * Mb, idle.Disk!.FreeBytes);
        Assert.Equal(new FileInfo(Directory.GetFiles(CaptureDirectory, "*.pcap").Single()).Length, idle.Disk.CaptureBytes);
    }

    [Fact]
    public async Task A_kept_file_is_listed_as_kept_and_neither_delete_nor_clear_removes_it_until_unkept()
    {
        await StartAsync();
        await Task.Delay(200);
        await Ask<CaptureStopped>(new StopCapture());
        var name = Assert.Single((await Ask<FileListing>(ListFiles.Instance)).Files).Name;

        var kept = await Ask<FilesKept>(new KeepFiles([name, "../keep.json"], true));
        var listed = Assert.Single((await Ask<FileListing>(ListFiles.Instance)).Files);
        var deleted = await Ask<FilesDeleted>(new DeleteFiles([name]));
        var cleared = await Ask<FilesDeleted>(ClearFiles.Instance);

        Assert.Equal([name], kept.Changed);
        Assert.Equal(ErrorCode.UnsafeFileName, Assert.Single(kept.Refused).Code);
        Assert.True(listed.Kept);
        Assert.Equal(ErrorCode.FileKept, Assert.Single(deleted.Refused).Code);
        Assert.Contains("packetcapture keep --unkeep", deleted.Refused[0].Message, StringComparison.Ordinal);
        Assert.Empty(cleared.Deleted);
        Assert.Empty(cleared.Refused);
        Assert.True(File.Exists(Path.Combine(CaptureDirectory, name)));
        Assert.Contains(name, KeepList.Load(Agent.Options.DataDirectory));

        var unkept = await Ask<FilesKept>(new KeepFiles([name], false));
        var finallyDeleted = await Ask<FilesDeleted>(new DeleteFiles([name]));

        Assert.Equal([name], unkept.Changed);
        Assert.Equal([name], finallyDeleted.Deleted);
        Assert.Empty(KeepList.Load(Agent.Options.DataDirectory));
    }
}
