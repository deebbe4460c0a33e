using System.Runtime.InteropServices;

namespace CaptureActors.Capture;

/// <summary>The few libpcap calls the capture loop makes itself (no per-packet allocation, correct pcap_stat layout).</summary>
internal static unsafe partial class LibPcapNative
{
    private const string Library = "libpcap.so.0.8";

    public const int Ok = 1;
    public const int Timeout = 0;
    public const int Error = -1;
    public const int Break = -2;

    /// <summary>PCAP_NETMASK_UNKNOWN.</summary>
    public const uint NetmaskUnknown = 0xffffffff;

    /// <summary>struct pcap_pkthdr on 64-bit Linux: struct timeval (two longs), caplen, len.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct PacketHeader
    {
        public long Seconds;
        public long Microseconds;
        public uint CapturedLength;
        public uint Length;
    }

    /// <summary>struct pcap_stat: three u_int (SharpPcap declares them 8 bytes wide and reads 0 drops).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Stats
    {
        public uint Received;
        public uint Dropped;
        public uint InterfaceDropped;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct BpfProgram
    {
        public uint Length;
        public IntPtr Instructions;
    }

    [LibraryImport(Library, EntryPoint = "pcap_next_ex")]
    public static partial int NextEx(IntPtr pcap, out PacketHeader* header, out byte* data);

    [LibraryImport(Library, EntryPoint = "pcap_breakloop")]
    public static partial void BreakLoop(IntPtr pcap);

    [LibraryImport(Library, EntryPoint = "pcap_stats")]
    public static partial int GetStats(IntPtr pcap, out Stats stats);

    [LibraryImport(Library, EntryPoint = "pcap_geterr")]
    public static partial IntPtr GetError(IntPtr pcap);

    [LibraryImport(Library, EntryPoint = "pcap_datalink")]
    public static partial int DataLink(IntPtr pcap);

    [LibraryImport(Library, EntryPoint = "pcap_list_datalinks")]
    public static partial int ListDataLinks(IntPtr pcap, out int* linkTypes);

    [LibraryImport(Library, EntryPoint = "pcap_free_datalinks")]
    public static partial void FreeDataLinks(int* linkTypes);

    [LibraryImport(Library, EntryPoint = "pcap_set_datalink")]
    public static partial int SetDataLink(IntPtr pcap, int linkType);

    [LibraryImport(Library, EntryPoint = "pcap_datalink_val_to_name")]
    public static partial IntPtr DataLinkName(int linkType);

    [LibraryImport(Library, EntryPoint = "pcap_open_dead")]
    public static partial IntPtr OpenDead(int linkType, int snapLength);

    [LibraryImport(Library, EntryPoint = "pcap_compile", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Compile(IntPtr pcap, ref BpfProgram program, string filter, int optimize, uint netmask);

    [LibraryImport(Library, EntryPoint = "pcap_freecode")]
    public static partial void FreeCode(ref BpfProgram program);

    [LibraryImport(Library, EntryPoint = "pcap_close")]
    public static partial void Close(IntPtr pcap);

    [LibraryImport(Library, EntryPoint = "pcap_setnonblock")]
    public static partial int SetNonBlock(IntPtr pcap, int nonBlock, byte* errorBuffer);

    [LibraryImport(Library, EntryPoint = "pcap_get_selectable_fd")]
    public static partial int SelectableFd(IntPtr pcap);

    public const short PollIn = 0x1;
    public const short PollErr = 0x8;

    /// <summary>struct pollfd.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short ReturnedEvents;
    }

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollFd* fds, ulong count, int timeoutMilliseconds);

    /// <summary>EFD_NONBLOCK | EFD_CLOEXEC.</summary>
    public const int EventFdFlags = 0x800 | 0x80000;

    [LibraryImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    public static partial int EventFd(uint initial, int flags);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, void* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int CloseFd(int fd);

    /// <summary>Puts the handle in non-blocking mode; null on success, else libpcap's message.</summary>
    public static string? MakeNonBlocking(IntPtr pcap)
    {
        byte* errorBuffer = stackalloc byte[256];
        errorBuffer[0] = 0;
        return SetNonBlock(pcap, 1, errorBuffer) == 0 ? null : Marshal.PtrToStringUTF8((IntPtr)errorBuffer);
    }

    public static string ErrorText(IntPtr pcap) => Marshal.PtrToStringUTF8(GetError(pcap)) ?? "unknown libpcap error";

    public static string? LinkTypeName(int linkType) => Marshal.PtrToStringUTF8(DataLinkName(linkType));

    /// <summary>The link types libpcap offers on an opened handle (empty when it cannot list them).</summary>
    public static IReadOnlyList<int> DataLinks(IntPtr pcap)
    {
        int count = ListDataLinks(pcap, out int* list);
        if (count <= 0 || list is null)
        {
            return [];
        }

        try
        {
            return new ReadOnlySpan<int>(list, count).ToArray();
        }
        finally
        {
            FreeDataLinks(list);
        }
    }
}
