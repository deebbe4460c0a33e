namespace CaptureActors.Protocol;

/// <summary>Answered by <see cref="FileListing"/>.</summary>
public sealed record ListFiles : IFileCommand
{
    public static readonly ListFiles Instance = new();
}

public sealed record FileListing(string Node, IReadOnlyList<CaptureFileInfo> Files) : ICaptureProtocol;

public enum CaptureFileState
{
    /// <summary>A capture is writing this file; it can be read up to its last flushed packet but not deleted.</summary>
    Writing,
    Finished,
}

/// <summary>One pcap file in a node's capture directory.</summary>
/// <param name="Packets">Packets in the file (from the sidecar when finished, or the live counters).</param>
/// <param name="Sha256">Hex SHA-256 of a finished file, from its sidecar.</param>
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
    string? Sha256);

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
/// Read part of a file. Answered by <see cref="FileChunk"/> or <see cref="CommandFailed"/>.
/// Chunks stay far below Akka.Remote's maximum frame size.
/// </summary>
public sealed record ReadFileChunk(string Name, long Offset, int MaxBytes) : IFileCommand
{
    public const int MaxChunkBytes = 64 * 1024;
}

public sealed record FileChunk(string Name, long Offset, byte[] Data, long FileSize, bool EndOfFile) : ICaptureProtocol;
