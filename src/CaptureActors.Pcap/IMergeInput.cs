namespace CaptureActors.Pcap;

/// <summary>One capture file read by a merge, record by record into a reused buffer: classic pcap or pcapng.</summary>
internal interface IMergeInput : IDisposable
{
    string Name { get; }

    int LinkType { get; }

    /// <summary>Largest captured length the file declares; 0 when it sets no limit.</summary>
    int SnapLength { get; }

    /// <summary>Set once reading ended at a record cut short by the end of the file.</summary>
    bool TruncatedTail { get; }

    /// <summary>The next record; false at the end or at a truncated tail.</summary>
    /// <exception cref="PcapFormatException">A record is corrupt, or (pcapng) is on an interface of another link type.</exception>
    bool TryReadInto(ref byte[] buffer, out long timestampNanoseconds, out int capturedLength, out int originalLength);
}
