namespace CaptureActors.Pcap;

/// <summary>One packet of a pcapng file (Enhanced, Simple or obsolete Packet Block), with its data copied out.</summary>
/// <param name="InterfaceId">Index of its interface in the section (<see cref="PcapNgReader.Interfaces"/>).</param>
/// <param name="TimestampNanoseconds">Nanoseconds since the Unix epoch (a Simple Packet Block, which has none, gets the previous packet's).</param>
/// <param name="OriginalLength">Length of the frame on the wire.</param>
/// <param name="Data">The captured bytes.</param>
public sealed record PcapNgPacket(int InterfaceId, long TimestampNanoseconds, int OriginalLength, ReadOnlyMemory<byte> Data)
{
    public DateTimeOffset Timestamp => PcapFormat.ToDateTimeOffset(TimestampNanoseconds / 1_000_000_000, TimestampNanoseconds % 1_000_000_000);
}
