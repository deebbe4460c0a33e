using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace CaptureActors.Pcap;

/// <summary>
/// Writes a classic pcap file (magic a1b2c3d4, microseconds, version 2.4), little-endian.
/// Records are appended whole into a managed buffer and written on <see cref="Flush"/> or when the buffer is full,
/// so a reader (tcpdump) sees the file up to its last flushed record. No allocation per packet.
/// Not thread-safe: one thread writes.
/// </summary>
public sealed class PcapFileWriter : IDisposable
{
    private readonly FileStream _stream;
    private readonly byte[] _buffer;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private int _buffered;
    private long _firstTicks = -1;
    private long _lastTicks = -1;
    private long _lastFlushedTicks = -1;
    private bool _failed;
    private bool _disposed;
    private string? _finalSha256;

    private PcapFileWriter(string path, FileStream stream, int linkType, int snapLength, int bufferBytes)
    {
        Path = path;
        _stream = stream;
        LinkType = linkType;
        SnapLength = snapLength;
        // Pooled: a ring capture rotates every few seconds, and a fresh 1 MiB buffer per segment lands on the large
        // object heap, which only a gen2 collection frees: the soak benchmark saw RSS climb 1 MiB per rotation.
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(bufferBytes, 4096));
    }

    public string Path { get; }

    public int LinkType { get; }

    public int SnapLength { get; }

    /// <summary>Size of the file including buffered records not yet written.</summary>
    public long Length => FlushedLength + _buffered;

    /// <summary>Bytes written to the file (visible to readers).</summary>
    public long FlushedLength { get; private set; }

    /// <summary>A write failed: the file ends at its last whole record and this writer accepts nothing more.</summary>
    public bool IsFaulted => _failed;

    /// <summary>Records appended, buffered ones included.</summary>
    public long Packets { get; private set; }

    /// <summary>Records written to the file.</summary>
    public long FlushedPackets { get; private set; }

    private long BufferedPackets => Packets - FlushedPackets;

    public DateTimeOffset? FirstPacketAt => _firstTicks < 0 ? null : new DateTimeOffset(_firstTicks, TimeSpan.Zero);

    public DateTimeOffset? LastPacketAt => _lastTicks < 0 ? null : new DateTimeOffset(_lastTicks, TimeSpan.Zero);

    /// <summary>SHA-256 (lower-case hex) of the bytes written to the file so far (call after <see cref="Flush"/> for the whole file).</summary>
    public string Sha256Hex => _finalSha256 ?? Convert.ToHexStringLower(_hash.GetCurrentHash());

    /// <summary>Size a record for a frame of <paramref name="capturedLength"/> bytes takes in this file.</summary>
    public int RecordLength(int capturedLength) => PcapFormat.RecordHeaderLength + Math.Min(capturedLength, SnapLength);

    /// <summary>Creates (or replaces) <paramref name="path"/> and writes the file header to it.</summary>
    /// <param name="createNew">
    /// Fail when the name exists (<c>O_CREAT|O_EXCL</c>) instead of replacing it: a capture's segment is always new, and a
    /// symbolic link planted under its name is then refused, never written through.
    /// </param>
    /// <exception cref="PcapWriteException">The file cannot be created or its header written.</exception>
    public static PcapFileWriter Create(string path, int linkType, int snapLength, int bufferBytes = 1 << 20, bool createNew = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(snapLength, 1);
        FileStream stream;
        try
        {
            stream = new FileStream(path, createNew ? FileMode.CreateNew : FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PcapWriteException(path, e.Message, e);
        }

        var writer = new PcapFileWriter(path, stream, linkType, snapLength, bufferBytes);
        Span<byte> header = writer._buffer.AsSpan(0, PcapFormat.FileHeaderLength);
        BinaryPrimitives.WriteUInt32LittleEndian(header, PcapFormat.MicrosecondMagic);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 4);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], 0);
        BinaryPrimitives.WriteInt32LittleEndian(header[16..], snapLength);
        BinaryPrimitives.WriteInt32LittleEndian(header[20..], linkType);
        writer._buffered = PcapFormat.FileHeaderLength;
        try
        {
            writer.Flush();
        }
        catch
        {
            writer.Dispose();
            throw;
        }

        return writer;
    }

    /// <summary>
    /// Appends one record. <paramref name="data"/> is cut to the snap length; <paramref name="originalLength"/> is the frame's length on the wire.
    /// </summary>
    /// <exception cref="PcapWriteException">A flush this write needed failed; the file ends at its last whole record.</exception>
    public void Write(long seconds, int microseconds, ReadOnlySpan<byte> data, int originalLength)
    {
        ThrowIfUnusable();
        if (data.Length > SnapLength)
        {
            data = data[..SnapLength];
        }

        int recordLength = PcapFormat.RecordHeaderLength + data.Length;
        if (_buffered + recordLength > _buffer.Length)
        {
            Flush();
        }

        if (recordLength > _buffer.Length)
        {
            // Larger than the whole buffer (huge snap length, small buffer): header from the buffer, then the data directly.
            WriteRecordHeader(_buffer, seconds, microseconds, data.Length, originalLength);
            _buffered = PcapFormat.RecordHeaderLength;
            WriteOut(data, 1);
            NoteTimestamp(seconds, microseconds);
            return;
        }

        Span<byte> record = _buffer.AsSpan(_buffered, recordLength);
        WriteRecordHeader(record, seconds, microseconds, data.Length, originalLength);
        data.CopyTo(record[PcapFormat.RecordHeaderLength..]);
        _buffered += recordLength;
        Packets++;
        NoteTimestamp(seconds, microseconds);
    }

    /// <summary>Writes the buffered records to the file.</summary>
    /// <exception cref="PcapWriteException">The write failed; the file was truncated to its last whole record.</exception>
    public void Flush()
    {
        ThrowIfUnusable();
        if (_buffered > 0)
        {
            WriteOut(ReadOnlySpan<byte>.Empty, 0);
        }
    }

    /// <summary>Flushes what is buffered (ignoring failures, which leave the file at its last whole record) and closes the file.</summary>
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
                // The file is already truncated to its last whole record.
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

        _finalSha256 = Convert.ToHexStringLower(_hash.GetCurrentHash());
        _hash.Dispose();
        ArrayPool<byte>.Shared.Return(_buffer);
    }

    /// <summary>Writes the buffer and then <paramref name="tail"/> (the data of one oversized record, or empty).</summary>
    private void WriteOut(ReadOnlySpan<byte> tail, int tailPackets)
    {
        ReadOnlySpan<byte> buffered = _buffer.AsSpan(0, _buffered);
        try
        {
            _stream.Write(buffered);
            _stream.Write(tail);
        }
        catch (IOException e)
        {
            Fail(e, buffered);
        }

        _hash.AppendData(buffered);
        _hash.AppendData(tail);
        FlushedLength += buffered.Length + tail.Length;
        Packets += tailPackets;
        FlushedPackets += BufferedPackets;
        _lastFlushedTicks = _lastTicks;
        _buffered = 0;
    }

    /// <summary>
    /// A write failed part-way (for example ENOSPC after some bytes went out): keep every whole record the file
    /// received, cut the rest (SetLength), and make this writer unusable.
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
        long lastTicks = _lastFlushedTicks;
        long firstTicks = FlushedPackets > 0 ? _firstTicks : -1;
        if (FlushedLength == 0)
        {
            keep = accepted >= PcapFormat.FileHeaderLength ? PcapFormat.FileHeaderLength : 0;
        }

        while (keep > 0 || FlushedLength > 0)
        {
            if (keep + PcapFormat.RecordHeaderLength > accepted)
            {
                break;
            }

            ReadOnlySpan<byte> header = buffered.Slice(keep, PcapFormat.RecordHeaderLength);
            int capturedLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
            if ((long)keep + PcapFormat.RecordHeaderLength + capturedLength > accepted)
            {
                break;
            }

            lastTicks = DateTimeOffset.UnixEpoch.Ticks
                + (BinaryPrimitives.ReadUInt32LittleEndian(header) * TimeSpan.TicksPerSecond)
                + (BinaryPrimitives.ReadUInt32LittleEndian(header[4..]) * TimeSpan.TicksPerMicrosecond);
            if (firstTicks < 0)
            {
                firstTicks = lastTicks;
            }

            keep += PcapFormat.RecordHeaderLength + capturedLength;
            keptPackets++;
        }

        try
        {
            _stream.SetLength(FlushedLength + keep);
            _hash.AppendData(buffered[..keep]);
            FlushedLength += keep;
            FlushedPackets += keptPackets;
        }
        catch (IOException truncateError)
        {
            message += $" (and truncating back to {FlushedLength + keep} bytes failed: {truncateError.Message})";
        }

        Packets = FlushedPackets;
        _lastTicks = _lastFlushedTicks = FlushedPackets > 0 ? lastTicks : -1;
        _firstTicks = FlushedPackets > 0 ? firstTicks : -1;
        _buffered = 0;
        throw new PcapWriteException(Path, message, e);
    }

    private void NoteTimestamp(long seconds, int microseconds)
    {
        long ticks = DateTimeOffset.UnixEpoch.Ticks + (seconds * TimeSpan.TicksPerSecond) + (microseconds * TimeSpan.TicksPerMicrosecond);
        if (_firstTicks < 0)
        {
            _firstTicks = ticks;
        }

        _lastTicks = ticks;
    }

    private static void WriteRecordHeader(Span<byte> record, long seconds, int microseconds, int capturedLength, int originalLength)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)seconds);
        BinaryPrimitives.WriteUInt32LittleEndian(record[4..], (uint)microseconds);
        BinaryPrimitives.WriteUInt32LittleEndian(record[8..], (uint)capturedLength);
        BinaryPrimitives.WriteUInt32LittleEndian(record[12..], (uint)Math.Max(originalLength, capturedLength));
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
