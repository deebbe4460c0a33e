namespace CaptureActors.Pcap;

/// <summary>How the readers open a capture file: shared with a writer that may still be appending (or deleting).</summary>
internal static class CaptureFileOpening
{
    /// <summary>
    /// Opens <paramref name="path"/> and hands the stream to <paramref name="read"/>, which takes ownership; when it
    /// throws (a bad header), the stream is closed before the exception leaves.
    /// </summary>
    public static TReader Open<TReader>(string path, Func<FileStream, string, TReader> read)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
        try
        {
            return read(stream, path);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }
}
