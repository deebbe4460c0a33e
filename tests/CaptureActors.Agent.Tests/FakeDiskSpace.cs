using CaptureActors.Agent.Disk;

namespace CaptureActors.Agent.Tests;

/// <summary>A file system whose free space the test sets (thread-safe: the agent measures on its own threads).</summary>
public sealed class FakeDiskSpace(long freeBytes, long totalBytes) : IDiskSpace
{
    private long _free = freeBytes;

    public long FreeBytes
    {
        get => Interlocked.Read(ref _free);
        set => Interlocked.Exchange(ref _free, value);
    }

    public FileSystemSpace Measure(string directory) => new(FreeBytes, totalBytes);
}
