using System.Buffers.Binary;

namespace CaptureActors.Pcap.Tests.Corruption;

/// <summary>One damaged file: its bytes, what was done to it, and, for a plain cut of a valid file, what a reader must find.</summary>
/// <param name="ExpectedAfterCut">Set when the only damage is a cut at or after the header: packets and truncation a reader must report.</param>
internal sealed record Mutant(byte[] Bytes, string Description, (int Packets, bool Truncated)? ExpectedAfterCut);

/// <summary>
/// Damages capture files the way <c>editcap -E</c> and file fuzzers do, from a seeded <see cref="Random"/>: random
/// byte errors at a rate, cuts, length fields set to 0 / tiny / huge / negative-as-signed / off by one or four,
/// header fields (magic, versions, snap length, link type, byte order, timestamp resolution), bytes inserted or
/// removed in the middle (everything after shifts), garbage appended, and combinations.
/// </summary>
internal sealed class CaptureFileMutator(Random random)
{
    private static readonly uint[] SpecialValues =
    [
        0, 1, 2, 3, 4, 8, 11, 12, 13, 15, 16, 20, 28, 31, 32, 65535, 65536, 262144, 262145, 0x7fff_ffff, 0x8000_0000, 0xffff_ffff, 0xffff_fff0, 0xffff_fffc,
    ];

    public Mutant Mutate(byte[] seed, CaptureFileLayout layout)
    {
        byte[] file = (byte[])seed.Clone();
        switch (random.Next(9))
        {
            case 0:
                return ByteErrors(file);
            case 1:
                int cut = random.Next(file.Length);
                return new Mutant(file[..cut], $"cut to {cut} of {file.Length} bytes", cut >= layout.HeaderLength ? layout.AfterCut(cut) : null);
            case 2:
            case 3:
                return new Mutant(file, SetField(file, Pick(layout.LengthFields), layout.BigEndian), null);
            case 4:
                return new Mutant(file, SetField(file, Pick(layout.HeaderFields), layout.BigEndian), null);
            case 5:
                return Splice(file);
            case 6:
                byte[] garbage = new byte[random.Next(1, 200)];
                random.NextBytes(garbage);
                return new Mutant([.. file, .. garbage], $"{garbage.Length} random bytes appended", null);
            case 7:
            {
                string what = SetField(file, Pick(layout.LengthFields), layout.BigEndian);
                int at = random.Next(file.Length);
                return new Mutant(file[..at], $"{what}, then cut to {at} bytes", null);
            }

            default:
            {
                string first = SetField(file, Pick(layout.LengthFields), layout.BigEndian);
                Mutant errors = ByteErrors(file);
                return errors with { Description = $"{first}, and {errors.Description}" };
            }
        }
    }

    /// <summary>editcap -E: each byte replaced by a random one with probability p.</summary>
    private Mutant ByteErrors(byte[] file)
    {
        double[] rates = [0.0005, 0.002, 0.01, 0.05];
        double rate = rates[random.Next(rates.Length)];
        int changed = 0;
        for (int i = 0; i < file.Length; i++)
        {
            if (random.NextDouble() < rate)
            {
                file[i] = (byte)random.Next(256);
                changed++;
            }
        }

        if (changed == 0)
        {
            int i = random.Next(file.Length);
            file[i] ^= (byte)random.Next(1, 256);
            changed = 1;
        }

        return new Mutant(file, $"byte errors at rate {rate} ({changed} bytes)", null);
    }

    private string SetField(byte[] file, LayoutField field, bool bigEndian)
    {
        Span<byte> at = file.AsSpan(field.Offset, field.Width);
        uint old = field.Width switch
        {
            4 => bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(at) : BinaryPrimitives.ReadUInt32LittleEndian(at),
            2 => bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(at) : BinaryPrimitives.ReadUInt16LittleEndian(at),
            _ => at[0],
        };
        uint value = random.Next(4) switch
        {
            0 => old + (uint)random.Next(-4, 5),
            1 => (uint)random.Next() ^ (uint)random.Next() << 16,
            _ => SpecialValues[random.Next(SpecialValues.Length)],
        };
        switch (field.Width)
        {
            case 4 when bigEndian: BinaryPrimitives.WriteUInt32BigEndian(at, value); break;
            case 4: BinaryPrimitives.WriteUInt32LittleEndian(at, value); break;
            case 2 when bigEndian: BinaryPrimitives.WriteUInt16BigEndian(at, (ushort)value); break;
            case 2: BinaryPrimitives.WriteUInt16LittleEndian(at, (ushort)value); break;
            default: at[0] = (byte)value; break;
        }

        return $"{field.Name} at offset {field.Offset} set from {old} to {value}";
    }

    /// <summary>Inserts or removes a few bytes in the middle: every length after the splice points to the wrong place.</summary>
    private Mutant Splice(byte[] file)
    {
        int at = random.Next(file.Length);
        int count = random.Next(1, 64);
        if (random.Next(2) == 0)
        {
            byte[] inserted = new byte[count];
            random.NextBytes(inserted);
            return new Mutant([.. file[..at], .. inserted, .. file[at..]], $"{count} bytes inserted at offset {at}", null);
        }

        int end = Math.Min(file.Length, at + count);
        return new Mutant([.. file[..at], .. file[end..]], $"{end - at} bytes removed at offset {at}", null);
    }

    private LayoutField Pick(IReadOnlyList<LayoutField> fields) => fields[random.Next(fields.Count)];
}
