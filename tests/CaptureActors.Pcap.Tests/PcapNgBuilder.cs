using System.Buffers.Binary;
using System.Text;

namespace CaptureActors.Pcap.Tests;

/// <summary>Builds pcapng files block by block, in either byte order, for reader tests (including blocks our writer never writes).</summary>
internal sealed class PcapNgBuilder(bool bigEndian = false)
{
    private readonly MemoryStream _bytes = new();

    public byte[] ToArray() => _bytes.ToArray();

    public PcapNgBuilder SectionHeader()
    {
        byte[] body = new byte[16];
        U32(body, 0, 0x1A2B3C4D);
        U16(body, 4, 1);
        U16(body, 6, 0);
        BinaryPrimitives.WriteInt64LittleEndian(body.AsSpan(8), -1);
        return Block(0x0A0D0D0A, body);
    }

    /// <param name="tsresol">if_tsresol byte, or null for the default (microseconds).</param>
    public PcapNgBuilder Interface(int linkType, uint snapLength, string? name = null, byte? tsresol = null, long? tsoffset = null)
    {
        var body = new MemoryStream();
        byte[] head = new byte[8];
        U16(head, 0, (ushort)linkType);
        U32(head, 4, snapLength);
        body.Write(head);
        if (name is not null)
        {
            Option(body, 2, Encoding.UTF8.GetBytes(name));
        }

        if (tsresol is { } r)
        {
            Option(body, 9, [r]);
        }

        if (tsoffset is { } o)
        {
            byte[] v = new byte[8];
            if (bigEndian)
            {
                BinaryPrimitives.WriteInt64BigEndian(v, o);
            }
            else
            {
                BinaryPrimitives.WriteInt64LittleEndian(v, o);
            }

            Option(body, 14, v);
        }

        Option(body, 0, []);
        return Block(1, body.ToArray());
    }

    public PcapNgBuilder EnhancedPacket(uint interfaceId, ulong timestamp, byte[] data, uint? originalLength = null)
    {
        byte[] body = new byte[20 + Pad4(data.Length)];
        U32(body, 0, interfaceId);
        U32(body, 4, (uint)(timestamp >> 32));
        U32(body, 8, (uint)timestamp);
        U32(body, 12, (uint)data.Length);
        U32(body, 16, originalLength ?? (uint)data.Length);
        data.CopyTo(body, 20);
        return Block(6, body);
    }

    public PcapNgBuilder ObsoletePacket(ushort interfaceId, ulong timestamp, byte[] data)
    {
        byte[] body = new byte[20 + Pad4(data.Length)];
        U16(body, 0, interfaceId);
        U32(body, 4, (uint)(timestamp >> 32));
        U32(body, 8, (uint)timestamp);
        U32(body, 12, (uint)data.Length);
        U32(body, 16, (uint)data.Length);
        data.CopyTo(body, 20);
        return Block(2, body);
    }

    public PcapNgBuilder SimplePacket(byte[] data)
    {
        byte[] body = new byte[4 + Pad4(data.Length)];
        U32(body, 0, (uint)data.Length);
        data.CopyTo(body, 4);
        return Block(3, body);
    }

    /// <summary>A block of a type the reader does not know (e.g. a Name Resolution or custom block).</summary>
    public PcapNgBuilder Unknown(uint type, int bodyBytes) => Block(type, new byte[Pad4(bodyBytes)]);

    public PcapNgBuilder Block(uint type, byte[] body)
    {
        byte[] block = new byte[12 + body.Length];
        U32(block, 0, type);
        U32(block, 4, (uint)block.Length);
        body.CopyTo(block, 8);
        U32(block, block.Length - 4, (uint)block.Length);
        _bytes.Write(block);
        return this;
    }

    private void Option(MemoryStream into, ushort code, byte[] value)
    {
        byte[] o = new byte[4 + Pad4(value.Length)];
        U16(o, 0, code);
        U16(o, 2, (ushort)value.Length);
        value.CopyTo(o, 4);
        into.Write(o);
    }

    private void U32(byte[] b, int at, uint v)
    {
        if (bigEndian)
        {
            BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(at), v);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(at), v);
        }
    }

    private void U16(byte[] b, int at, ushort v)
    {
        if (bigEndian)
        {
            BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(at), v);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(at), v);
        }
    }

    private static int Pad4(int length) => (length + 3) & ~3;
}
