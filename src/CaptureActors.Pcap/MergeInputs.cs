namespace CaptureActors.Pcap;

/// <summary>Opens a merge input by its content, not its name: pcapng when it starts with a Section Header Block, else classic pcap.</summary>
internal static class MergeInputs
{
    /// <exception cref="PcapFormatException">The file is neither valid pcap nor valid pcapng.</exception>
    public static IMergeInput Open(string path) =>
        PcapNgReader.LooksLikePcapNg(path) ? new PcapNgMergeInput(PcapNgReader.Open(path)) : new PcapMergeInput(PcapFileReader.Open(path));

    private sealed class PcapMergeInput(PcapFileReader reader) : IMergeInput
    {
        public string Name => reader.Name;

        public int LinkType => reader.Header.LinkType;

        public int SnapLength => reader.Header.SnapLength;

        public bool TruncatedTail => reader.TruncatedTail;

        public bool TryReadInto(ref byte[] buffer, out long timestampNanoseconds, out int capturedLength, out int originalLength)
        {
            bool read = reader.TryReadInto(ref buffer, out long seconds, out long fraction, out capturedLength, out originalLength);
            timestampNanoseconds = (seconds * 1_000_000_000) + fraction;
            return read;
        }

        public void Dispose() => reader.Dispose();
    }

    /// <summary>
    /// A pcapng input: one link type for all its interfaces (that of the first interface declared), since a merge
    /// source becomes one interface of the output; the largest declared snap length.
    /// </summary>
    private sealed class PcapNgMergeInput : IMergeInput
    {
        private readonly PcapNgReader _reader;

        public PcapNgMergeInput(PcapNgReader reader)
        {
            _reader = reader;
            LinkType = reader.Interfaces.Count > 0 ? reader.Interfaces[0].LinkType : PcapFormat.LinkTypeEthernet;
            SnapLength = reader.Interfaces.Count > 0 ? reader.Interfaces.Max(i => i.SnapLength) : 0;
        }

        public string Name => _reader.Name;

        public int LinkType { get; }

        public int SnapLength { get; }

        public bool TruncatedTail => _reader.TruncatedTail;

        public bool TryReadInto(ref byte[] buffer, out long timestampNanoseconds, out int capturedLength, out int originalLength)
        {
            if (!_reader.TryReadInto(ref buffer, out timestampNanoseconds, out int interfaceId, out capturedLength, out originalLength))
            {
                return false;
            }

            PcapNgInterface iface = _reader.Interfaces[interfaceId];
            if (iface.LinkType != LinkType)
            {
                throw new PcapFormatException(
                    $"{Name}: interface {interfaceId} ({iface.Name ?? "unnamed"}) has link type {iface.LinkType}, the file's first interface {LinkType}: " +
                    "merge takes one link type per input (split the file by interface first, e.g. tshark -r FILE -w OUT -Y frame.interface_id==N)");
            }

            return true;
        }

        public void Dispose() => _reader.Dispose();
    }
}
