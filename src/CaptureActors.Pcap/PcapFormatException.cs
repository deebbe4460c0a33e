namespace CaptureActors.Pcap;

/// <summary>A capture file is not valid pcap/pcapng, or a record in it is corrupt.</summary>
public sealed class PcapFormatException : Exception
{
    public PcapFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Damage at a known place: the message reads <c>FILE: at offset N: PROBLEM</c>.</summary>
    public PcapFormatException(string file, long offset, string problem)
        : base($"{file}: at offset {offset}: {problem}")
    {
        File = file;
        Offset = offset;
    }

    /// <summary>The damaged file, when known.</summary>
    public string? File { get; }

    /// <summary>Byte offset of the damaged header or record in <see cref="File"/>; -1 when not known.</summary>
    public long Offset { get; } = -1;
}
