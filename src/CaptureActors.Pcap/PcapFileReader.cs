using System.Buffers.Binary;

namespace CaptureActors.Pcap;

/// <summary>
/// Reads classic pcap files in either byte order, with micro- or nanosecond timestamps.
/// Hardened: record lengths are bounded by the snap length and by <see cref="PcapFormat.MaxRecordCaptureLength"/>
/// (a larger one is reported as corruption), a truncated last record ends the file and is reported in
/// <see cref="TruncatedTail"/>, and every step consumes input, so a reader always ends.
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
    public static PcapFileReader Open(string path)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
        try
        {
            return new PcapFileReader(stream, path);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

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
            throw new PcapFormatException(
                $"{Name}: record {_index + 1} at offset {_offset} claims {capturedLength} captured bytes, more than the limit of {_maxCaptureLength} (snap length {Header.SnapLength}): the file is corrupt");
        }

        if (Header.Nanoseconds)
        {
            if (fraction >= 1_000_000_000)
            {
                throw new PcapFormatException($"{Name}: record {_index + 1} at offset {_offset} has {fraction} nanoseconds: the file is corrupt");
            }
        }
        else
        {
            if (fraction >= 1_000_000)
            {
                throw new PcapFormatException($"{Name}: record {_index + 1} at offset {_offset} has {fraction} microseconds: the file is corrupt");
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
            throw new PcapFormatException($"{Name}: {got} bytes, too short for a pcap file header ({PcapFormat.FileHeaderLength} bytes)");
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
                throw new PcapFormatException($"{Name}: this is a pcapng file, not classic pcap");
            default:
                throw new PcapFormatException($"{Name}: not a pcap file (magic 0x{magic:x8})");
        }

        _bigEndian = bigEndian;
        _offset = PcapFormat.FileHeaderLength;
        uint snap = ReadUInt32(h[16..]);
        return new PcapFileHeader(
            bigEndian,
            nanoseconds,
            ReadUInt16(h[4..]),
            ReadUInt16(h[6..]),
            (int)Math.Min(snap, int.MaxValue),
            (int)(ReadUInt32(h[20..]) & 0x0fff_ffff));
    }

    private bool _bigEndian;

    private uint ReadUInt32(ReadOnlySpan<byte> b) =>
        _bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b);

    private ushort ReadUInt16(ReadOnlySpan<byte> b) =>
        _bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b);

    private int ReadFully(Span<byte> into)
    {
        int total = 0;
        while (total < into.Length)
        {
            int n = _stream.Read(into[total..]);
            if (n <= 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }
}
