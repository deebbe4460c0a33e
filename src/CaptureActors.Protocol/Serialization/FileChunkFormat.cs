using System.Buffers.Binary;
using System.Runtime.Serialization;
using System.Text;

namespace CaptureActors.Protocol.Serialization;

/// <summary>
/// The binary layout of <see cref="FileChunk"/>: JSON would carry the 64 KiB payload as base64 (a third larger).
/// All integers little-endian:
/// <code>
/// offset  size  field
///   0      1    format version (1)
///   1      1    flags: bit 0 = EndOfFile, other bits 0
///   2      8    Offset (int64, ≥ 0)
///  10      8    FileSize (int64, ≥ 0)
///  18      4    name length n in bytes (int32, 0..MaxNameBytes)
///  22      n    Name, UTF-8
///  22+n    4    data length d (int32, ≥ 0)
///  26+n    d    Data
/// </code>
/// The message must fill the buffer exactly; anything else is rejected.
/// </summary>
internal static class FileChunkFormat
{
    private const byte Version = 1;
    private const byte EndOfFileFlag = 1;
    private const int FixedBytes = 26;

    /// <summary>Longer than any file name a node produces (Linux allows 255 bytes).</summary>
    public const int MaxNameBytes = 1024;

    public static byte[] Write(FileChunk chunk)
    {
        var nameBytes = Encoding.UTF8.GetByteCount(chunk.Name);
        if (nameBytes > MaxNameBytes)
        {
            throw new SerializationException($"FileChunk name is {nameBytes} bytes long: at most {MaxNameBytes} are allowed");
        }

        var buffer = new byte[FixedBytes + nameBytes + chunk.Data.Length];
        var span = buffer.AsSpan();
        span[0] = Version;
        span[1] = chunk.EndOfFile ? EndOfFileFlag : (byte)0;
        BinaryPrimitives.WriteInt64LittleEndian(span[2..], chunk.Offset);
        BinaryPrimitives.WriteInt64LittleEndian(span[10..], chunk.FileSize);
        BinaryPrimitives.WriteInt32LittleEndian(span[18..], nameBytes);
        Encoding.UTF8.GetBytes(chunk.Name, span.Slice(22, nameBytes));
        BinaryPrimitives.WriteInt32LittleEndian(span[(22 + nameBytes)..], chunk.Data.Length);
        chunk.Data.CopyTo(span[(FixedBytes + nameBytes)..]);
        return buffer;
    }

    public static FileChunk Read(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < FixedBytes)
        {
            throw Invalid($"{bytes.Length} bytes is shorter than the {FixedBytes}-byte minimum");
        }

        if (bytes[0] != Version)
        {
            throw Invalid($"format version {bytes[0]} is unknown (expected {Version})");
        }

        if ((bytes[1] & ~EndOfFileFlag) != 0)
        {
            throw Invalid($"flags 0x{bytes[1]:x2} has unknown bits");
        }

        var offset = BinaryPrimitives.ReadInt64LittleEndian(bytes[2..]);
        var fileSize = BinaryPrimitives.ReadInt64LittleEndian(bytes[10..]);
        var nameBytes = BinaryPrimitives.ReadInt32LittleEndian(bytes[18..]);
        if (offset < 0 || fileSize < 0)
        {
            throw Invalid($"offset {offset} or file size {fileSize} is negative");
        }

        if (nameBytes is < 0 or > MaxNameBytes || nameBytes > bytes.Length - FixedBytes)
        {
            throw Invalid($"name length {nameBytes} does not fit");
        }

        string name;
        try
        {
            name = StrictUtf8.GetString(bytes.Slice(22, nameBytes));
        }
        catch (DecoderFallbackException e)
        {
            throw Invalid($"name is not valid UTF-8 ({e.Message})");
        }

        var dataLength = BinaryPrimitives.ReadInt32LittleEndian(bytes[(22 + nameBytes)..]);
        if (dataLength != bytes.Length - FixedBytes - nameBytes)
        {
            throw Invalid($"data length {dataLength} does not match the {bytes.Length - FixedBytes - nameBytes} bytes that follow");
        }

        var data = bytes[(FixedBytes + nameBytes)..].ToArray();
        return new FileChunk(name, offset, data, fileSize, (bytes[1] & EndOfFileFlag) != 0);
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static SerializationException Invalid(string why) => new($"FileChunk payload is invalid: {why}");
}
