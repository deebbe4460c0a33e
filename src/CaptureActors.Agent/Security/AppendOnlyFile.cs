using System.ComponentModel;
using System.Runtime.InteropServices;

namespace CaptureActors.Agent.Security;

/// <summary>
/// Appends whole lines to a file opened with <c>O_WRONLY|O_APPEND|O_CREAT|O_CLOEXEC</c> (created with mode 0600): every
/// write lands at the end of the file, whoever else appends and whatever logrotate did (rename or copytruncate), and the
/// file is never truncated. .NET's <c>FileMode.Append</c> only seeks to the end once at open, hence open(2) itself.
/// The file is opened per append: audit lines are rare (one per state-changing command), and a rotated file is
/// followed without a signal.
/// </summary>
internal static unsafe partial class AppendOnlyFile
{
    private const int WriteOnly = 0x1;
    private const int Create = 0x40;
    private const int Append = 0x400;
    private const int CloseOnExec = 0x80000;
    private const int Interrupted = 4;

    /// <summary>rw------- : the audit log names who did what; only the agent's user reads it.</summary>
    public const uint CreateMode = 0x180;

    public static void AppendBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var fd = Open(path, WriteOnly | Create | Append | CloseOnExec, CreateMode);
        if (fd < 0)
        {
            throw Failure("open", path);
        }

        try
        {
            fixed (byte* start = bytes)
            {
                var written = 0;
                while (written < bytes.Length)
                {
                    var count = Write(fd, start + written, (nuint)(bytes.Length - written));
                    if (count < 0)
                    {
                        if (Marshal.GetLastPInvokeError() == Interrupted)
                        {
                            continue;
                        }

                        throw Failure("write", path);
                    }

                    written += (int)count;
                }
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    private static IOException Failure(string call, string path) =>
        new($"cannot {call} {path}: {new Win32Exception(Marshal.GetLastPInvokeError()).Message}");

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint Write(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
