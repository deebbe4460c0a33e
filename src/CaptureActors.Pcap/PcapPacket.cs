namespace CaptureActors.Pcap;

/// <summary>One record of a pcap file, with its data copied out of the file.</summary>
/// <param name="Seconds">Seconds since the Unix epoch.</param>
/// <param name="FractionNanoseconds">Fraction of the second, in nanoseconds whatever the file's resolution.</param>
/// <param name="OriginalLength">Length of the frame on the wire.</param>
/// <param name="Data">The captured bytes (at most the snap length).</param>
public sealed record PcapPacket(long Seconds, long FractionNanoseconds, int OriginalLength, ReadOnlyMemory<byte> Data)
{
    public DateTimeOffset Timestamp => PcapFormat.ToDateTimeOffset(Seconds, FractionNanoseconds);
}
