using System.Runtime.InteropServices;

namespace CaptureActors.Agent.Security;

/// <summary>lstat(2) of a path: its type, owner and mode, without following a symbolic link. Linux x86_64/arm64 layouts.</summary>
public readonly record struct FileStatus(uint Type, uint Owner, UnixFileMode Mode)
{
    public const uint TypeMask = 0xF000;
    public const uint Socket = 0xC000;
    public const uint Link = 0xA000;
    public const uint Regular = 0x8000;
    public const uint Directory = 0x4000;

    /// <summary>The status of <paramref name="path"/>, or null when nothing is there (or it cannot be read).</summary>
    public static FileStatus? Of(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var buffer = new byte[256];
        if (Lstat(path, buffer) != 0)
        {
            return null;
        }

        // x86_64: st_mode at 24, st_uid at 28; aarch64 (generic layout): st_mode at 16, st_uid at 24.
        var (modeOffset, uidOffset) = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? (24, 28) : (16, 24);
        var mode = BitConverter.ToUInt32(buffer, modeOffset);
        return new FileStatus(mode & TypeMask, BitConverter.ToUInt32(buffer, uidOffset), (UnixFileMode)(mode & 0xFFF));
    }

    [DllImport("libc", EntryPoint = "lstat", SetLastError = true)]
    private static extern int Lstat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] buffer);
}
