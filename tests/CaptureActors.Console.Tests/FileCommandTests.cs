using System.Security.Cryptography;
using System.Text.Json;
using CaptureActors.Console.Tests.Fakes;
using CaptureActors.Protocol;

namespace CaptureActors.Console.Tests;

public sealed class FileCommandTests : CapturectlTest, IDisposable
{
    private const string Name = Statuses.FileName;
    private readonly string _out = Directory.CreateTempSubdirectory("capturectl-download-").FullName;
    private readonly byte[] _content = Enumerable.Range(0, 150_000).Select(i => (byte)(i * 7)).ToArray();

    public new void Dispose()
    {
        Directory.Delete(_out, recursive: true);
        base.Dispose();
    }

    private string Sha256Of(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    private void ServeFile(string? sha256, CaptureFileState state = CaptureFileState.Finished)
    {
        Respond(m => m switch
        {
            ListFiles => new FileListing(Statuses.Node, [StartCommandTests.File(Name, Statuses.CaptureId, _content.Length, sha256, state)]),
            ReadFileChunk read when read.Name == Name => Chunk(read),
            ReadFileChunk read => new CommandFailed(ErrorCode.UnknownFile, $"no file {read.Name}"),
            _ => null,
        });
    }

    private FileChunk Chunk(ReadFileChunk read)
    {
        var start = (int)Math.Min(read.Offset, _content.Length);
        var length = Math.Min(read.MaxBytes, _content.Length - start);
        return new FileChunk(read.Name, read.Offset, _content.AsSpan(start, length).ToArray(), _content.Length, start + length >= _content.Length);
    }

    [Fact]
    public async Task Download_copies_the_file_in_chunks_and_verifies_its_sha256()
    {
        ServeFile(Sha256Of(_content));

        var result = await Run("packetcapture", "download", Name, "-o", _out);

        Assert.Equal(ExitCodes.Done, result.ExitCode);
        Assert.Equal(_content, File.ReadAllBytes(Path.Combine(_out, Name)));
        Assert.False(File.Exists(Path.Combine(_out, Name + ".part")));
        Assert.Contains("SHA-256 verified", result.Out);
        Assert.All(ReceivedOf<ReadFileChunk>(), r => Assert.True(r.MaxBytes <= ReadFileChunk.MaxChunkBytes));
        Assert.Equal(3, ReceivedOf<ReadFileChunk>().Count());
    }

    [Fact]
    public async Task Download_resumes_from_an_existing_part_file()
    {
        ServeFile(Sha256Of(_content));
        File.WriteAllBytes(Path.Combine(_out, Name + ".part"), _content.AsSpan(0, 100_000).ToArray());

        var result = await Run("packetcapture", "download", Name, "-o", _out);

        Assert.Equal(ExitCodes.Done, result.ExitCode);
        Assert.Equal(100_000, ReceivedOf<ReadFileChunk>().First().Offset);
        Assert.Equal(_content, File.ReadAllBytes(Path.Combine(_out, Name)));
        Assert.Contains("resumed", result.Out);
    }

    [Fact]
    public async Task Download_with_a_sha256_mismatch_exits_1_and_keeps_the_bytes_aside()
    {
        ServeFile(Sha256Of([1, 2, 3]));

        var result = await Run("packetcapture", "download", Name, "-o", _out);

        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        Assert.Contains("SHA-256 mismatch", result.Error);
        Assert.False(File.Exists(Path.Combine(_out, Name)));
        Assert.True(File.Exists(Path.Combine(_out, Name + ".corrupt")));
    }

    [Fact]
    public async Task Download_refuses_to_overwrite_an_existing_file_without_force()
    {
        ServeFile(Sha256Of(_content));
        File.WriteAllText(Path.Combine(_out, Name), "keep me");

        var refused = await Run("packetcapture", "download", Name, "-o", _out);

        Assert.Equal(ExitCodes.Failed, refused.ExitCode);
        Assert.Contains("--force", refused.Error);
        Assert.Equal("keep me", File.ReadAllText(Path.Combine(_out, Name)));

        var forced = await Run("packetcapture", "download", Name, "-o", _out, "--force");
        Assert.Equal(ExitCodes.Done, forced.ExitCode);
        Assert.Equal(_content, File.ReadAllBytes(Path.Combine(_out, Name)));
    }

    [Fact]
    public async Task Download_of_an_unknown_file_exits_1_naming_it()
    {
        ServeFile(Sha256Of(_content));

        var result = await Run("packetcapture", "download", "nosuch.pcap", "-o", _out);

        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        Assert.Contains("nosuch.pcap", result.Error);
        Assert.Empty(ReceivedOf<ReadFileChunk>());
    }

    [Fact]
    public async Task Download_in_json_mode_reports_each_file()
    {
        ServeFile(Sha256Of(_content));

        var result = await Run("--json", "packetcapture", "download", Name, "-o", _out);

        Assert.Equal(ExitCodes.Done, result.ExitCode);
        using var document = JsonDocument.Parse(result.Out);
        var download = document.RootElement.GetProperty("downloads")[0];
        Assert.Equal(Name, download.GetProperty("name").GetString());
        Assert.True(download.GetProperty("verified").GetBoolean());
        Assert.Equal(_content.Length, download.GetProperty("bytes").GetInt64());
    }

    [Fact]
    public async Task Delete_with_refusals_exits_1_and_reports_each_refusal()
    {
        Respond(m => m is DeleteFiles
            ? new FilesDeleted(["a.pcap"], [new FileRefusal("b.pcap", ErrorCode.FileInUse, "b.pcap is being written by capture cap-42")])
            : null);

        var result = await Run("packetcapture", "delete", "a.pcap", "b.pcap");

        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        Assert.Equal(["a.pcap", "b.pcap"], Assert.Single(ReceivedOf<DeleteFiles>()).Names);
        Assert.Contains("deleted a.pcap", result.Out);
        Assert.Contains("capturectl: b.pcap: b.pcap is being written by capture cap-42", result.Error);
    }

    [Fact]
    public async Task Delete_without_refusals_exits_0()
    {
        Respond(m => m is DeleteFiles ? new FilesDeleted(["a.pcap"], []) : null);

        var result = await Run("packetcapture", "delete", "a.pcap");

        Assert.Equal(ExitCodes.Done, result.ExitCode);
        Assert.Equal("", result.Error);
    }

    [Fact]
    public async Task Clear_prints_how_many_files_were_removed()
    {
        Respond(m => m is ClearFiles ? new FilesDeleted(["a.pcap", "b.pcap", "c.pcap"], []) : null);

        var result = await Run("packetcapture", "clear");

        Assert.Equal(ExitCodes.Done, result.ExitCode);
        Assert.Contains("removed 3 files", result.Out);
    }

    [Fact]
    public async Task Files_lists_names_sizes_and_states()
    {
        Respond(m => m is ListFiles
            ? new FileListing(Statuses.Node, [StartCommandTests.File(Name, Statuses.CaptureId, 3 << 20, state: CaptureFileState.Writing)])
            : null);

        var result = await Run("packetcapture", "files");

        Assert.Equal(ExitCodes.Done, result.ExitCode);
        Assert.Contains(Name, result.Out);
        Assert.Contains("3.0 MB", result.Out);
        Assert.Contains("writing", result.Out);
        Assert.DoesNotContain("\u001b[", result.Out);
    }

    [Fact]
    public async Task Download_of_a_file_being_written_keeps_what_was_read_and_says_it_is_not_verified()
    {
        ServeFile(sha256: null, CaptureFileState.Writing);

        var result = await Run("packetcapture", "download", Name, "-o", _out);

        Assert.Equal(ExitCodes.Done, result.ExitCode);
        Assert.Equal(_content, File.ReadAllBytes(Path.Combine(_out, Name)));
        Assert.Contains("still being written: not verified", result.Out);
    }

    [Fact]
    public async Task Download_refuses_a_listed_name_that_is_a_path()
    {
        Respond(m => m is ListFiles ? new FileListing(Statuses.Node, [StartCommandTests.File("../evil.pcap", "x")]) : null);

        var result = await Run("packetcapture", "download", "../evil.pcap", "-o", _out);

        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        Assert.Contains("not a plain file name", result.Error);
        Assert.Empty(ReceivedOf<ReadFileChunk>());
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(_out)!, "evil.pcap.part")));
    }
}
