using System.Runtime.InteropServices;

namespace CaptureActors.Agent.Security;

/// <summary>
/// The host's user and group database as the C library sees it (files, LDAP, sssd: whatever NSS is set to):
/// user names for the audit log, a group's id for <see cref="LocalAccessRule"/>. Linux only.
/// </summary>
public static partial class PosixAccounts
{
    private const int BufferSize = 16 * 1024;

    /// <summary>The name of <paramref name="uid"/>, or null when the database has none.</summary>
    public static unsafe string? UserName(uint uid)
    {
        var buffer = new byte[BufferSize];
        Passwd entry;
        nint result;
        fixed (byte* b = buffer)
        {
            if (GetPwUidR(uid, &entry, b, (nuint)buffer.Length, &result) != 0 || result == 0)
            {
                return null;
            }

            return Marshal.PtrToStringUTF8(entry.Name);
        }
    }

    /// <summary>The id of group <paramref name="name"/>, or null when there is no such group.</summary>
    public static unsafe uint? GroupId(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var buffer = new byte[BufferSize];
        Group entry;
        nint result;
        fixed (byte* b = buffer)
        {
            if (GetGrNamR(name, &entry, b, (nuint)buffer.Length, &result) != 0 || result == 0)
            {
                return null;
            }

            return entry.Gid;
        }
    }

    /// <summary>This process's effective user id.</summary>
    public static uint EffectiveUserId() => GetEuid();

    [StructLayout(LayoutKind.Sequential)]
    private struct Passwd
    {
        public nint Name;
        public nint Password;
        public uint Uid;
        public uint Gid;
        public nint Gecos;
        public nint Directory;
        public nint Shell;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Group
    {
        public nint Name;
        public nint Password;
        public uint Gid;
        public nint Members;
    }

    [LibraryImport("libc", EntryPoint = "getpwuid_r")]
    private static unsafe partial int GetPwUidR(uint uid, Passwd* entry, byte* buffer, nuint length, nint* result);

    [LibraryImport("libc", EntryPoint = "getgrnam_r", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int GetGrNamR(string name, Group* entry, byte* buffer, nuint length, nint* result);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEuid();
}
