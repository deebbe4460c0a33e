using System.Globalization;
using CaptureActors.Agent.Storage;

namespace CaptureActors.Agent.Security;

/// <summary>
/// Where a plain agent puts its local socket: <c>capture-agent.local-access.socket-directory</c>, or by default
/// <see cref="SystemDirectory"/> (systemd's <c>RuntimeDirectory=capture-actors</c>; root creates it) and, for an agent
/// that cannot write there, a directory of its own under the temporary directory. The directory must belong to the
/// agent's user or root and be writable by nobody else: whoever can write it could put their own socket in its place.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public static class LocalSocketDirectory
{
    public const string ConfigPath = "capture-agent.local-access.socket-directory";

    public const string SystemDirectory = "/run/capture-actors";

    /// <summary>Unix socket paths are limited by the kernel (sun_path: 108 bytes with the NUL).</summary>
    private const int MaxPathBytes = 107;

    private const UnixFileMode Traversable = (UnixFileMode)0b111_101_101;

    /// <summary>The socket path of the agent whose remoting listens on <paramref name="port"/>; creates its directory when missing.</summary>
    /// <param name="configured">The configured directory, or empty for the default.</param>
    /// <exception cref="IOException">No safe directory: the message names it and why.</exception>
    public static string SocketPath(string configured, int port)
    {
        var uid = PosixAccounts.EffectiveUserId();
        string directory;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            directory = Prepare(Path.GetFullPath(configured), uid);
        }
        else
        {
            try
            {
                directory = Prepare(SystemDirectory, uid);
            }
            catch (IOException) when (uid != 0)
            {
                directory = Prepare(Path.Combine(Path.GetTempPath(), $"capture-actors-{uid.ToString(CultureInfo.InvariantCulture)}"), uid);
            }
        }

        // The process id keeps agents apart that listen on one port in different network namespaces.
        var path = Path.Combine(directory, $"agent-{port.ToString(CultureInfo.InvariantCulture)}-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}.sock");
        if (System.Text.Encoding.UTF8.GetByteCount(path) > MaxPathBytes)
        {
            throw new IOException($"the local socket path {path} is longer than the kernel's {MaxPathBytes} bytes: set {ConfigPath} to a shorter directory");
        }

        RemoveDeadAgentsSockets(directory);
        return path;
    }

    /// <summary>Removes a socket left at <paramref name="path"/>; anything else there is an error.</summary>
    public static void RemoveStaleSocket(string path)
    {
        var status = RegularFile.Inspect(path);
        if (status.Kind == RegularFile.Kind.Missing)
        {
            return;
        }

        if (status.Kind != RegularFile.Kind.Socket)
        {
            throw new IOException($"cannot listen on the local socket {path}: something other than a socket is there");
        }

        File.Delete(path);
    }

    private static string Prepare(string directory, uint uid)
    {
        try
        {
            if (!Directory.Exists(directory))
            {
                Directory.CreateDirectory(directory, Traversable);
            }

            var status = RegularFile.Inspect(directory);
            if (status.Kind != RegularFile.Kind.Directory)
            {
                throw new IOException($"the local socket directory {directory} is not a directory (a symbolic link is not followed)");
            }

            var (owner, mode) = (status.Owner, status.Permissions);
            if (owner != uid && owner != 0)
            {
                throw new IOException($"the local socket directory {directory} belongs to uid {owner}, not to this agent's user (uid {uid}) or root");
            }

            if ((mode & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
            {
                throw new IOException($"the local socket directory {directory} is writable by other users (mode {Convert.ToString((int)mode, 8)}): chmod go-w it");
            }

            // Others must reach the socket to be told why they are refused.
            if ((mode & UnixFileMode.OtherExecute) == 0 && owner == uid)
            {
                File.SetUnixFileMode(directory, mode | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            }

            var probe = Path.Combine(directory, $".probe-{Environment.ProcessId}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return directory;
        }
        catch (UnauthorizedAccessException e)
        {
            throw new IOException($"the local socket directory {directory} cannot be used: {e.Message}", e);
        }
    }

    /// <summary>Sockets of agents whose process is gone (a kill -9 leaves its socket behind).</summary>
    private static void RemoveDeadAgentsSockets(string directory)
    {
        foreach (var file in Directory.EnumerateFiles(directory, "agent-*-*.sock"))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            var pid = name[(name.LastIndexOf('-') + 1)..];
            if (int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && !Directory.Exists($"/proc/{id}") && IsSocket(file))
            {
                try
                {
                    File.Delete(file);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Another user's; its owner's agent removes it.
                }
            }
        }
    }

    private static bool IsSocket(string path) => RegularFile.Inspect(path).Kind == RegularFile.Kind.Socket;
}
