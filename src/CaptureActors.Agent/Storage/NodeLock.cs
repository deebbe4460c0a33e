namespace CaptureActors.Agent.Storage;

/// <summary>
/// The data directory's capture lock: held while a capture runs, so that every process sharing the directory
/// (consoles with embedded agents, an agent) is one node with one capture. An exclusive open of the lock file
/// is an <c>flock(LOCK_EX|LOCK_NB)</c> on Linux, which the kernel releases when the process dies, even by kill -9.
/// </summary>
public sealed class NodeLock : IDisposable
{
    public const string FileName = "capture.lock";

    private readonly FileStream _stream;

    private NodeLock(FileStream stream) => _stream = stream;

    /// <summary>Takes the lock, or returns null when another holder (another process, or this one) has it.</summary>
    public static NodeLock? TryAcquire(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        try
        {
            var stream = new FileStream(Path.Combine(dataDirectory, FileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            return new NodeLock(stream);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// True when some process holds the lock now (checked by trying to take it). Creates nothing: a status or a file
    /// listing leaves the data directory as it was, and without a lock file nobody can hold the lock.
    /// </summary>
    public static bool IsHeldElsewhere(string dataDirectory)
    {
        try
        {
            using var probe = new FileStream(Path.Combine(dataDirectory, FileName), FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return false;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public void Dispose() => _stream.Dispose();
}
