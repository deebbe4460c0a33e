using CaptureActors.Agent.Storage;
using CaptureActors.TestSupport;

namespace CaptureActors.Agent.Tests;

/// <summary>
/// <see cref="RegularFile"/>, the one way the agent reads its files: regular files with one link, never through a link,
/// never blocking on a FIFO, and only the very file that was checked.
/// </summary>
public sealed class RegularFileTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private readonly TempDirectory _data = new("ca-regular-");
    private readonly PlantedEntries _planted;

    public RegularFileTests()
    {
        _planted = new PlantedEntries(_data.File("captures"), "node1").All();
    }

    public void Dispose()
    {
        _planted.Dispose();
        _data.Dispose();
    }

    private string Regular(string content = "pcap bytes")
    {
        var path = _planted.PathOf("node1_lo_20260101T000000Z_001.pcap");
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public void A_regular_file_opens_and_is_the_file_inspected()
    {
        var path = Regular();

        var entry = RegularFile.Inspect(path);
        using var stream = RegularFile.OpenRead(path, entry.Identity);

        Assert.Equal(RegularFile.Kind.Regular, entry.Kind);
        Assert.Null(entry.Problem);
        Assert.Equal(1u, entry.Links);
        Assert.Equal(10, entry.Size);
        Assert.Equal(File.GetLastWriteTimeUtc(path), entry.ModifiedUtc, TimeSpan.FromMilliseconds(1));
        Assert.Equal("pcap bytes", new StreamReader(stream).ReadToEnd());
        Assert.False(stream.IsAsync);
    }

    [Fact]
    public void An_asynchronous_handle_is_asynchronous_as_sendfile_needs()
    {
        using var stream = RegularFile.OpenRead(Regular(), options: FileOptions.Asynchronous, bufferSize: 0);

        Assert.True(stream.IsAsync);
        _ = new System.Net.Sockets.SendPacketsElement(stream, 0, 4);
    }

    [Fact]
    public void A_symbolic_link_is_seen_as_a_link_and_never_opened()
    {
        var path = _planted.PathOf(_planted.SymlinkName);

        var entry = RegularFile.Inspect(path);
        var refused = Assert.Throws<NotRegularFileException>(() => RegularFile.OpenRead(path));

        Assert.Equal(RegularFile.Kind.SymbolicLink, entry.Kind);
        Assert.Equal($"'{_planted.SymlinkName}' is a symbolic link, not a capture file", refused.Message);
        PlantedEntries.AssertNoSecret(refused.Message, "the refusal");
        Assert.DoesNotContain(_planted.SecretPath, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dangling_link_is_a_link_not_a_missing_file()
    {
        var path = _planted.PathOf("node1_lo_20991231T000000Z_009.pcap");
        File.CreateSymbolicLink(path, "/nonexistent/target");

        Assert.Equal(RegularFile.Kind.SymbolicLink, RegularFile.Inspect(path).Kind);
        Assert.Throws<NotRegularFileException>(() => RegularFile.OpenRead(path));
    }

    [Fact]
    public async Task A_fifo_is_refused_at_once_without_waiting_for_a_writer()
    {
        var path = _planted.PathOf(_planted.FifoName);

        var open = Task.Run(() => RegularFile.OpenRead(path));
        var refused = await Assert.ThrowsAsync<NotRegularFileException>(() => open.WaitAsync(Bound));

        Assert.Equal(RegularFile.Kind.Fifo, RegularFile.Inspect(path).Kind);
        Assert.Equal($"'{_planted.FifoName}' is a FIFO (named pipe), not a regular file", refused.Message);
    }

    [Fact]
    public void A_directory_is_refused()
    {
        var path = _planted.PathOf(_planted.DirectoryName);

        Assert.Equal(RegularFile.Kind.Directory, RegularFile.Inspect(path).Kind);
        Assert.Contains("is a directory, not a regular file", Assert.Throws<NotRegularFileException>(() => RegularFile.OpenRead(path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_hard_link_to_a_file_outside_is_refused_by_its_link_count()
    {
        var path = _planted.PathOf(_planted.HardLinkName);

        var entry = RegularFile.Inspect(path);
        var refused = Assert.Throws<NotRegularFileException>(() => RegularFile.OpenRead(path));

        Assert.Equal(RegularFile.Kind.Regular, entry.Kind);
        Assert.Equal(2u, entry.Links);
        Assert.StartsWith($"'{_planted.HardLinkName}' has 2 hard links", refused.Message, StringComparison.Ordinal);
        PlantedEntries.AssertNoSecret(refused.Message, "the refusal");
    }

    [Fact]
    public void A_file_replaced_after_its_check_is_refused()
    {
        var path = Regular();
        var checkedEntry = RegularFile.Inspect(path);
        // Moved aside, not deleted: the file system cannot give its inode to the new file.
        File.Move(path, path + ".old");
        File.WriteAllText(path, "another file under the same name");

        var refused = Assert.Throws<NotRegularFileException>(() => RegularFile.OpenRead(path, checkedEntry.Identity));

        Assert.Contains("was replaced by another file after it was checked", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_missing()
    {
        var path = _planted.PathOf("node1_lo_20991231T000000Z_099.pcap");

        Assert.Equal(RegularFile.Kind.Missing, RegularFile.Inspect(path).Kind);
        Assert.Throws<FileNotFoundException>(() => RegularFile.OpenRead(path));
    }

    [Fact]
    public void An_atomic_write_removes_a_link_planted_as_its_temporary_name_and_leaves_the_target_alone()
    {
        var keep = _data.File(KeepList.FileName);
        File.CreateSymbolicLink(keep + ".tmp", _planted.SecretPath);

        KeepList.Update(_data.Path, _planted.CaptureDirectory, [], keep: true);

        _planted.AssertSecretIntact();
        Assert.True(File.Exists(keep));
        Assert.Null(new FileInfo(keep).LinkTarget);
        Assert.Empty(KeepList.Load(_data.Path));
    }

    [Fact]
    public void A_new_capture_segment_is_never_written_through_a_planted_link()
    {
        var path = _planted.PathOf(_planted.SymlinkName);

        Assert.Throws<Pcap.PcapWriteException>(() => Pcap.PcapFileWriter.Create(path, 1, 65535, createNew: true));

        _planted.AssertSecretIntact();
    }

    [Fact]
    public void The_handle_is_not_inherited_by_child_processes()
    {
        var path = Regular();
        using var stream = RegularFile.OpenRead(path);

        // A child lists its own descriptors: none of them is our file.
        var children = ProcessRunner.Run("sh", ["-c", "ls -l /proc/self/fd/"], Bound);

        Assert.DoesNotContain(path, children.StandardOutput, StringComparison.Ordinal);
    }
}
