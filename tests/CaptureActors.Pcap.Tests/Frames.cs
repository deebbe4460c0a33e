using System.Buffers.Binary;

namespace CaptureActors.Pcap.Tests;

/// <summary>Test frames: Ethernet + IPv4 + UDP between 198.18.0.1 and 198.18.0.2 (never sent anywhere).</summary>
internal static class Frames
{
    public static byte[] Udp(int payloadBytes, ushort port = 9999)
    {
        int ipLength = 20 + 8 + payloadBytes;
        byte[] f = new byte[14 + ipLength];
        f[0] = 0x02; f[5] = 0x01; f[6] = 0x02; f[11] = 0x02;
        f[12] = 0x08; f[13] = 0x00;
        Span<byte> ip = f.AsSpan(14);
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)ipLength);
        ip[8] = 64; ip[9] = 17;
        ip[12] = 198; ip[13] = 18; ip[14] = 0; ip[15] = 1;
        ip[16] = 198; ip[17] = 18; ip[18] = 0; ip[19] = 2;
        Span<byte> udp = ip[20..];
        BinaryPrimitives.WriteUInt16BigEndian(udp, 40000);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], port);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)(8 + payloadBytes));
        return f;
    }

    /// <summary>Writes <paramref name="count"/> frames a millisecond apart starting at 1_700_000_000 s.</summary>
    public static void WriteFile(string path, int count, int payloadBytes = 100, int snapLength = 65535)
    {
        using PcapFileWriter writer = PcapFileWriter.Create(path, PcapFormat.LinkTypeEthernet, snapLength);
        byte[] frame = Udp(payloadBytes);
        for (int i = 0; i < count; i++)
        {
            writer.Write(1_700_000_000 + (i / 1000), i % 1000 * 1000, frame, frame.Length);
        }
    }
}
