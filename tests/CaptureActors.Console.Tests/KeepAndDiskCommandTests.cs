using System.Text.Json;
using CaptureActors.Console.Tests.Fakes;
using CaptureActors.Protocol;

namespace CaptureActors.Console.Tests;

/// <summary><c>packetcapture keep</c>, the keep mark in <c>files</c> and the disk headroom in <c>status</c>.</summary>
public sealed class KeepAndDiskCommandTests : CapturectlTest
{
    [Fact]
    public async Task Keep_marks_the_files_and_reports_each_refusal_with_exit_1()
    {
        Respond(m => m is KeepFiles k
            ? new FilesKept([k.Names[0]], [new FileRefusal(k.Names[1], ErrorCode.UnknownFile, $"no capture file named '{k.Names[1]}' on node node1")], k.Keep)
            : null);

        var result = await Run("packetcapture", "keep", "a.pcap", "b.pcap");

        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        var request = Assert.Single(ReceivedOf<KeepFiles>());
        Assert.Equal(["a.pcap", "b.pcap"], request.Names);
        Assert.True(request.Keep);
        Assert.Contains("kept a.pcap", result.Out);
        Assert.Contains("capturectl: b.pcap: no capture file named 'b.pcap' on node node1", result.Error);
    }

    [Fact]
    public async Task Unkeep_takes_the_mark_off_and_json_prints_the_reply()
    {
        Respond(m => m is KeepFiles k ? new FilesKept(k.Names, [], k.Keep) : null);

        var result = await Run("packetcapture", "keep", "a.pcap", "--unkeep", "--json");

        Assert.Equal(ExitCodes.Done, result.ExitCode);
        Assert.False(Assert.Single(ReceivedOf<KeepFiles>()).Keep);
        var json = JsonDocument.Parse(result.Out).RootElement;
        Assert.Equal("a.pcap", json.GetProperty("changed")[0].GetString());
        Assert.False(json.GetProperty("keep").GetBoolean());
    }

    [Fact]
    public async Task Keep_without_a_file_is_a_usage_error()
    {
        var result = await Run("packetcapture", "keep");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Empty(ReceivedOf<KeepFiles>());
    }

    [Fact]
    public async Task Files_marks_kept_files()
    {
        Respond(m => m is ListFiles
            ? new FileListing(Statuses.Node, [StartCommandTests.File("kept.pcap", Statuses.CaptureId) with { Kept = true }, StartCommandTests.File("other.pcap", Statuses.CaptureId)])
            : null);

        var result = await Run("packetcapture", "files");

        Assert.Equal(ExitCodes.Done, result.ExitCode);
        var lines = result.Out.Split('\n');
        Assert.Contains("finished, keep", lines.Single(l => l.Contains("kept.pcap", StringComparison.Ordinal)));
        Assert.DoesNotContain("keep", lines.Single(l => l.Contains("other.pcap", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Status_shows_disk_headroom_in_the_table_view_and_in_json()
    {
        var disk = new DiskHeadroom(FreeBytes: 10L << 30, FloorBytes: 2L << 30, CaptureBytes: 3L << 30, QuotaBytes: 4L << 30);
        Respond(m => m is GetCaptureStatus ? Statuses.Running() with { Disk = disk } : null);

        var table = await Run("packetcapture", "status");
        var json = await Run("packetcapture", "status", "--json");

        Assert.Contains("disk: 10.0 GB free (floor 2.0 GB), capture files 3.0 GB (quota 4.0 GB), headroom 1.0 GB", table.Out);
        var headroom = JsonDocument.Parse(json.Out).RootElement.GetProperty("disk");
        Assert.Equal(10L << 30, headroom.GetProperty("freeBytes").GetInt64());
        Assert.Equal(4L << 30, headroom.GetProperty("quotaBytes").GetInt64());
        Assert.Equal(1L << 30, headroom.GetProperty("headroomBytes").GetInt64());
    }
}
