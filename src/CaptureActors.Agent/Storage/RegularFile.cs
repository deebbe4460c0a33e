using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace CaptureActors.Agent.Storage;

/// <summary>
/// The one way the agent reads a file of its data directory (design.md §6, "Files only: regular files in the capture
/// directory, opened without following links"). <see cref="Inspect"/> looks at a directory entry itself (lstat: a
/// symbolic link is seen as a link, never as its target); <see cref="OpenRead"/> opens with <c>O_NOFOLLOW</c> (a link
/// is refused by the kernel, so no check-then-open race can swap one in), <c>O_NONBLOCK</c> (a FIFO never hangs the
/// caller) and <c>O_CLOEXEC</c>, then checks the OPENED file: a regular file, with one hard link (a second name may
/// be a file outside the capture directory that someone linked in; the store never makes one), and, when the caller
/// checked it before, the same device and inode. Everything else is refused with <see cref="NotRegularFileException"/>,
/// whose message names the reason and never anything read from the file.
/// <para>
/// Only the last component of the path is held to this: the data directory and its <c>captures/</c> directory are the
/// operator's choice, and <see cref="DataDirectoryGuard"/> refuses one every user may write.
/// </para>
/// </summary>
public static partial class RegularFile
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxBasicStats = 0x7ff;
    private const int ORdOnly = 0;
    private const int ONonBlock = 0x800;
    private const int OCloExec = 0x80000;
    private const int ELoop = 40;
    private const int ENoEnt = 2;
    private const int ENotDir = 20;
    private const ushort TypeMask = 0xf000;

    /// <summary>O_NOFOLLOW is 0400000 on x86 and most architectures, 0100000 on ARM (asm-generic differs there).</summary>
    private static readonly int ONoFollow =
        RuntimeInformation.ProcessArchitecture is Architecture.Arm or Architecture.Arm64 ? 0x8000 : 0x20000;

    /// <summary>What a directory entry is, by the kernel's <c>st_mode</c> file type.</summary>
    public enum Kind
    {
        /// <summary>No entry of that name.</summary>
        Missing,
        Regular,
        SymbolicLink,
        Directory,
        Fifo,
        Socket,
        CharacterDevice,
        BlockDevice,
        Other,
    }

    /// <summary>The kernel's identity of a file: it stays the same whatever name reaches it.</summary>
    public readonly record struct Identity(ulong Device, ulong Inode);

    /// <summary>One directory entry as the kernel describes it (<c>statx</c>).</summary>
    /// <param name="Links">Hard links to the file (<c>st_nlink</c>).</param>
    /// <param name="Owner">The owner's uid (<c>st_uid</c>).</param>
    /// <param name="Permissions">The permission bits of <c>st_mode</c> (without the file type).</param>
    public readonly record struct Status(Kind Kind, Identity Identity, uint Links, long Size, DateTime ModifiedUtc, uint Owner = 0, UnixFileMode Permissions = 0)
    {
        public static readonly Status Missing = new(Kind.Missing, default, 0, 0, default);

        /// <summary>
        /// Why the store must not read this entry, as the rest of a sentence that starts with its name ("is a symbolic
        /// link, not a capture file"); null for a regular file with one link. Never says anything about a link's target.
        /// </summary>
        public string? Problem => Kind switch
        {
            Kind.Regular when Links > 1 => $"has {Links} hard links (a capture file has one; another name may be a file outside the capture directory), not a capture file",
            Kind.Regular => null,
            Kind.Missing => "does not exist",
            Kind.SymbolicLink => "is a symbolic link, not a capture file",
            Kind.Directory => "is a directory, not a regular file",
            Kind.Fifo => "is a FIFO (named pipe), not a regular file",
            Kind.Socket => "is a socket, not a regular file",
            Kind.CharacterDevice => "is a character device, not a regular file",
            Kind.BlockDevice => "is a block device, not a regular file",
            _ => "is not a regular file",
        };
    }

    /// <summary>The entry <paramref name="path"/> itself (a link is described as a link); <see cref="Status.Missing"/> when there is none.</summary>
    /// <exception cref="IOException">The entry exists but cannot be examined (e.g. a directory on the way denies search).</exception>
    public static Status Inspect(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, out var buffer) == 0)
        {
            return buffer.ToStatus();
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno is ENoEnt or ENotDir ? Status.Missing : throw new IOException($"cannot examine {path}: {Marshal.GetPInvokeErrorMessage(errno)}");
    }

    /// <summary>
    /// Opens <paramref name="path"/> for reading if, and only if, it is a regular file with one link (and, given
    /// <paramref name="expected"/>, the same file as was checked before). The stream reads the very descriptor that was
    /// checked, so it is that file whatever happens to the name meanwhile; with <see cref="FileOptions.Asynchronous"/>
    /// (sendfile) the runtime reopens that descriptor through <c>/proc/self/fd</c>, and the reopened file is checked again.
    /// </summary>
    /// <exception cref="NotRegularFileException">Not a regular file, a link, more than one hard link, or another file than expected.</exception>
    /// <exception cref="FileNotFoundException">No entry of that name.</exception>
    /// <exception cref="IOException">The file cannot be opened (e.g. permission denied).</exception>
    public static FileStream OpenRead(string path, Identity? expected = null, FileOptions options = FileOptions.None, int bufferSize = 4096)
    {
        var handle = OpenHandle(path, expected, options);
        try
        {
            return new FileStream(handle, FileAccess.Read, bufferSize, (options & FileOptions.Asynchronous) != 0);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>The handle behind <see cref="OpenRead"/>.</summary>
    private static SafeFileHandle OpenHandle(string path, Identity? expected, FileOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fd = Open(path, ORdOnly | ONoFollow | ONonBlock | OCloExec);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw errno switch
            {
                ELoop => new NotRegularFileException(Path.GetFileName(path), new Status(Kind.SymbolicLink, default, 1, 0, default).Problem!),
                ENoEnt or ENotDir => new FileNotFoundException($"no file {path}", path),
                _ => new IOException($"cannot open {path}: {Marshal.GetPInvokeErrorMessage(errno)}"),
            };
        }

        var probe = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            var status = StatusOf(probe, path);
            Check(path, status, expected);
            if ((options & FileOptions.Asynchronous) == 0)
            {
                // The checked descriptor itself (the other options are access-pattern hints only).
                return probe;
            }

            // A descriptor wrapped by hand cannot be asynchronous (sendfile's SendPacketsElement needs it): reopened by the
            // runtime through the checked descriptor (/proc/self/fd/N names the open file itself, no path is looked up
            // again), and checked to be the same file.
            var handle = File.OpenHandle($"/proc/self/fd/{fd}", FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, options);
            try
            {
                Check(path, StatusOf(handle, path), status.Identity);
            }
            catch
            {
                handle.Dispose();
                throw;
            }

            probe.Dispose();
            return handle;
        }
        catch
        {
            probe.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Creates <paramref name="path"/> afresh for writing, never through a link: whatever has the name is unlinked first
    /// (a planted link goes, its target is untouched), then the file is created with <c>O_CREAT|O_EXCL</c>, which fails
    /// rather than follow a link planted in between.
    /// </summary>
    /// <exception cref="IOException">The name exists again (planted in between) or the file cannot be created.</exception>
    public static FileStream CreateNew(string path, FileShare share = FileShare.None)
    {
        if (Inspect(path).Kind is not Kind.Missing and not Kind.Directory)
        {
            File.Delete(path);
        }

        return new FileStream(path, FileMode.CreateNew, FileAccess.Write, share);
    }

    /// <summary>The status of an open file (<c>statx</c> on its descriptor).</summary>
    public static Status StatusOf(SafeFileHandle handle, string pathForMessages)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            return Statx((int)handle.DangerousGetHandle(), "", AtEmptyPath, StatxBasicStats, out var buffer) == 0
                ? buffer.ToStatus()
                : throw new IOException($"cannot examine {pathForMessages}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    private static void Check(string path, Status status, Identity? expected)
    {
        if (status.Problem is { } problem)
        {
            throw new NotRegularFileException(Path.GetFileName(path), problem);
        }

        if (expected is { } identity && identity != status.Identity)
        {
            throw new NotRegularFileException(Path.GetFileName(path), "was replaced by another file after it was checked");
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directoryFd, string path, int flags, uint mask, out StatxBuffer buffer);

    /// <summary><c>struct statx</c> (linux/stat.h): the same layout on every architecture, unlike <c>struct stat</c>.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatxBuffer
    {
        [FieldOffset(16)] public uint Links;
        [FieldOffset(20)] public uint Uid;
        [FieldOffset(28)] public ushort Mode;
        [FieldOffset(32)] public ulong Inode;
        [FieldOffset(40)] public ulong Size;
        [FieldOffset(112)] public long ModifiedSeconds;
        [FieldOffset(120)] public uint ModifiedNanoseconds;
        [FieldOffset(136)] public uint DeviceMajor;
        [FieldOffset(140)] public uint DeviceMinor;

        public readonly Status ToStatus()
        {
            var kind = (Mode & TypeMask) switch
            {
                0x8000 => Kind.Regular,
                0xa000 => Kind.SymbolicLink,
                0x4000 => Kind.Directory,
                0x1000 => Kind.Fifo,
                0xc000 => Kind.Socket,
                0x2000 => Kind.CharacterDevice,
                0x6000 => Kind.BlockDevice,
                _ => Kind.Other,
            };
            var modified = DateTime.UnixEpoch.AddSeconds(ModifiedSeconds).AddTicks(ModifiedNanoseconds / 100);
            return new Status(kind, new Identity(((ulong)DeviceMajor << 32) | DeviceMinor, Inode), Links, (long)Size, modified, Uid, (UnixFileMode)(Mode & 0xfff));
        }
    }
}
