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

    public static string ErrorText(IntPtr pcap) => Marshal.PtrToStringUTF8(GetError(pcap)) ?? "unknown libpcap error";

    public static string? LinkTypeName(int linkType) => Marshal.PtrToStringUTF8(DataLinkName(linkType));
}
