namespace CaptureActors.Agent.Disk;

/// <summary>Free and total bytes of the file system a directory is on (statvfs).</summary>
/// <param name="FreeBytes">Bytes an unprivileged writer may still use (f_bavail).</param>
public readonly record struct FileSystemSpace(long FreeBytes, long TotalBytes);

/// <summary>Measures a file system; the agent uses <see cref="StatvfsDiskSpace"/>, actor tests a fake.</summary>
public interface IDiskSpace
{
    FileSystemSpace Measure(string directory);
}

/// <summary>
/// statvfs(2) through <see cref="DriveInfo"/>: on Linux a DriveInfo of any path asks statvfs of that path, so no
/// mount table is read and no P/Invoke of our own is needed. One system call: cheap enough for a timer.
/// </summary>
public sealed class StatvfsDiskSpace : IDiskSpace
{
    public static readonly StatvfsDiskSpace Instance = new();

    public FileSystemSpace Measure(string directory)
    {
        var drive = new DriveInfo(directory);
        return new FileSystemSpace(drive.AvailableFreeSpace, drive.TotalSize);
    }
}
