namespace CaptureActors.Pcap;

/// <summary>What <see cref="PcapMerger.Merge"/> wrote.</summary>
/// <param name="OutputPath">The pcapng file.</param>
/// <param name="PacketsPerSource">Packets taken from each source, in the order the sources were given.</param>
/// <param name="TotalPackets">Packets in the output.</param>
/// <param name="FirstUnixNanoseconds">Earliest corrected timestamp (ns since the Unix epoch); null without packets.</param>
/// <param name="LastUnixNanoseconds">Latest corrected timestamp; null without packets.</param>
/// <param name="TruncatedFiles">Input files whose last record was cut short (a crashed or still running writer); their whole records were merged.</param>
public sealed record MergeResult(
    string OutputPath,
    IReadOnlyList<long> PacketsPerSource,
    long TotalPackets,
    long? FirstUnixNanoseconds,
    long? LastUnixNanoseconds,
    IReadOnlyList<string> TruncatedFiles)
{
    /// <summary><see cref="FirstUnixNanoseconds"/> as a point in time (100 ns resolution).</summary>
    public DateTimeOffset? FirstPacketAt => FirstUnixNanoseconds is { } ns ? DateTimeOffset.UnixEpoch.AddTicks(ns / 100) : null;

    /// <summary><see cref="LastUnixNanoseconds"/> as a point in time (100 ns resolution).</summary>
    public DateTimeOffset? LastPacketAt => LastUnixNanoseconds is { } ns ? DateTimeOffset.UnixEpoch.AddTicks(ns / 100) : null;
}
