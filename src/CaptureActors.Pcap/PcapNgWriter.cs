using System.Buffers.Binary;
using System.Text;

namespace CaptureActors.Pcap;

/// <summary>
/// Writes one pcapng section (draft-ietf-opsawg-pcapng), little-endian: a Section Header Block
/// (shb_userappl "CaptureActors", section length -1 = unknown), Interface Description Blocks added with
/// <see cref="AddInterface"/>, and Enhanced Packet Blocks.
/// Every interface is declared with <c>if_tsresol</c> = 9: timestamps are nanoseconds since the Unix epoch,
/// so nanosecond captures keep their precision and microsecond ones lose nothing.
/// Blocks are appended whole into a managed buffer and written on <see cref="Flush"/> or when the buffer is full,
/// so the file always ends at a whole block once flushed. No allocation per packet. Not thread-safe: one thread writes.
/// </summary>
public sealed class PcapNgWriter : IDisposable
{
    /// <summary>Block type of the Section Header Block.</summary>
    public const uint SectionHeaderBlockType = 0x0A0D0D0A;

    /// <summary>Block type of the Interface Description Block.</summary>
    public const uint InterfaceDescriptionBlockType = 0x00000001;

    /// <summary>Block type of the Enhanced Packet Block.</summary>
    public const uint EnhancedPacketBlockType = 0x00000006;

    /// <summary>The byte-order magic of the Section Header Block.</summary>
    public const uint ByteOrderMagic = 0x1A2B3C4D;

    /// <summary>The <c>if_tsresol</c> every interface gets: 10^-9 s.</summary>
    public const byte TimestampResolution = 9;

    /// <summary>The <c>shb_userappl</c> written in the section header.</summary>
    public const string UserApplication = "CaptureActors";

    private const ushort OptEndOfOpt = 0;
    private const ushort ShbUserAppl = 4;
    private const ushort IfName = 2;
    private const ushort IfDescription = 3;
    private const ushort IfTsresol = 9;
    private const int EpbFixedLength = 32; // type, length, interface, ts high, ts low, captured, original, trailing length

    private readonly FileStream _stream;
    private readonly byte[] _buffer;
    private readonly List<int> _snapLengths = [];
    private int _buffered;
    private long _bufferedPackets;
    private bool _failed;
    private bool _disposed;

    private PcapNgWriter(string path, FileStream stream, int bufferBytes)
    {
        Path = path;
        _stream = stream;
        _buffer = new byte[bufferBytes];
    }

    /// <summary>The file being written.</summary>
    public string Path { get; }

    /// <summary>Interfaces declared so far (the next <see cref="AddInterface"/> returns this number).</summary>
    public int Interfaces => _snapLengths.Count;

    /// <summary>Packets appended, buffered ones included.</summary>
    public long Packets { get; private set; }

    /// <summary>Packets written to the file.</summary>
    public long FlushedPackets => Packets - _bufferedPackets;

    /// <summary>Size of the file including buffered blocks not yet written.</summary>
    public long Length => FlushedLength + _buffered;

    /// <summary>Bytes written to the file.</summary>
    public long FlushedLength { get; private set; }

    /// <summary>A write failed: the file ends at its last whole block and this writer accepts nothing more.</summary>
    public bool IsFaulted => _failed;

    /// <summary>Creates (or replaces) <paramref name="path"/> and writes the Section Header Block.</summary>
    /// <param name="bufferBytes">Write buffer; at least large enough for the largest packet block.</param>
    /// <exception cref="PcapWriteException">The file cannot be created or its header written.</exception>
    public static PcapNgWriter Create(string path, int bufferBytes = 1 << 20)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PcapWriteException(path, e.Message, e);
        }

        var writer = new PcapNgWriter(path, stream, Math.Max(bufferBytes, MaxBlockLength(PcapFormat.MaxRecordCaptureLength)));
        try
        {
            writer.AppendSectionHeader();
            writer.Flush();
        }
        catch
        {
            writer.Dispose();
            throw;
        }

        return writer;
    }

    /// <summary>Appends an Interface Description Block and returns its interface id (0, 1, ...).</summary>
    /// <param name="linkType">LINKTYPE_ value, e.g. <see cref="PcapFormat.LinkTypeEthernet"/>.</param>
    /// <param name="snapLength">Largest captured length; 0 means no limit. Packet data is cut to it.</param>
    /// <param name="name"><c>if_name</c>, e.g. <c>gw1:eth0</c>.</param>
    /// <param name="description">Optional <c>if_description</c>.</param>
    /// <exception cref="PcapWriteException">A flush this needed failed.</exception>
    public int AddInterface(int linkType, int snapLength, string name, string? description = null)
    {
        ThrowIfUnusable();
        ArgumentOutOfRangeException.ThrowIfNegative(linkType);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(linkType, ushort.MaxValue);
        ArgumentOutOfRangeException.ThrowIfNegative(snapLength);
        ArgumentException.ThrowIfNullOrEmpty(name);
        byte[] nameBytes = OptionValue(name, nameof(name));
        byte[]? descriptionBytes = description is null ? null : OptionValue(description, nameof(description));

        int length = 16 + OptionLength(nameBytes.Length) + OptionLength(1) + 4 + 4;
        if (descriptionBytes is not null)
        {
            length += OptionLength(descriptionBytes.Length);
        }

        Span<byte> block = Reserve(length);
        BinaryPrimitives.WriteUInt32LittleEndian(block, InterfaceDescriptionBlockType);
        BinaryPrimitives.WriteInt32LittleEndian(block[4..], length);
        BinaryPrimitives.WriteUInt16LittleEndian(block[8..], (ushort)linkType);
        BinaryPrimitives.WriteUInt16LittleEndian(block[10..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(block[12..], (uint)snapLength);
        int at = 16;
        at += WriteOption(block[at..], IfName, nameBytes);
        if (descriptionBytes is not null)
        {
            at += WriteOption(block[at..], IfDescription, descriptionBytes);
        }

        at += WriteOption(block[at..], IfTsresol, [TimestampResolution]);
        at += WriteOption(block[at..], OptEndOfOpt, []);
        BinaryPrimitives.WriteInt32LittleEndian(block[at..], length);
        _buffered += length;
        _snapLengths.Add(snapLength);
        return _snapLengths.Count - 1;
    }

    /// <summary>
    /// Appends an Enhanced Packet Block. <paramref name="data"/> is cut to the interface's snap length;
    /// <paramref name="originalLength"/> is the frame's length on the wire (at least the captured length is written).
    /// </summary>
    /// <param name="unixNanoseconds">Nanoseconds since the Unix epoch (not negative).</param>
    /// <exception cref="PcapWriteException">A flush this write needed failed; the file ends at its last whole block.</exception>
    public void Write(int interfaceId, long unixNanoseconds, ReadOnlySpan<byte> data, int originalLength)
    {
        ThrowIfUnusable();
        if ((uint)interfaceId >= (uint)_snapLengths.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(interfaceId), interfaceId, $"{Path}: no interface {interfaceId} was added");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(unixNanoseconds);
        int snap = _snapLengths[interfaceId];
        if (snap > 0 && data.Length > snap)
        {
            data = data[..snap];
        }

        if (data.Length > PcapFormat.MaxRecordCaptureLength)
        {
            throw new ArgumentOutOfRangeException(nameof(data), data.Length, $"more than {PcapFormat.MaxRecordCaptureLength} captured bytes in one packet");
        }

        int padded = Pad4(data.Length);
        int length = EpbFixedLength + padded;
        Span<byte> block = Reserve(length);
        BinaryPrimitives.WriteUInt32LittleEndian(block, EnhancedPacketBlockType);
        BinaryPrimitives.WriteInt32LittleEndian(block[4..], length);
        BinaryPrimitives.WriteInt32LittleEndian(block[8..], interfaceId);
        BinaryPrimitives.WriteUInt32LittleEndian(block[12..], (uint)((ulong)unixNanoseconds >> 32));
        BinaryPrimitives.WriteUInt32LittleEndian(block[16..], (uint)unixNanoseconds);
        BinaryPrimitives.WriteInt32LittleEndian(block[20..], data.Length);
        BinaryPrimitives.WriteInt32LittleEndian(block[24..], Math.Max(originalLength, data.Length));
        data.CopyTo(block[28..]);
        block.Slice(28 + data.Length, padded - data.Length).Clear();
        BinaryPrimitives.WriteInt32LittleEndian(block[(28 + padded)..], length);
        _buffered += length;
        _bufferedPackets++;
        Packets++;
    }

    /// <summary>Writes the buffered blocks to the file.</summary>
    /// <exception cref="PcapWriteException">The write failed; the file was truncated to its last whole block.</exception>
    public void Flush()
    {
        ThrowIfUnusable();
        if (_buffered == 0)
        {
            return;
        }

        ReadOnlySpan<byte> buffered = _buffer.AsSpan(0, _buffered);
        try
        {
            _stream.Write(buffered);
        }
        catch (IOException e)
        {
            Fail(e, buffered);
        }

        FlushedLength += _buffered;
        _buffered = 0;
        _bufferedPackets = 0;
    }

    /// <summary>Flushes what is buffered (a failure leaves the file at its last whole block) and closes the file.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        if (!_failed && _buffered > 0)
        {
            try
            {
                Flush();
            }
            catch (PcapWriteException)
            {
                // The file is already truncated to its last whole block.
            }
        }

        _disposed = true;
        try
        {
            _stream.Dispose();
        }
        catch (IOException)
        {
            // Nothing left to write; a close error changes nothing on disk.
        }
    }

    /// <summary>Size of an Enhanced Packet Block holding <paramref name="capturedLength"/> bytes.</summary>
    public static int MaxBlockLength(int capturedLength) => EpbFixedLength + Pad4(capturedLength);

    private void AppendSectionHeader()
    {
        byte[] application = Encoding.UTF8.GetBytes(UserApplication);
        int length = 24 + OptionLength(application.Length) + 4 + 4;
        Span<byte> block = Reserve(length);
        BinaryPrimitives.WriteUInt32LittleEndian(block, SectionHeaderBlockType);
        BinaryPrimitives.WriteInt32LittleEndian(block[4..], length);
        BinaryPrimitives.WriteUInt32LittleEndian(block[8..], ByteOrderMagic);
        BinaryPrimitives.WriteUInt16LittleEndian(block[12..], 1);
        BinaryPrimitives.WriteUInt16LittleEndian(block[14..], 0);
        BinaryPrimitives.WriteInt64LittleEndian(block[16..], -1);
        int at = 24;
        at += WriteOption(block[at..], ShbUserAppl, application);
        at += WriteOption(block[at..], OptEndOfOpt, []);
        BinaryPrimitives.WriteInt32LittleEndian(block[at..], length);
        _buffered += length;
    }

    /// <summary>Room for a block of <paramref name="length"/> bytes at the end of the buffer, flushing first if needed.</summary>
    private Span<byte> Reserve(int length)
    {
        if (length > _buffer.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, $"a block of {length} bytes does not fit the {_buffer.Length}-byte buffer");
        }

        if (_buffered + length > _buffer.Length)
        {
            Flush();
        }

        return _buffer.AsSpan(_buffered, length);
    }

    private static int Pad4(int length) => (length + 3) & ~3;

    private static int OptionLength(int valueLength) => 4 + Pad4(valueLength);

    private static byte[] OptionValue(string value, string parameter)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(value);
        if (bytes.Length > ushort.MaxValue - 3)
        {
            throw new ArgumentException($"too long for a pcapng option ({bytes.Length} bytes)", parameter);
        }

        return bytes;
    }

    private static int WriteOption(Span<byte> into, ushort code, ReadOnlySpan<byte> value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(into, code);
        BinaryPrimitives.WriteUInt16LittleEndian(into[2..], (ushort)value.Length);
        value.CopyTo(into[4..]);
        int padded = Pad4(value.Length);
        into.Slice(4 + value.Length, padded - value.Length).Clear();
        return 4 + padded;
    }

    /// <summary>
    /// A write failed part-way (for example ENOSPC after some bytes went out): keep every whole block the file
    /// received, cut the rest, and make this writer unusable.
    /// </summary>
    private void Fail(IOException e, ReadOnlySpan<byte> buffered)
    {
        _failed = true;
        string message = e.Message;
        long onDisk;
        try
        {
            onDisk = RandomAccess.GetLength(_stream.SafeFileHandle);
        }
        catch (IOException)
        {
            onDisk = FlushedLength;
        }

        int accepted = (int)Math.Clamp(onDisk - FlushedLength, 0, buffered.Length);
        int keep = 0;
        long keptPackets = 0;
        while (keep + 8 <= accepted)
        {
            uint type = BinaryPrimitives.ReadUInt32LittleEndian(buffered[keep..]);
            int length = BinaryPrimitives.ReadInt32LittleEndian(buffered[(keep + 4)..]);
            if (keep + length > accepted)
            {
                break;
            }

            keep += length;
            if (type == EnhancedPacketBlockType)
            {
                keptPackets++;
            }
        }

        try
        {
            _stream.SetLength(FlushedLength + keep);
            FlushedLength += keep;
        }
        catch (IOException truncateError)
        {
            message += $" (and truncating back to {FlushedLength + keep} bytes failed: {truncateError.Message})";
            keptPackets = 0;
        }

        Packets = Packets - _bufferedPackets + keptPackets;
        _bufferedPackets = 0;
        _buffered = 0;
        throw new PcapWriteException(Path, message, e);
    }

    private void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_failed)
        {
            throw new InvalidOperationException($"{Path}: an earlier write failed; this writer can no longer be used.");
        }
    }
}
