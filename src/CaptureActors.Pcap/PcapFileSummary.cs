namespace CaptureActors.Pcap;

/// <summary>What a pcap file holds, as read by <see cref="PcapFileReader.Summarize"/>.</summary>
/// <param name="TruncatedTail">The last record is cut short (a writer crashed or is still writing); the packets before it are counted.</param>
public sealed record PcapFileSummary(
    long Packets,
    DateTimeOffset? FirstPacketAt,
    DateTimeOffset? LastPacketAt,
    int LinkType,
    int SnapLength,
    bool Nanoseconds,
    long FileBytes,
    bool TruncatedTail);
