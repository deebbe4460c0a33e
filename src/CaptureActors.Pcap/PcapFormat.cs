namespace CaptureActors.Pcap;

/// <summary>Constants of the classic pcap file format (https://www.tcpdump.org/manpages/pcap-savefile.5.txt).</summary>
public static class PcapFormat
{
    /// <summary>Magic of a microsecond file, as written in the writer's (little-endian) byte order.</summary>
    public const uint MicrosecondMagic = 0xa1b2c3d4;

    /// <summary>Magic of a nanosecond file.</summary>
    public const uint NanosecondMagic = 0xa1b23c4d;

    public const int FileHeaderLength = 24;

    /// <summary>The only major version of the format (files say 2.4); readers refuse any other.</summary>
    public const int VersionMajor = 2;

    public const int RecordHeaderLength = 16;

    /// <summary>Largest captured length a reader accepts in one record, whatever the header says (libpcap's own bound).</summary>
    public const int MaxRecordCaptureLength = 256 * 1024;

    /// <summary>DLT_EN10MB, Ethernet.</summary>
    public const int LinkTypeEthernet = 1;

    /// <summary>DLT_LINUX_SLL, Linux "cooked" capture v1 (the <c>any</c> device where libpcap offers no LINUX_SLL2).</summary>
    public const int LinkTypeLinuxSll = 113;

    /// <summary>LINKTYPE_LINUX_SLL2: the cooked header with interface index and direction (what the <c>any</c> device writes now, as tcpdump 4.99 does).</summary>
    public const int LinkTypeLinuxSll2 = 276;

    /// <summary>Converts a record timestamp to a point in time.</summary>
    public static DateTimeOffset ToDateTimeOffset(long seconds, long fractionNanoseconds) =>
        DateTimeOffset.UnixEpoch.AddTicks((seconds * TimeSpan.TicksPerSecond) + (fractionNanoseconds / 100));
}
