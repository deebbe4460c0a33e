using System.Runtime.InteropServices;

namespace CaptureActors.Agent.Storage;

/// <summary>
/// Least privilege for the node's data directory (captures are other people's traffic): the agent creates it and its
/// <c>captures/</c> directory with mode 0750, creates files with umask 0027 (0640: owner and group read, nobody
/// else), refuses to start on a directory every user may write (anyone could plant or replace capture files or the
/// capture lock) or one it cannot write itself, and warns when group members may write or other users may read.
/// The agent never changes its user: run it as the owner of the directory (systemd <c>User=</c> with
/// <c>StateDirectory=</c>, deploy/systemd), so rotated files are created by the same user as the first one (the trap of
/// tcpdump -Z, tcpdump issue 1170, does not arise).
/// </summary>
public static partial class DataDirectoryGuard
{
    /// <summary>Mode of the directories the agent creates: rwxr-x---.</summary>
    public const UnixFileMode DirectoryMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute;

    /// <summary>File-creation mask of the agent process: no write for the group, nothing for others.</summary>
    public const int FileCreationMask = 0b000_010_111; // octal 027

    [LibraryImport("libc", EntryPoint = "umask")]
    private static partial uint Umask(uint mask);

    /// <summary>Sets the process's file-creation mask to <see cref="FileCreationMask"/>; returns the previous one.</summary>
    public static int RestrictFileCreationMask() => (int)Umask(FileCreationMask);

    /// <summary>
    /// Creates <paramref name="dataDirectory"/> and its <c>captures/</c> directory (0750) when missing, then checks both.
    /// Returns warnings to log; throws when the agent must not start.
    /// </summary>
    /// <exception cref="UnsafeDataDirectoryException">World-writable, or not writable by this process.</exception>
    public static IReadOnlyList<string> Prepare(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        List<string> warnings = [];
        if (OperatingSystem.IsWindows())
        {
            return warnings; // Unix modes only; the agent runs on Linux.
        }

        string captures = Path.Combine(dataDirectory, "captures");
        foreach (string directory in new[] { dataDirectory, captures })
        {
            try
            {
                RefuseFile(directory);
                Directory.CreateDirectory(directory, DirectoryMode);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UnsafeDataDirectoryException($"cannot create data directory {directory}: {e.Message}");
            }

            CheckMode(directory, warnings);
            CheckWritable(directory);
        }

        return warnings;
    }

    /// <summary>
    /// The same checks of the mode for the directories that exist, creating nothing: capturectl's embedded agent, where
    /// a status or a probe must not create a data directory (nor fail for a user who cannot), and a capture's start
    /// creates the missing ones under the process's umask 027 (<see cref="RestrictFileCreationMask"/>), that is 0750.
    /// </summary>
    /// <exception cref="UnsafeDataDirectoryException">A data or captures directory every user may write.</exception>
    public static IReadOnlyList<string> Inspect(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        List<string> warnings = [];
        if (OperatingSystem.IsWindows())
        {
            return warnings;
        }

        foreach (string directory in new[] { dataDirectory, Path.Combine(dataDirectory, "captures") })
        {
            RefuseFile(directory);
            if (Directory.Exists(directory))
            {
                CheckMode(directory, warnings);
            }
        }

        return warnings;
    }

    /// <summary>
    /// Refuses a data directory that is a file, or lies below one: it could never hold captures, and a listing of it would
    /// say "no capture files" as if the directory were merely empty.
    /// </summary>
    /// <exception cref="UnsafeDataDirectoryException">The path, or the nearest part of it that exists, is not a directory.</exception>
    private static void RefuseFile(string directory)
    {
        for (string? path = Path.GetFullPath(directory); path is not null; path = Path.GetDirectoryName(path))
        {
            if (Directory.Exists(path))
            {
                return;
            }

            if (File.Exists(path))
            {
                string where = path == Path.GetFullPath(directory) ? "is a file" : $"lies below the file {path}";
                throw new UnsafeDataDirectoryException(
                    $"data directory {directory} {where}, not a directory: --data-dir names a directory (created when missing)");
            }
        }
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void CheckMode(string directory, List<string> warnings)
    {
        UnixFileMode mode = File.GetUnixFileMode(directory);
        if (Problem(directory, mode) is { } refusal)
        {
            throw new UnsafeDataDirectoryException(refusal);
        }

        if (Warning(directory, mode) is { } warning)
        {
            warnings.Add(warning);
        }
    }

    /// <summary>Why the agent must not use a directory of this mode; null when it may.</summary>
    public static string? Problem(string directory, UnixFileMode mode) =>
        (mode & UnixFileMode.OtherWrite) != 0
            ? $"data directory {directory} is writable by every user (mode {Octal(mode)}): anyone could plant or replace capture files; " +
              $"make it writable by the agent's user only (chmod o-w {directory}; the agent creates its directories 0750) or choose another --data-dir"
            : null;

    /// <summary>A weakness worth a warning; null when the mode is as strict as the agent's own (0750 or stricter).</summary>
    public static string? Warning(string directory, UnixFileMode mode)
    {
        List<string> who = [];
        if ((mode & UnixFileMode.GroupWrite) != 0)
        {
            who.Add("its group may write to it");
        }

        if ((mode & (UnixFileMode.OtherRead | UnixFileMode.OtherExecute)) != 0)
        {
            who.Add("every user may read the captures in it");
        }

        return who.Count == 0 ? null : $"data directory {directory} has mode {Octal(mode)}: {string.Join(" and ", who)}; chmod 0750 {directory} keeps them to the agent's user and group";
    }

    private static void CheckWritable(string directory)
    {
        string probe = Path.Combine(directory, $".write-check-{Environment.ProcessId}");
        try
        {
            using (File.Create(probe, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UnsafeDataDirectoryException(
                $"data directory {directory} is not writable by user {Environment.UserName}: {e.Message}; run the agent as the directory's owner (systemd User=, StateDirectory=) or choose another --data-dir");
        }
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode & 0xfff, 8).PadLeft(4, '0');
}
