namespace CaptureActors.Protocol.Security;

/// <summary>
/// The mode rule for files that hold a secret (a TLS private key, the web page's token or password), as sshd applies it
/// to private keys: a secret that other users can read is no longer a secret, and one that the group can write can be
/// replaced. Such a file is refused before it is used, with its mode and the fix. The owner may read and write it, and
/// its group may read it (a 0640 root:capture-actors key for the operators of a group).
/// </summary>
public static class SecretFiles
{
    /// <summary>The permission bits a secret file must not have: group write, and any access by others (umask 027).</summary>
    public const UnixFileMode Forbidden =
        UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>
    /// Why <paramref name="path"/> (given with <paramref name="option"/>) must not be used as a secret, or null when its
    /// mode is safe or the file cannot be examined (then its own open reports what is wrong).
    /// </summary>
    public static string? Problem(string path, string option)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (OperatingSystem.IsWindows() || !File.Exists(path))
        {
            return null;
        }

        UnixFileMode mode;
        try
        {
            // Follows a symbolic link: the mode that matters is the one of the file whose bytes are read.
            mode = File.GetUnixFileMode(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return Problem(path, option, mode);
    }

    /// <summary>The decision for <paramref name="mode"/> alone (null: safe).</summary>
    public static string? Problem(string path, string option, UnixFileMode mode)
    {
        if ((mode & Forbidden) == 0)
        {
            return null;
        }

        var who = (mode & (UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) switch
        {
            UnixFileMode.OtherRead | UnixFileMode.OtherWrite => "readable and writable by every user",
            UnixFileMode.OtherRead => "readable by every user",
            UnixFileMode.OtherWrite => "writable by every user",
            _ => (mode & UnixFileMode.GroupWrite) != 0 ? "writable by its group" : "open to every user",
        };
        return $"{option} {path} holds a secret and is {who} (mode {Octal(mode)}): chmod 600 {path} (or 640 to share it with the group)";
    }

    /// <summary>Throws <see cref="TlsSetupException"/> when <paramref name="path"/> breaks the rule (for TLS key files).</summary>
    internal static void RequireTls(string path, string option)
    {
        if (Problem(path, option) is { } problem)
        {
            throw new TlsSetupException(problem);
        }
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode & 0xfff, 8).PadLeft(4, '0');
}
