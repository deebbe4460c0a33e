using System.Buffers.Binary;

namespace CaptureActors.Pcap;

/// <summary>
/// Reads classic pcap files in either byte order, with micro- or nanosecond timestamps.
/// Hardened against damaged and hostile files (tested by mutating thousands of files, PcapCorruptionTests):
/// <list type="bullet">
/// <item>A record's captured length is never trusted: it must be at most the header's snap length, and never more
/// than <see cref="PcapFormat.MaxRecordCaptureLength"/> (256 KiB, libpcap's own bound) whatever the header says
/// (snap length 0 or huge: 256 KiB). Memory for a record is allocated only after that check and, on a file, only
/// when the file still holds that many bytes.</item>
/// <item>A record cut short by the end of the file (a writer that crashed or is still writing, design.md §5) ends
/// reading without an error and sets <see cref="TruncatedTail"/>; damage before the end (a length over the bounds,
/// a fraction of a second out of range, an unknown version) is a <see cref="PcapFormatException"/> naming the file,
/// the record and its byte offset.</item>
/// <item>Every record consumes at least its 16-byte header, so a zero length cannot loop: reading always ends.</item>
/// </list>
/// </summary>
public sealed class PcapFileReader : IDisposable
{
    private readonly Stream _stream;
    private readonly byte[] _recordHeader = new byte[PcapFormat.RecordHeaderLength];
    private readonly int _maxCaptureLength;
    private long _offset;
    private long _index;

    private PcapFileReader(Stream stream, string name)
    {
        _stream = stream;
        Name = name;
        Header = ReadFileHeader();
        int snap = Header.SnapLength;
        _maxCaptureLength = snap > 0 && snap < PcapFormat.MaxRecordCaptureLength ? snap : PcapFormat.MaxRecordCaptureLength;
    }

    /// <summary>File name used in error messages.</summary>
    public string Name { get; }

    public PcapFileHeader Header { get; }

    /// <summary>Set once reading ended at a record cut short (partial header or data).</summary>
    public bool TruncatedTail { get; private set; }

    /// <summary>Opens <paramref name="path"/> for reading (shared with a writer that may still be appending).</summary>
    /// <exception cref="PcapFormatException">The file has no valid pcap header.</exception>
    public static PcapFileReader Open(string path) => CaptureFileOpening.Open(path, (stream, name) => new PcapFileReader(stream, name));

    /// <summary>Reads pcap from <paramref name="stream"/>; the reader owns and disposes it.</summary>
    public static PcapFileReader Open(Stream stream, string name = "stream") => new(stream, name);

    /// <summary>Summarizes a file: packet count, first and last timestamps, link type, whether its tail is truncated.</summary>
    /// <exception cref="PcapFormatException">The header is invalid or a record is corrupt.</exception>
    public static PcapFileSummary Summarize(string path)
    {
        using PcapFileReader reader = Open(path);
        long packets = 0;
        DateTimeOffset? first = null;
        DateTimeOffset? last = null;
        while (reader.TryReadRecord(out long seconds, out long fraction, out _, out _, skipData: true))
        {
            DateTimeOffset at = PcapFormat.ToDateTimeOffset(seconds, fraction);
            first ??= at;
            last = at;
            packets++;
        }

        return new PcapFileSummary(packets, first, last, reader.Header.LinkType, reader.Header.SnapLength,
            reader.Header.Nanoseconds, reader._offset, reader.TruncatedTail);
    }

    /// <summary>Every whole record, in file order.</summary>
    /// <exception cref="PcapFormatException">A record is corrupt.</exception>
    public IEnumerable<PcapPacket> ReadPackets()
    {
        while (TryReadRecord(out long seconds, out long fraction, out int originalLength, out byte[]? data, skipData: false))
        {
            yield return new PcapPacket(seconds, fraction, originalLength, data!);
        }
    }

    /// <summary>Reads the next record; false at the end of the file or at a truncated tail.</summary>
    public PcapPacket? ReadNext() =>
        TryReadRecord(out long seconds, out long fraction, out int originalLength, out byte[]? data, skipData: false)
            ? new PcapPacket(seconds, fraction, originalLength, data!)
            : null;

    public void Dispose() => _stream.Dispose();

    /// <summary>
    /// Reads the next record into <paramref name="buffer"/> (replaced by a larger array when a record does not fit),
    /// so a streaming consumer allocates only for its largest record. False at the end or at a truncated tail.
    /// </summary>
    internal bool TryReadInto(ref byte[] buffer, out long seconds, out long fractionNanoseconds, out int capturedLength, out int originalLength)
    {
        if (!TryReadRecord(out seconds, out fractionNanoseconds, out originalLength, out byte[]? data, skipData: false, reuse: buffer, out capturedLength))
        {
            return false;
        }

        buffer = data!;
        return true;
    }

    private bool TryReadRecord(out long seconds, out long fraction, out int originalLength, out byte[]? data, bool skipData) =>
        TryReadRecord(out seconds, out fraction, out originalLength, out data, skipData, reuse: null, out _);

    private bool TryReadRecord(out long seconds, out long fraction, out int originalLength, out byte[]? data, bool skipData, byte[]? reuse, out int dataLength)
    {
        dataLength = 0;
        seconds = fraction = originalLength = 0;
        data = null;
        if (TruncatedTail)
        {
            return false;
        }

        int got = ReadFully(_recordHeader);
        if (got == 0)
        {
            return false;
        }

        if (got < _recordHeader.Length)
        {
            TruncatedTail = true;
            return false;
        }

        ReadOnlySpan<byte> h = _recordHeader;
        seconds = ReadUInt32(h);
        fraction = ReadUInt32(h[4..]);
        uint capturedLength = ReadUInt32(h[8..]);
        uint wireLength = ReadUInt32(h[12..]);
        if (capturedLength > (uint)_maxCaptureLength)
        {
            throw Corrupt(
                $"record {_index + 1} claims {capturedLength} captured bytes, more than the limit of {_maxCaptureLength} (snap length {Header.SnapLength}, at most {PcapFormat.MaxRecordCaptureLength}): the file is corrupt");
        }

        if (Header.Nanoseconds)
        {
            if (fraction >= 1_000_000_000)
            {
                throw Corrupt($"record {_index + 1} has {fraction} nanoseconds (at most 999999999): the file is corrupt");
            }
        }
        else
        {
            if (fraction >= 1_000_000)
            {
                throw Corrupt($"record {_index + 1} has {fraction} microseconds (at most 999999): the file is corrupt");
            }

            fraction *= 1000;
        }

        originalLength = (int)Math.Min(wireLength, int.MaxValue);
        if (skipData && _stream.CanSeek)
        {
            if (_stream.Length - _stream.Position < capturedLength)
            {
                TruncatedTail = true;
                return false;
            }

            _stream.Seek(capturedLength, SeekOrigin.Current);
            _offset += PcapFormat.RecordHeaderLength + capturedLength;
            _index++;
            return true;
        }

        if (_stream.CanSeek && _stream.Length - _stream.Position < capturedLength)
        {
            // The file ends inside this record: no buffer for bytes that are not there.
            TruncatedTail = true;
            return false;
        }

        data = reuse is not null && reuse.Length >= capturedLength ? reuse : new byte[capturedLength];
        got = ReadFully(data.AsSpan(0, (int)capturedLength));
        if (got < capturedLength)
        {
            TruncatedTail = true;
            data = null;
            return false;
        }

        if (skipData)
        {
            data = null;
        }

        dataLength = (int)capturedLength;
        _offset += PcapFormat.RecordHeaderLength + capturedLength;
        _index++;
        return true;
    }

    private PcapFileHeader ReadFileHeader()
    {
        Span<byte> h = stackalloc byte[PcapFormat.FileHeaderLength];
        int got = ReadFully(h);
        if (got < h.Length)
        {
            throw new PcapFormatException(Name, 0, $"{got} bytes, too short for a pcap file header ({PcapFormat.FileHeaderLength} bytes)");
        }

        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(h);
        bool bigEndian;
        bool nanoseconds;
        switch (magic)
        {
            case PcapFormat.MicrosecondMagic: bigEndian = false; nanoseconds = false; break;
            case PcapFormat.NanosecondMagic: bigEndian = false; nanoseconds = true; break;
            case 0xd4c3b2a1: bigEndian = true; nanoseconds = false; break;
            case 0x4d3cb2a1: bigEndian = true; nanoseconds = true; break;
            case 0x0a0d0d0a:
                throw new PcapFormatException(Name, 0, "this is a pcapng file, not classic pcap");
            default:
                // The bytes found are not repeated: a file that is not a capture is no business of an error message.
                throw new PcapFormatException(Name, 0, "not a pcap file (it does not start with a pcap magic number: a1b2c3d4 or a1b23c4d in either byte order)");
        }

        _bigEndian = bigEndian;
        _offset = PcapFormat.FileHeaderLength;
        ushort major = ReadUInt16(h[4..]);
        ushort minor = ReadUInt16(h[6..]);
        if (major != PcapFormat.VersionMajor)
        {
            throw new PcapFormatException(Name, 4, $"pcap version {major}.{minor} is not supported (only {PcapFormat.VersionMajor}.x): the header is corrupt");
        }

        uint snap = ReadUInt32(h[16..]);
        uint linkField = ReadUInt32(h[20..]);
        if ((linkField & 0x03ff_0000) != 0)
        {
            // Bits 0-15 are the link type, 16-25 reserved (zero), 26-31 an optional FCS length.
            throw new PcapFormatException(Name, 20, $"link type field 0x{linkField:x8} has reserved bits set: the header is corrupt");
        }

        return new PcapFileHeader(
            bigEndian,
            nanoseconds,
            major,
            minor,
            (int)Math.Min(snap, int.MaxValue),
            (int)(linkField & 0xffff));
    }

    private bool _bigEndian;

    private PcapFormatException Corrupt(string problem) => new(Name, _offset, problem);

    private uint ReadUInt32(ReadOnlySpan<byte> b) =>
        _bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b);

    private ushort ReadUInt16(ReadOnlySpan<byte> b) =>
        _bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b);

    /// <summary>Reads until <paramref name="into"/> is full or the file ends; how many bytes it got.</summary>
    private int ReadFully(Span<byte> into) => _stream.ReadAtLeast(into, into.Length, throwOnEndOfStream: false);
}
