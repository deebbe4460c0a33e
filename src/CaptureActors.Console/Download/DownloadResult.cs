namespace CaptureActors.Console.Download;

/// <summary>One downloaded file.</summary>
/// <param name="ResumedFrom">Bytes that were already in the .part file from an earlier attempt.</param>
/// <param name="Verified">The SHA-256 matched the node's; false when the node has none yet (file still being written).</param>
/// <param name="Transport"><see cref="FileDownloader.ChannelTransport"/> when the download channel carried the bytes, <see cref="FileDownloader.ChunksTransport"/> otherwise.</param>
/// <param name="Fallback">Why the download channel was offered but not (or not wholly) used; null when it was or was never offered.</param>
public sealed record DownloadResult(string Name, string Path, long Bytes, long ResumedFrom, string Sha256, bool Verified, string Transport = FileDownloader.ChunksTransport, string? Fallback = null);
