namespace CaptureActors.Protocol;

/// <summary>Answered by <see cref="FileListing"/>.</summary>
public sealed record ListFiles : IFileCommand
{
    public static readonly ListFiles Instance = new();
}

/// <param name="Unlisted">
/// Entries named like capture files that the store does not list and refuses to read, with why (a symbolic link, a FIFO,
/// a directory, a file with more than one hard link): the first 16 by name; null when there are none.
/// </param>
public sealed record FileListing(string Node, IReadOnlyList<CaptureFileInfo> Files, IReadOnlyList<FileRefusal>? Unlisted = null) : ICaptureProtocol
{
    /// <summary>Why <paramref name="name"/> is not listed, when the node said so; null for a name it does not have.</summary>
    public FileRefusal? UnlistedReason(string name) => Unlisted?.FirstOrDefault(r => r.Name == name);
}

public enum CaptureFileState
{
    /// <summary>A capture is writing this file; it can be read up to its last flushed packet but not deleted.</summary>
    Writing,
    Finished,
}

/// <summary>One pcap file in a node's capture directory.</summary>
/// <param name="Packets">Packets in the file (from the sidecar when finished, or the live counters).</param>
/// <param name="Sha256">Hex SHA-256 of a finished file, from its sidecar.</param>
/// <param name="Kept">Marked keep (<see cref="KeepFiles"/>): neither a ring, the disk guard, delete nor clear removes it.</param>
public sealed record CaptureFileInfo(
    string Name,
    string? CaptureId,
    string Interface,
    long SizeBytes,
    long? Packets,
    DateTimeOffset? FirstPacketAt,
    DateTimeOffset? LastPacketAt,
    DateTimeOffset ModifiedAt,
    CaptureFileState State,
    string? Sha256,
    bool Kept = false);

/// <summary>Delete the named files. Answered by <see cref="FilesDeleted"/>; each refusal says why.</summary>
public sealed record DeleteFiles(IReadOnlyList<string> Names) : IFileCommand;

/// <summary>Delete every finished file. Answered by <see cref="FilesDeleted"/>.</summary>
public sealed record ClearFiles : IFileCommand
{
    public static readonly ClearFiles Instance = new();
}

public sealed record FilesDeleted(IReadOnlyList<string> Deleted, IReadOnlyList<FileRefusal> Refused) : ICaptureProtocol;

public sealed record FileRefusal(string Name, ErrorCode Code, string Message);

/// <summary>
/// Mark the named files keep (<paramref name="Keep"/> true) or take the mark off. A kept file is never deleted by a ring,
/// the disk guard, <see cref="DeleteFiles"/> or <see cref="ClearFiles"/>. Answered by <see cref="FilesKept"/>.
/// </summary>
public sealed record KeepFiles(IReadOnlyList<string> Names, bool Keep) : IFileCommand;

/// <param name="Changed">Names now marked as asked (already marked ones included).</param>
/// <param name="Keep">What was asked: keep (true) or unkeep.</param>
public sealed record FilesKept(IReadOnlyList<string> Changed, IReadOnlyList<FileRefusal> Refused, bool Keep) : ICaptureProtocol;

/// <summary>
/// Read part of a file. Answered by <see cref="FileChunk"/> or <see cref="CommandFailed"/>.
/// Chunks stay far below Akka.Remote's maximum frame size.
/// </summary>
public sealed record ReadFileChunk(string Name, long Offset, int MaxBytes) : IFileCommand
{
    public const int MaxChunkBytes = 64 * 1024;
}

public sealed record FileChunk(string Name, long Offset, byte[] Data, long FileSize, bool EndOfFile) : ICaptureProtocol;

/// <summary>
/// Ask for a one-time ticket to fetch a finished file's bytes from <paramref name="Offset"/> to its end over the node's
/// download channel (<see cref="DownloadChannel"/>: a TCP port beside Akka.Remote, for bulk bytes only). Answered by
/// <see cref="DownloadTicket"/>, or by <see cref="CommandFailed"/>: unknown or unsafe name, a file still being written
/// (<see cref="ErrorCode.FileInUse"/>: fetch it with <see cref="ReadFileChunk"/>), an offset past the end, no channel or
/// too many tickets waiting (<see cref="ErrorCode.Unavailable"/>).
/// </summary>
public sealed record OpenDownload(string Name, long Offset) : IFileCommand;

/// <summary>
/// Permission to fetch <see cref="Name"/> from <see cref="Offset"/> to <see cref="FileSize"/>: connect to the node's host
/// (the one its agent is reached on) at <see cref="Port"/> before <see cref="ExpiresAt"/> and present <see cref="Token"/>
/// with the same name and offset. The token is 32 random bytes, valid for one connection only.
/// </summary>
public sealed record DownloadTicket(string Name, long Offset, long FileSize, int Port, byte[] Token, DateTimeOffset ExpiresAt) : ICaptureProtocol
{
    /// <summary>Bytes the channel will send.</summary>
    public long Length => FileSize - Offset;
}
