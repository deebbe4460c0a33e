namespace CaptureActors.Pcap;

/// <summary>One Interface Description Block of a pcapng section, as read by <see cref="PcapNgReader"/>.</summary>
/// <param name="LinkType">LINKTYPE_ value, e.g. <see cref="PcapFormat.LinkTypeEthernet"/>.</param>
/// <param name="SnapLength">Largest captured length the interface declares; 0 means no limit.</param>
/// <param name="Name"><c>if_name</c>, when the block has one.</param>
/// <param name="UnitsPerSecond">Timestamp units per second from <c>if_tsresol</c> (default 10^6: microseconds).</param>
/// <param name="OffsetSeconds"><c>if_tsoffset</c>: seconds added to every timestamp (default 0).</param>
public sealed record PcapNgInterface(int LinkType, int SnapLength, string? Name, ulong UnitsPerSecond, long OffsetSeconds);
