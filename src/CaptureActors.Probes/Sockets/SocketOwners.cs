using System.Globalization;

namespace CaptureActors.Probes.Sockets;

/// <summary>A process holding a socket: its pid and command name.</summary>
public sealed record SocketOwner(int Pid, string Command);

/// <summary>
/// Maps socket inodes to the processes that hold them, by reading every <c>/proc/PID/fd/*</c> link
/// (<c>socket:[INODE]</c>), as lsof and ss -p do. Processes that vanish or that we may not read are skipped.
/// When several processes share a socket (after fork), the lowest pid is kept.
/// </summary>
public static class SocketOwners
{
    public static IReadOnlyDictionary<long, SocketOwner> Read(string procRoot)
    {
        var owners = new Dictionary<long, SocketOwner>();
        IEnumerable<string> processes;
        try
        {
            processes = Directory.EnumerateDirectories(procRoot);
        }
        catch (IOException)
        {
            return owners;
        }

        foreach (var directory in processes)
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                string? command = null;
                foreach (var fd in Directory.EnumerateFileSystemEntries(Path.Combine(directory, "fd")))
                {
                    var inode = SocketInode(fd);
                    if (inode is null || (owners.TryGetValue(inode.Value, out var known) && known.Pid < pid))
                    {
                        continue;
                    }

                    command ??= ReadCommand(directory);
                    owners[inode.Value] = new SocketOwner(pid, command);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process exited while we read it, or its fd table is not ours to read.
            }
        }

        return owners;
    }

    /// <summary>The inode of a <c>socket:[12345]</c> fd link, or null for any other file.</summary>
    public static long? SocketInode(string fdPath)
    {
        string? target;
        try
        {
            target = new FileInfo(fdPath).LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return target is not null
            && target.StartsWith("socket:[", StringComparison.Ordinal)
            && target.EndsWith(']')
            && long.TryParse(target.AsSpan(8, target.Length - 9), NumberStyles.None, CultureInfo.InvariantCulture, out var inode)
                ? inode
                : null;
    }

    private static string ReadCommand(string processDirectory)
    {
        try
        {
            return File.ReadAllText(Path.Combine(processDirectory, "comm")).TrimEnd('\n');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "?";
        }
    }
}
