using System.Net;
using System.Text.Json;
using CaptureActors.TestSupport;

namespace CaptureActors.IntegrationTests;

/// <summary>
/// A ring running on a real agent process: its closed segments are finished files while it runs (listed with packets
/// and SHA-256, downloaded verified, deletable, removed by <c>clear</c>); only the segment being written is
/// <c>writing</c>, and status gives that file's own size next to its name.
/// </summary>
[Collection(PrivilegedCollection.Name)]
public sealed class RingSegmentTests : IDisposable
{
    private readonly AgentCluster _cluster = new("ca-ring-");
    private readonly TempDirectory _downloads = new("ca-ring-dl-");

    public void Dispose()
    {
        _cluster.Dispose();
        _downloads.Dispose();
    }

    [PrivilegedFact]
    public void The_closed_segments_of_a_running_ring_are_finished_files_listed_verified_deletable_and_cleared()
    {
        Privilege.Require();
        _cluster.Start(1);
        var port = Random.Shared.Next(41000, 48000);
        var start = _cluster.Ctl("packetcapture", "start", "--on", "node1", "-i", "lo", "-f", $"udp port {port}", "--max-size", "8KB", "--ring", "50", "--duration", "none", "--detach");
        Assert.True(start.ExitCode == 0, start.StandardError);

        UdpTraffic.Send(new IPEndPoint(IPAddress.Loopback, port), 200, 400, packetsPerSecond: 2000);
        var files = WaitForFiles(f => f.Count(x => x.State == "finished") >= 4, "four closed segments listed finished");

        var writing = Assert.Single(files, f => f.State == "writing");
        Assert.Equal(files.MaxBy(f => f.Name)!.Name, writing.Name);
        Assert.All(files.Where(f => f.State == "finished"), f =>
        {
            Assert.True(f.Packets > 0, $"{f.Name}: packets {f.Packets}");
            Assert.Matches("^[0-9a-f]{64}$", f.Sha256 ?? "");
        });

        // Status: the file being written and its own size (a segment, at most 8 KB), not the ring's total.
        var status = JsonDocument.Parse(Ok(_cluster.Ctl("packetcapture", "status", "--on", "node1", "--json"))).RootElement.GetProperty("interfaces")[0];
        Assert.Equal(writing.Name, Path.GetFileName(status.GetProperty("currentFile").GetString()));
        var current = status.GetProperty("currentFileSizeBytes").GetInt64();
        Assert.InRange(current, 24, 8192);
        Assert.True(status.GetProperty("fileSizeBytes").GetInt64() > 4 * 4096, status.ToString());
        var table = Ok(_cluster.Ctl("packetcapture", "status", "--on", "node1"));
        Assert.Contains(writing.Name, table, StringComparison.Ordinal);

        var finished = files.Where(f => f.State == "finished").OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
        var download = _cluster.Ctl("packetcapture", "download", "--on", "node1", finished[0].Name, "-o", _downloads.Path);
        Assert.True(download.ExitCode == 0, download.StandardError);
        Assert.Contains("SHA-256 verified", download.StandardOutput, StringComparison.Ordinal);

        var delete = _cluster.Ctl("packetcapture", "delete", "--on", "node1", finished[1].Name);
        Assert.True(delete.ExitCode == 0, delete.StandardOutput + delete.StandardError);
        Assert.DoesNotContain(ListFiles(), f => f.Name == finished[1].Name);

        var clear = _cluster.Ctl("packetcapture", "clear", "--on", "node1");
        Assert.True(clear.ExitCode == 0, clear.StandardOutput + clear.StandardError);
        var left = ListFiles();
        Assert.Equal([writing.Name], left.Select(f => f.Name));
        Assert.Equal("writing", left[0].State);

        Ok(_cluster.Ctl("packetcapture", "stop", "--on", "node1"));
    }

    private sealed record FileRow(string Name, string State, long? Packets, string? Sha256);

    private static string Ok(ProcessResult result)
    {
        Assert.True(result.ExitCode == 0, result.StandardError);
        return result.StandardOutput;
    }

    private List<FileRow> ListFiles() =>
        [.. JsonDocument.Parse(Ok(_cluster.Ctl("packetcapture", "files", "--on", "node1", "--json"))).RootElement.GetProperty("files").EnumerateArray().Select(f => new FileRow(
            f.GetProperty("name").GetString()!,
            f.GetProperty("state").GetString()!,
            f.GetProperty("packets").ValueKind == JsonValueKind.Number ? f.GetProperty("packets").GetInt64() : null,
            f.GetProperty("sha256").GetString()))];

    private List<FileRow> WaitForFiles(Func<List<FileRow>, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + AgentCluster.Bound;
        List<FileRow> files;
        do
        {
            files = ListFiles();
            if (condition(files))
            {
                return files;
            }
        }
        while (DateTime.UtcNow < deadline);

        throw new TimeoutException($"no {what} within {AgentCluster.Bound}: {string.Join(", ", files.Select(f => $"{f.Name} {f.State} {f.Packets}"))}");
    }
}
