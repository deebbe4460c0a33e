using System.Buffers.Binary;
using System.Text;

namespace CaptureActors.Pcap;

/// <summary>
/// Reads pcapng files (draft-ietf-opsawg-pcapng) from this or any other tool: Section Header, Interface Description,
/// Enhanced Packet, Simple Packet and obsolete Packet Blocks, in either byte order (per section), several sections;
/// every other block type is skipped. Timestamps honour <c>if_tsresol</c> (10^-n up to 10^-19, 2^-n up to 2^-63) and
/// <c>if_tsoffset</c>.
/// Hardened like <see cref="PcapFileReader"/>: no length field is trusted.
/// <list type="bullet">
/// <item>A block's total length must be at least 12, a multiple of 4, and equal to its copy at the block's end.
/// Blocks the reader parses in memory (section and interface headers, whose bodies are options) are bounded by
/// <see cref="MaxHeaderBlockLength"/>; a packet's captured length by the block and by
/// <see cref="PcapFormat.MaxRecordCaptureLength"/>; unknown blocks are skipped by seeking, never read into memory.</item>
/// <item>A block cut short by the end of the file ends reading without an error and sets <see cref="TruncatedTail"/>;
/// damage before the end is a <see cref="PcapFormatException"/> naming the file and the block's byte offset.</item>
/// <item>Every block consumes at least 12 bytes, so reading always ends.</item>
/// </list>
/// Needs a seekable stream (files are). Not thread-safe.
/// </summary>
public sealed class PcapNgReader : IDisposable
{
    /// <summary>Largest Section Header or Interface Description Block accepted (their options are read into memory).</summary>
    public const int MaxHeaderBlockLength = 64 * 1024;

    /// <summary>Most interfaces one section may declare.</summary>
    public const int MaxInterfaces = 4096;

    private const uint SectionHeaderBlockType = PcapNgWriter.SectionHeaderBlockType;
    private const uint InterfaceDescriptionBlockType = PcapNgWriter.InterfaceDescriptionBlockType;
    private const uint EnhancedPacketBlockType = PcapNgWriter.EnhancedPacketBlockType;
    private const uint ObsoletePacketBlockType = 0x00000002;
    private const uint SimplePacketBlockType = 0x00000003;
    private const uint ByteOrderMagic = PcapNgWriter.ByteOrderMagic;
    private const uint SwappedByteOrderMagic = 0x4D3C2B1A;
    private const int MinBlockLength = 12;
    private const ushort OptEndOfOpt = 0;
    private const ushort IfName = 2;
    private const ushort IfTsresol = 9;
    private const ushort IfTsoffset = 14;

    private readonly Stream _stream;
    private readonly byte[] _scratch = new byte[24];
    private readonly List<PcapNgInterface> _interfaces = [];
    private bool _bigEndian;
    private long _offset;
    private long _lastTimestamp;

    private PcapNgReader(Stream stream, string name)
    {
        if (!stream.CanSeek)
        {
            throw new ArgumentException("pcapng is read from a seekable stream", nameof(stream));
        }

        _stream = stream;
        Name = name;
        ReadFirstSectionHeader();
        ReadLeadingInterfaces();
    }

    /// <summary>File name used in error messages.</summary>
    public string Name { get; }

    /// <summary>The current section's interfaces, in id order. After <see cref="Open(string)"/>: those declared before the first packet.</summary>
    public IReadOnlyList<PcapNgInterface> Interfaces => _interfaces;

    /// <summary>Sections started so far (a file may hold several, each with its own byte order and interfaces).</summary>
    public int Sections { get; private set; }

    /// <summary>Set once reading ended at a block cut short by the end of the file.</summary>
    public bool TruncatedTail { get; private set; }

    /// <summary>Opens <paramref name="path"/> for reading (shared with a writer that may still be appending).</summary>
    /// <exception cref="PcapFormatException">The file does not start with a valid Section Header Block, or an interface block is corrupt.</exception>
    public static PcapNgReader Open(string path) => CaptureFileOpening.Open(path, (stream, name) => new PcapNgReader(stream, name));

    /// <summary>Reads pcapng from a seekable <paramref name="stream"/>; the reader owns and disposes it.</summary>
    public static PcapNgReader Open(Stream stream, string name = "stream")
    {
        ArgumentNullException.ThrowIfNull(stream);
        return new PcapNgReader(stream, name);
    }

    /// <summary>True when <paramref name="path"/> starts like a pcapng file (a Section Header Block's type).</summary>
    public static bool LooksLikePcapNg(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
        Span<byte> magic = stackalloc byte[4];
        return stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false) == 4
            && BinaryPrimitives.ReadUInt32LittleEndian(magic) == SectionHeaderBlockType;
    }

    /// <summary>Every whole packet, in file order.</summary>
    /// <exception cref="PcapFormatException">A block is corrupt.</exception>
    public IEnumerable<PcapNgPacket> ReadPackets()
    {
        while (ReadNext() is { } packet)
        {
            yield return packet;
        }
    }

    /// <summary>Reads the next packet; null at the end of the file or at a truncated tail.</summary>
    /// <exception cref="PcapFormatException">A block is corrupt.</exception>
    public PcapNgPacket? ReadNext()
    {
        byte[] buffer = [];
        return TryReadInto(ref buffer, out long timestamp, out int interfaceId, out int captured, out int original)
            ? new PcapNgPacket(interfaceId, timestamp, original, buffer.AsMemory(0, captured).ToArray())
            : null;
    }

    public void Dispose() => _stream.Dispose();

    /// <summary>
    /// Reads the next packet into <paramref name="buffer"/> (replaced by a larger array when a packet does not fit),
    /// skipping and interpreting the blocks before it. False at the end or at a truncated tail.
    /// </summary>
    /// <exception cref="PcapFormatException">A block is corrupt.</exception>
    internal bool TryReadInto(ref byte[] buffer, out long timestampNanoseconds, out int interfaceId, out int capturedLength, out int originalLength)
    {
        timestampNanoseconds = 0;
        interfaceId = capturedLength = originalLength = 0;
        while (!TruncatedTail)
        {
            long start = _offset;
            if (!TryReadBlockStart(out uint type, out uint length))
            {
                return false;
            }

            long body = length - MinBlockLength;
            switch (type)
            {
                case SectionHeaderBlockType:
                    ReadSectionHeaderBody(start, length);
                    break;
                case InterfaceDescriptionBlockType:
                    ReadInterfaceBody(start, length);
                    break;
                case EnhancedPacketBlockType:
                case ObsoletePacketBlockType:
                    if (!ReadPacketBody(start, type, body, ref buffer, out timestampNanoseconds, out interfaceId, out capturedLength, out originalLength))
                    {
                        return false;
                    }

                    ReadTrailer(start, length);
                    return true;
                case SimplePacketBlockType:
                    if (!ReadSimplePacketBody(start, body, ref buffer, out capturedLength, out originalLength))
                    {
                        return false;
                    }

                    timestampNanoseconds = _lastTimestamp;
                    ReadTrailer(start, length);
                    return true;
                default:
                    Skip(body);
                    break;
            }

            ReadTrailer(start, length);
        }

        return false;
    }

    private void ReadFirstSectionHeader()
    {
        Span<byte> head = _scratch.AsSpan(0, 12);
        int got = ReadFully(head);
        if (got < 12)
        {
            throw new PcapFormatException(Name, 0, $"{got} bytes, too short for a pcapng Section Header Block (at least 28 bytes)");
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(head) != SectionHeaderBlockType)
        {
            // What the file starts with is named only when it is a capture format; other bytes are not repeated (they are
            // the contents of a file that is not a capture, no business of an error message).
            var classic = BinaryPrimitives.ReadUInt32LittleEndian(head) is PcapFormat.MicrosecondMagic or PcapFormat.NanosecondMagic or 0xd4c3b2a1 or 0x4d3cb2a1;
            throw new PcapFormatException(Name, 0, $"not a pcapng file ({(classic ? "it starts like a classic pcap file" : "it does not start with a pcapng Section Header Block")}; a pcapng file starts with 0x0a0d0d0a)");
        }

        _stream.Seek(0, SeekOrigin.Begin);
        _offset = 0;
        if (!TryReadBlockStart(out _, out uint length))
        {
            throw new PcapFormatException(Name, 0, $"the Section Header Block ({length} bytes) is cut short by the end of the file");
        }

        ReadSectionHeaderBody(0, length);
        ReadTrailer(0, length);
    }

    /// <summary>Reads the interface blocks that follow the first section header, up to the first other block.</summary>
    private void ReadLeadingInterfaces()
    {
        while (true)
        {
            long start = _offset;
            long position = _stream.Position;
            if (!TryReadBlockStart(out uint type, out uint length))
            {
                return;
            }

            if (type != InterfaceDescriptionBlockType)
            {
                _stream.Seek(position, SeekOrigin.Begin);
                _offset = start;
                return;
            }

            ReadInterfaceBody(start, length);
            ReadTrailer(start, length);
        }
    }

    /// <summary>
    /// Reads a block's type and total length (in the section's byte order; a Section Header sets it) and checks the
    /// length against the bounds and the rest of the file. False at the end of the file or when the block is cut short.
    /// </summary>
    private bool TryReadBlockStart(out uint type, out uint length)
    {
        type = length = 0;
        Span<byte> head = _scratch.AsSpan(0, 8);
        int got = ReadFully(head);
        if (got == 0)
        {
            return false;
        }

        if (got < 8)
        {
            TruncatedTail = true;
            return false;
        }

        type = BinaryPrimitives.ReadUInt32LittleEndian(head); // the section header's type reads the same both ways
        if (type == SectionHeaderBlockType)
        {
            Span<byte> magic = _scratch.AsSpan(8, 4);
            if (ReadFully(magic) < 4)
            {
                TruncatedTail = true;
                return false;
            }

            _stream.Seek(-4, SeekOrigin.Current);
            _bigEndian = BinaryPrimitives.ReadUInt32LittleEndian(magic) switch
            {
                ByteOrderMagic => false,
                SwappedByteOrderMagic => true,
                _ => throw new PcapFormatException(Name, _offset,
                    "section header with an unknown byte-order magic (must be 0x1a2b3c4d in either byte order): the file is corrupt"),
            };
        }
        else
        {
            type = ReadUInt32(head);
        }

        length = ReadUInt32(head[4..]);
        if (length < MinBlockLength || length % 4 != 0)
        {
            throw new PcapFormatException(Name, _offset,
                $"block type 0x{type:x8} has total length {length} (must be a multiple of 4, at least {MinBlockLength}): the file is corrupt");
        }

        if (_stream.Length - _stream.Position < length - 8L)
        {
            TruncatedTail = true;
            return false;
        }

        _offset += 8;
        return true;
    }

    private void ReadSectionHeaderBody(long start, uint length)
    {
        const int fixedBody = 16; // byte-order magic, major, minor, section length
        if (length < MinBlockLength + fixedBody || length > MaxHeaderBlockLength)
        {
            throw new PcapFormatException(Name, start,
                $"Section Header Block of {length} bytes (must be {MinBlockLength + fixedBody} to {MaxHeaderBlockLength}): the file is corrupt");
        }

        Span<byte> body = _scratch.AsSpan(0, fixedBody);
        ReadExactly(body);
        ushort major = ReadUInt16(body[4..]);
        ushort minor = ReadUInt16(body[6..]);
        if (major != 1)
        {
            throw new PcapFormatException(Name, start, $"pcapng version {major}.{minor} is not supported (only 1.x): the file is corrupt");
        }

        Skip(length - MinBlockLength - fixedBody); // options: nothing we need
        _interfaces.Clear();
        Sections++;
    }

    private void ReadInterfaceBody(long start, uint length)
    {
        const int fixedBody = 8; // link type, reserved, snap length
        if (length < MinBlockLength + fixedBody || length > MaxHeaderBlockLength)
        {
            throw new PcapFormatException(Name, start,
                $"Interface Description Block of {length} bytes (must be {MinBlockLength + fixedBody} to {MaxHeaderBlockLength}): the file is corrupt");
        }

        if (Sections == 0)
        {
            throw new PcapFormatException(Name, start, "interface block before any section header: the file is corrupt");
        }

        if (_interfaces.Count >= MaxInterfaces)
        {
            throw new PcapFormatException(Name, start, $"more than {MaxInterfaces} interfaces in one section: the file is corrupt");
        }

        byte[] body = new byte[length - MinBlockLength]; // at most 64 KiB: checked above
        ReadExactly(body);
        int linkType = ReadUInt16(body);
        uint snap = ReadUInt32(body.AsSpan(4));
        string? name = null;
        ulong unitsPerSecond = 1_000_000;
        long offsetSeconds = 0;
        ReadOnlySpan<byte> options = body.AsSpan(fixedBody);
        int at = 0;
        while (at + 4 <= options.Length)
        {
            ushort code = ReadUInt16(options[at..]);
            ushort valueLength = ReadUInt16(options[(at + 2)..]);
            if (code == OptEndOfOpt)
            {
                break;
            }

            if (at + 4 + valueLength > options.Length)
            {
                throw new PcapFormatException(Name, start,
                    $"interface option {code} of {valueLength} bytes runs past the end of its {length}-byte block: the file is corrupt");
            }

            ReadOnlySpan<byte> value = options.Slice(at + 4, valueLength);
            switch (code)
            {
                case IfName:
                    name = Encoding.UTF8.GetString(value);
                    break;
                case IfTsresol:
                    unitsPerSecond = value.Length == 1 ? UnitsPerSecond(start, value[0]) : throw OptionLength(start, "if_tsresol", value.Length, 1);
                    break;
                case IfTsoffset:
                    offsetSeconds = value.Length == 8
                        ? (_bigEndian ? BinaryPrimitives.ReadInt64BigEndian(value) : BinaryPrimitives.ReadInt64LittleEndian(value))
                        : throw OptionLength(start, "if_tsoffset", value.Length, 8);
                    break;
                default:
                    break;
            }

            at += 4 + Pad4(valueLength);
        }

        _interfaces.Add(new PcapNgInterface(linkType, (int)Math.Min(snap, int.MaxValue), name, unitsPerSecond, offsetSeconds));
    }

    private bool ReadPacketBody(long start, uint type, long body, ref byte[] buffer, out long timestamp, out int interfaceId, out int captured, out int original)
    {
        const int fixedBody = 20; // interface, timestamp high, low, captured, original (obsolete: 16-bit interface + drops)
        timestamp = 0;
        interfaceId = captured = original = 0;
        string kind = type == EnhancedPacketBlockType ? "Enhanced Packet Block" : "Packet Block";
        if (body < fixedBody)
        {
            throw new PcapFormatException(Name, start, $"{kind} of {body + MinBlockLength} bytes (at least {MinBlockLength + fixedBody}): the file is corrupt");
        }

        Span<byte> head = _scratch.AsSpan(0, fixedBody);
        ReadExactly(head);
        uint id = type == EnhancedPacketBlockType ? ReadUInt32(head) : ReadUInt16(head);
        ulong units = ((ulong)ReadUInt32(head[4..]) << 32) | ReadUInt32(head[8..]);
        uint capturedLength = ReadUInt32(head[12..]);
        uint originalLength = ReadUInt32(head[16..]);
        if (id >= (uint)_interfaces.Count)
        {
            throw new PcapFormatException(Name, start,
                $"{kind} for interface {id}, but the section declares {_interfaces.Count} interface(s): the file is corrupt");
        }

        if (capturedLength > body - fixedBody || capturedLength > PcapFormat.MaxRecordCaptureLength)
        {
            throw new PcapFormatException(Name, start,
                $"{kind} claims {capturedLength} captured bytes in a block with room for {body - fixedBody} (at most {PcapFormat.MaxRecordCaptureLength}): the file is corrupt");
        }

        PcapNgInterface iface = _interfaces[(int)id];
        timestamp = ToNanoseconds(start, units, iface);
        ReadData(ref buffer, (int)capturedLength);
        Skip(body - fixedBody - capturedLength); // padding and options
        interfaceId = (int)id;
        captured = (int)capturedLength;
        original = (int)Math.Min(originalLength, int.MaxValue);
        _lastTimestamp = timestamp;
        return true;
    }

    private bool ReadSimplePacketBody(long start, long body, ref byte[] buffer, out int captured, out int original)
    {
        captured = original = 0;
        if (body < 4)
        {
            throw new PcapFormatException(Name, start, $"Simple Packet Block of {body + MinBlockLength} bytes (at least 16): the file is corrupt");
        }

        if (_interfaces.Count == 0)
        {
            throw new PcapFormatException(Name, start, "Simple Packet Block, but the section declares no interface: the file is corrupt");
        }

        Span<byte> head = _scratch.AsSpan(0, 4);
        ReadExactly(head);
        uint originalLength = ReadUInt32(head);
        long room = body - 4;
        int snap = _interfaces[0].SnapLength;
        long capturedLength = Math.Min(originalLength, room);
        if (snap > 0)
        {
            capturedLength = Math.Min(capturedLength, snap);
        }

        if (capturedLength > PcapFormat.MaxRecordCaptureLength)
        {
            throw new PcapFormatException(Name, start,
                $"Simple Packet Block of {capturedLength} captured bytes (at most {PcapFormat.MaxRecordCaptureLength}): the file is corrupt");
        }

        ReadData(ref buffer, (int)capturedLength);
        Skip(room - capturedLength);
        captured = (int)capturedLength;
        original = (int)Math.Min(originalLength, int.MaxValue);
        return true;
    }

    private void ReadTrailer(long start, uint length)
    {
        Span<byte> trailer = _scratch.AsSpan(0, 4);
        ReadExactly(trailer);
        uint copy = ReadUInt32(trailer);
        if (copy != length)
        {
            throw new PcapFormatException(Name, start,
                $"block total length {length} at the start but {copy} at the end: the file is corrupt");
        }

        _offset = start + length;
    }

    private long ToNanoseconds(long start, ulong units, PcapNgInterface iface)
    {
        UInt128 nanoseconds = (UInt128)units * 1_000_000_000 / iface.UnitsPerSecond;
        Int128 total = (Int128)nanoseconds + ((Int128)iface.OffsetSeconds * 1_000_000_000);
        if (total < 0 || total > long.MaxValue)
        {
            throw new PcapFormatException(Name, start,
                $"timestamp {units} (units of 1/{iface.UnitsPerSecond} s, offset {iface.OffsetSeconds} s) is outside 1970 to 2262: the file is corrupt");
        }

        return (long)total;
    }

    private ulong UnitsPerSecond(long start, byte resolution)
    {
        int exponent = resolution & 0x7f;
        if ((resolution & 0x80) != 0)
        {
            return exponent <= 63
                ? 1UL << exponent
                : throw new PcapFormatException(Name, start, $"if_tsresol 2^-{exponent} is finer than 2^-63: the file is corrupt");
        }

        if (exponent > 19)
        {
            throw new PcapFormatException(Name, start, $"if_tsresol 10^-{exponent} is finer than 10^-19: the file is corrupt");
        }

        ulong units = 1;
        for (int i = 0; i < exponent; i++)
        {
            units *= 10;
        }

        return units;
    }

    private PcapFormatException OptionLength(long start, string option, int length, int expected) =>
        new(Name, start, $"{option} option of {length} bytes (must be {expected}): the file is corrupt");

    /// <summary>Reads a packet's bytes; the block's length was checked against the file, so they are there.</summary>
    private void ReadData(ref byte[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = new byte[Math.Max(length, Math.Min(buffer.Length * 2, PcapFormat.MaxRecordCaptureLength))];
        }

        ReadExactly(buffer.AsSpan(0, length));
    }

    private void ReadExactly(Span<byte> into)
    {
        int got = ReadFully(into);
        if (got < into.Length)
        {
            // TryReadBlockStart checked the block against the file's length: only a file shrinking under us lands here.
            throw new PcapFormatException(Name, _offset, "the file ended inside a block whose length it had room for (was it truncated while being read?)");
        }
    }

    private void Skip(long bytes)
    {
        if (bytes > 0)
        {
            _stream.Seek(bytes, SeekOrigin.Current);
        }
    }

    private uint ReadUInt32(ReadOnlySpan<byte> b) =>
        _bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b);

    private ushort ReadUInt16(ReadOnlySpan<byte> b) =>
        _bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b);

    private static int Pad4(int length) => (length + 3) & ~3;

    /// <summary>Reads until <paramref name="into"/> is full or the file ends; how many bytes it got.</summary>
    private int ReadFully(Span<byte> into) => _stream.ReadAtLeast(into, into.Length, throwOnEndOfStream: false);
}
