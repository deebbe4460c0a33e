namespace CaptureActors.Console.Download;

/// <summary>One downloaded file.</summary>
/// <param name="ResumedFrom">Bytes that were already in the .part file from an earlier attempt.</param>
/// <param name="Verified">The SHA-256 matched the node's; false when the node has none yet (file still being written).</param>
public sealed record DownloadResult(string Name, string Path, long Bytes, long ResumedFrom, string Sha256, bool Verified);
