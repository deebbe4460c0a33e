using CaptureActors.Protocol;
using Xunit.Abstractions;

namespace CaptureActors.Agent.Tests;

public sealed class FileStoreTests(ITestOutputHelper output) : AgentTestKit(AgentTestHost.Start(), output)
{
    private async Task<CaptureStopped> CaptureBrieflyAsync(string iface = "lo")
    {
        await StartAsync(new CaptureOptions(Interfaces: [iface]));
        await Task.Delay(200);
        return await Ask<CaptureStopped>(new StopCapture());
    }

    [Fact]
    public async Task Lists_finished_files_with_their_sidecar_facts()
    {
        var stopped = await CaptureBrieflyAsync();

        var listing = await Ask<FileListing>(ListFiles.Instance);

        var file = Assert.Single(listing.Files);
        Assert.Equal("node1", listing.Node);
        Assert.Equal("lo", file.Interface);
        Assert.Equal(CaptureFileState.Finished, file.State);
        Assert.Equal(stopped.Status.CaptureId, file.CaptureId);
        Assert.Equal(stopped.Status.TotalPacketsWritten, file.Packets);
        Assert.Equal(new FileInfo(Path.Combine(CaptureDirectory, file.Name)).Length, file.SizeBytes);
        Assert.Matches("^node1_lo_[0-9]{8}T[0-9]{6}Z_001\\.pcap$", file.Name);
        Assert.Equal(64, file.Sha256!.Length);
    }

    [Fact]
    public async Task A_file_being_written_is_listed_as_writing_and_cannot_be_deleted()
    {
        await StartAsync();
        await Task.Delay(150);
        var writing = Assert.Single((await Ask<FileListing>(ListFiles.Instance)).Files);
        Assert.Equal(CaptureFileState.Writing, writing.State);

        var result = await Ask<FilesDeleted>(new DeleteFiles([writing.Name]));
        var cleared = await Ask<FilesDeleted>(ClearFiles.Instance);

        Assert.Empty(result.Deleted);
        Assert.Equal(ErrorCode.FileInUse, Assert.Single(result.Refused).Code);
        Assert.Empty(cleared.Deleted);
        Assert.True(File.Exists(Path.Combine(CaptureDirectory, writing.Name)));
    }

    [Theory]
    [InlineData("../setup.json", ErrorCode.UnsafeFileName)]
    [InlineData("/etc/passwd", ErrorCode.UnsafeFileName)]
    [InlineData("..", ErrorCode.UnsafeFileName)]
    [InlineData("node1_lo_20261124T101500Z_001.pcap/../../x", ErrorCode.UnsafeFileName)]
    [InlineData("node1_lo_20990101T000000Z_001.pcap", ErrorCode.UnknownFile)]
    public async Task Refuses_names_that_are_not_its_own_files(string name, ErrorCode expected)
    {
        await CaptureBrieflyAsync();
        var before = Directory.GetFiles(Agent.Options.DataDirectory, "*", SearchOption.AllDirectories).Order().ToList();

        var deleted = await Ask<FilesDeleted>(new DeleteFiles([name]));
        var read = await Ask<CommandFailed>(new ReadFileChunk(name, 0, 1024));

        var refusal = Assert.Single(deleted.Refused);
        Assert.Equal(expected, refusal.Code);
        Assert.Equal(expected, read.Code);
        Assert.Contains($"'{name}'", refusal.Message);
        Assert.Equal(before, Directory.GetFiles(Agent.Options.DataDirectory, "*", SearchOption.AllDirectories).Order().ToList());
    }

    [Fact]
    public async Task Streams_a_file_out_in_chunks_that_add_up_to_the_file()
    {
        await CaptureBrieflyAsync();
        var file = Assert.Single((await Ask<FileListing>(ListFiles.Instance)).Files);

        var received = new MemoryStream();
        FileChunk chunk;
        do
        {
            chunk = await Ask<FileChunk>(new ReadFileChunk(file.Name, received.Length, 100));
            Assert.True(chunk.Data.Length <= 100);
            received.Write(chunk.Data);
        }
        while (!chunk.EndOfFile);

        Assert.Equal(File.ReadAllBytes(Path.Combine(CaptureDirectory, file.Name)), received.ToArray());
    }

    [Fact]
    public async Task Delete_removes_the_named_files_and_the_emptied_sidecar()
    {
        await CaptureBrieflyAsync("lo");
        await CaptureBrieflyAsync("eth0");
        var files = (await Ask<FileListing>(ListFiles.Instance)).Files;
        Assert.Equal(2, files.Count);
        var lo = files.Single(f => f.Interface == "lo");

        var result = await Ask<FilesDeleted>(new DeleteFiles([lo.Name]));

        Assert.Equal([lo.Name], result.Deleted);
        Assert.Empty(result.Refused);
        Assert.Equal("eth0", Assert.Single((await Ask<FileListing>(ListFiles.Instance)).Files).Interface);
        Assert.Single(Directory.GetFiles(CaptureDirectory, "*.capture.json"));
    }

    [Fact]
    public async Task Clear_removes_every_finished_file()
    {
        await CaptureBrieflyAsync("lo");
        await CaptureBrieflyAsync("eth0");

        var result = await Ask<FilesDeleted>(ClearFiles.Instance);

        Assert.Equal(2, result.Deleted.Count);
        Assert.Empty((await Ask<FileListing>(ListFiles.Instance)).Files);
        Assert.Empty(Directory.GetFiles(CaptureDirectory));
    }

    [Fact]
    public async Task Two_captures_started_in_the_same_second_never_share_a_file()
    {
        await CaptureBrieflyAsync("lo");
        await CaptureBrieflyAsync("lo");
        await CaptureBrieflyAsync("lo");

        var names = (await Ask<FileListing>(ListFiles.Instance)).Files.Select(f => f.Name).ToList();

        Assert.Equal(3, names.Distinct().Count());
    }

    [Fact]
    public async Task A_file_stays_listed_as_writing_when_the_device_opened_seconds_after_the_start()
    {
        Agent.Engine.OpenDelay = TimeSpan.FromSeconds(1.2);
        var started = await StartAsync();
        await Task.Delay(300);

        var file = Assert.Single((await Ask<FileListing>(ListFiles.Instance)).Files);

        Assert.Equal(CaptureFileState.Writing, file.State);
        Assert.NotEqual(
            CaptureActors.Agent.Storage.CaptureFileNames.Timestamp(started.Status.StartedAt!.Value),
            file.Name.Split('_')[2]);
    }
}
