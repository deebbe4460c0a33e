using System.Buffers.Binary;

namespace CaptureActors.Pcap.Tests.Corruption;

/// <summary>A length or header field of a valid capture file: where it is and how wide (2 or 4 bytes).</summary>
internal sealed record LayoutField(int Offset, int Width, string Name);

/// <summary>
/// Where the records (pcap) or blocks (pcapng) of a VALID seed file are, parsed here independently of the readers
/// under test: the mutator aims at their length fields, and a cut file's expected packet count comes from it.
/// </summary>
internal sealed class CaptureFileLayout
{
    private CaptureFileLayout(bool pcapNg, bool bigEndian, int headerLength, List<(int Start, int End, bool Packet)> units, List<LayoutField> lengthFields, List<LayoutField> headerFields)
    {
        PcapNg = pcapNg;
        BigEndian = bigEndian;
        HeaderLength = headerLength;
        Units = units;
        LengthFields = lengthFields;
        HeaderFields = headerFields;
    }

    public bool PcapNg { get; }

    public bool BigEndian { get; }

    /// <summary>Bytes a file must have before a reader accepts it at all (pcap: 24; pcapng: the first section header).</summary>
    public int HeaderLength { get; }

    /// <summary>Records or blocks after the header, in file order; <c>Packet</c> for those that carry one.</summary>
    public IReadOnlyList<(int Start, int End, bool Packet)> Units { get; }

    /// <summary>Captured/original lengths, block total lengths and their trailing copies, option lengths.</summary>
    public IReadOnlyList<LayoutField> LengthFields { get; }

    /// <summary>Magic, versions, snap lengths, link types, byte-order magic, timestamp resolution.</summary>
    public IReadOnlyList<LayoutField> HeaderFields { get; }

    public int Packets => Units.Count(u => u.Packet);

    /// <summary>What a tolerant reader must make of the file cut to <paramref name="length"/> bytes: whole packets, and whether the cut fell inside a unit.</summary>
    public (int Packets, bool Truncated) AfterCut(int length) =>
        (Units.Count(u => u.Packet && u.End <= length), Units.Any(u => u.Start < length && u.End > length));

    public static CaptureFileLayout Parse(byte[] file) =>
        BinaryPrimitives.ReadUInt32LittleEndian(file) == PcapNgWriter.SectionHeaderBlockType ? ParsePcapNg(file) : ParsePcap(file);

    private static CaptureFileLayout ParsePcap(byte[] file)
    {
        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(file);
        bool be = magic is 0xd4c3b2a1 or 0x4d3cb2a1;
        List<LayoutField> header = [new(0, 4, "magic"), new(4, 2, "version major"), new(6, 2, "version minor"), new(16, 4, "snap length"), new(20, 4, "link type")];
        List<LayoutField> lengths = [];
        List<(int, int, bool)> units = [];
        int at = 24;
        while (at < file.Length)
        {
            int captured = (int)U32(file, at + 8, be);
            lengths.Add(new(at + 8, 4, "captured length"));
            lengths.Add(new(at + 12, 4, "original length"));
            lengths.Add(new(at + 4, 4, "fraction"));
            units.Add((at, at + 16 + captured, true));
            at += 16 + captured;
        }

        return new CaptureFileLayout(false, be, 24, units, lengths, header);
    }

    private static CaptureFileLayout ParsePcapNg(byte[] file)
    {
        List<LayoutField> header = [];
        List<LayoutField> lengths = [];
        List<(int, int, bool)> units = [];
        bool be = false;
        int headerLength = 0;
        int at = 0;
        while (at < file.Length)
        {
            uint type = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at));
            if (type == PcapNgWriter.SectionHeaderBlockType)
            {
                be = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at + 8)) == 0x4D3C2B1A;
                header.Add(new(at + 8, 4, "byte-order magic"));
                header.Add(new(at + 12, 2, "section version major"));
                header.Add(new(at + 16, 4, "section length"));
            }
            else
            {
                type = U32(file, at, be);
            }

            int length = (int)U32(file, at + 4, be);
            lengths.Add(new(at + 4, 4, $"block 0x{type:x} total length"));
            lengths.Add(new(at + length - 4, 4, $"block 0x{type:x} trailing length"));
            header.Add(new(at, 4, "block type"));
            switch (type)
            {
                case PcapNgWriter.InterfaceDescriptionBlockType:
                    header.Add(new(at + 8, 2, "link type"));
                    header.Add(new(at + 12, 4, "interface snap length"));
                    for (int o = at + 16; o + 4 <= at + length - 4;)
                    {
                        ushort code = U16(file, o, be);
                        ushort valueLength = U16(file, o + 2, be);
                        lengths.Add(new(o + 2, 2, $"option {code} length"));
                        if (code == 9)
                        {
                            header.Add(new(o + 4, 1, "if_tsresol"));
                        }

                        if (code == 0)
                        {
                            break;
                        }

                        o += 4 + ((valueLength + 3) & ~3);
                    }

                    break;
                case PcapNgWriter.EnhancedPacketBlockType:
                    lengths.Add(new(at + 20, 4, "EPB captured length"));
                    lengths.Add(new(at + 24, 4, "EPB original length"));
                    header.Add(new(at + 8, 4, "EPB interface id"));
                    header.Add(new(at + 12, 4, "EPB timestamp high"));
                    break;
                case 2:
                    lengths.Add(new(at + 20, 4, "PB captured length"));
                    break;
                case 3:
                    lengths.Add(new(at + 8, 4, "SPB original length"));
                    break;
                default:
                    break;
            }

            if (at == 0)
            {
                headerLength = length;
            }
            else
            {
                units.Add((at, at + length, type is PcapNgWriter.EnhancedPacketBlockType or 2 or 3));
            }

            at += length;
        }

        return new CaptureFileLayout(true, be, headerLength, units, lengths, header);
    }

    private static uint U32(byte[] b, int at, bool be) =>
        be ? BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(at)) : BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(at));

    private static ushort U16(byte[] b, int at, bool be) =>
        be ? BinaryPrimitives.ReadUInt16BigEndian(b.AsSpan(at)) : BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(at));
}
