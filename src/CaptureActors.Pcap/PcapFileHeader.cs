namespace CaptureActors.Pcap;

/// <summary>The global header of a classic pcap file.</summary>
/// <param name="BigEndian">The file was written on a big-endian machine (magic read swapped).</param>
/// <param name="Nanoseconds">Timestamps' fractions are nanoseconds (magic a1b23c4d), not microseconds.</param>
public sealed record PcapFileHeader(
    bool BigEndian,
    bool Nanoseconds,
    int VersionMajor,
    int VersionMinor,
    int SnapLength,
    int LinkType);
