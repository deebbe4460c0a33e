namespace CaptureActors.Pcap;

/// <summary>
/// Writing a capture file failed (for example the disk is full). The file has been truncated back to its
/// last whole record, so it stays readable; the writer that threw can no longer be used.
/// </summary>
public sealed class PcapWriteException(string path, string message, Exception? inner = null)
    : IOException($"{path}: {message}", inner)
{
    /// <summary>The file that could not be written.</summary>
    public string Path { get; } = path;
}
