namespace CaptureActors.Pcap;

/// <summary>
/// Streams one <see cref="MergeSource"/>'s records (pcap or pcapng segments, told apart by content), segment after segment, with timestamps corrected by the clock
/// offset, one record at a time into a reused buffer. A truncated last record ends its segment (noted in
/// <see cref="TruncatedFiles"/>); a corrupt record throws <see cref="PcapFormatException"/> naming the file.
/// </summary>
internal sealed class MergeSourceReader : IDisposable
{
    private readonly MergeSource _source;
    private readonly long _offsetNanoseconds;
    private readonly List<string> _truncated = [];
    private IMergeInput? _reader;
    private int _nextFile;
    private byte[] _buffer = new byte[2048];

    public MergeSourceReader(MergeSource source, int index)
    {
        _source = source;
        Index = index;
        _offsetNanoseconds = source.ClockOffset.Ticks * TimeSpan.NanosecondsPerTick;
        int? linkType = null;
        int snapLength = 0;
        foreach (string file in source.Files)
        {
            using IMergeInput reader = MergeInputs.Open(file);
            linkType ??= reader.LinkType;
            if (reader.LinkType != linkType)
            {
                throw new PcapFormatException(
                    $"{file}: link type {reader.LinkType} differs from link type {linkType} of {source.Files[0]}, the first segment of {source.InterfaceName}");
            }

            snapLength = Math.Max(snapLength, reader.SnapLength);
        }

        LinkType = linkType ?? PcapFormat.LinkTypeEthernet;
        SnapLength = snapLength;
    }

    /// <summary>Position of the source in the merge's list (breaks timestamp ties).</summary>
    public int Index { get; }

    public int LinkType { get; }

    /// <summary>Largest snap length of the segments.</summary>
    public int SnapLength { get; }

    public long Packets { get; private set; }

    public IReadOnlyList<string> TruncatedFiles => _truncated;

    /// <summary>The current record's corrected timestamp, ns since the Unix epoch.</summary>
    public long Timestamp { get; private set; }

    public int OriginalLength { get; private set; }

    /// <summary>The current record's bytes, valid until the next <see cref="MoveNext"/>.</summary>
    public ReadOnlySpan<byte> Data => _buffer.AsSpan(0, CapturedLength);

    private int CapturedLength { get; set; }

    /// <summary>Advances to the next record of this source; false when all segments are read.</summary>
    public bool MoveNext()
    {
        while (true)
        {
            if (_reader is null)
            {
                if (_nextFile >= _source.Files.Count)
                {
                    return false;
                }

                _reader = MergeInputs.Open(_source.Files[_nextFile++]);
            }

            if (_reader.TryReadInto(ref _buffer, out long timestamp, out int captured, out int original))
            {
                long corrected = timestamp - _offsetNanoseconds;
                if (corrected < 0)
                {
                    throw new InvalidOperationException(
                        $"{_reader.Name}: clock offset {_source.ClockOffset} moves a packet at {timestamp / 1_000_000_000}.{timestamp % 1_000_000_000:D9} s before 1970");
                }

                Timestamp = corrected;
                CapturedLength = captured;
                OriginalLength = original;
                Packets++;
                return true;
            }

            if (_reader.TruncatedTail)
            {
                _truncated.Add(_reader.Name);
            }

            _reader.Dispose();
            _reader = null;
        }
    }

    public void Dispose() => _reader?.Dispose();
}
