using CaptureActors.Protocol;
using CaptureActors.TestSupport;
using Xunit.Abstractions;

namespace CaptureActors.Agent.Tests;

/// <summary>
/// The file store and what an intruder plants under capture names (a symbolic link and a hard link to a secret outside
/// the directory, a FIFO, a directory): never listed, never read, never kept, never deleted, the secret never sent.
/// </summary>
public sealed class FileStoreLinkTests : AgentTestKit, IDisposable
{
    private readonly PlantedEntries _planted;
    private readonly FinishedCaptureFile _real;

    public FileStoreLinkTests(ITestOutputHelper output)
        : base(AgentTestHost.Start(), output)
    {
        _real = FinishedCaptureFile.Write(CaptureDirectory, "node1", 10_000);
        _planted = new PlantedEntries(CaptureDirectory, "node1").All();
    }

    void IDisposable.Dispose() => _planted.Dispose();

    [Fact]
    public async Task Files_lists_the_real_file_only_and_names_what_it_left_out()
    {
        var listing = await Ask<FileListing>(ListFiles.Instance);

        Assert.Equal([_real.Name], listing.Files.Select(f => f.Name));
        Assert.Equal(
            [
                $"'{_planted.SymlinkName}' on node node1 is a symbolic link, not a capture file: refused",
                $"'{_planted.HardLinkName}' on node node1 has 2 hard links (a capture file has one; another name may be a file outside the capture directory), not a capture file: refused",
                $"'{_planted.FifoName}' on node node1 is a FIFO (named pipe), not a regular file: refused",
                $"'{_planted.DirectoryName}' on node node1 is a directory, not a regular file: refused",
            ],
            listing.Unlisted!.OrderBy(r => r.Name, StringComparer.Ordinal).Select(r => r.Message));
        Assert.All(listing.Unlisted!, r => Assert.Equal(ErrorCode.UnsafeFileName, r.Code));
    }

    [Fact]
    public async Task Chunks_of_a_planted_entry_are_refused_with_the_reason_and_no_byte_of_the_secret()
    {
        foreach (var name in _planted.Names)
        {
            var refused = await Ask<CommandFailed>(new ReadFileChunk(name, 0, ReadFileChunk.MaxChunkBytes));

            Assert.Equal(ErrorCode.UnsafeFileName, refused.Code);
            Assert.StartsWith($"'{name}' on node node1 ", refused.Message, StringComparison.Ordinal);
            Assert.EndsWith(": refused", refused.Message, StringComparison.Ordinal);
            PlantedEntries.AssertNoSecret(refused.Message, $"the chunk refusal of {name}");
        }

        // The store still serves its own file.
        var chunk = await Ask<FileChunk>(new ReadFileChunk(_real.Name, 0, 100));
        Assert.Equal(100, chunk.Data.Length);
    }

    [Fact]
    public async Task Delete_keep_and_clear_leave_planted_entries_and_the_secret_alone()
    {
        var deleted = await Ask<FilesDeleted>(new DeleteFiles([.. _planted.Names]));
        var kept = await Ask<FilesKept>(new KeepFiles([.. _planted.Names], Keep: true));
        var cleared = await Ask<FilesDeleted>(ClearFiles.Instance);

        Assert.Empty(deleted.Deleted);
        Assert.Equal(_planted.Names.Order(StringComparer.Ordinal), deleted.Refused.Select(r => r.Name).Order(StringComparer.Ordinal));
        Assert.All(deleted.Refused, r => Assert.Equal(ErrorCode.UnsafeFileName, r.Code));
        Assert.Empty(kept.Changed);
        Assert.Equal(_planted.Names.Count, kept.Refused.Count);
        Assert.Equal([_real.Name], cleared.Deleted);
        Assert.All(_planted.Names, name => Assert.True(Path.Exists(_planted.PathOf(name)), $"{name} was removed"));
        _planted.AssertSecretIntact();
    }
}
