using System.Buffers.Binary;
using System.Text;
using CaptureActors.TestSupport;

namespace CaptureActors.Pcap.Tests;

public sealed class PcapNgWriterTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Blocks_have_the_spec_layout_lengths_repeated_and_data_padded_to_four_bytes()
    {
        string path = _dir.File("layout.pcapng");
        byte[] odd = Frames.Udp(1); // 43 bytes: padded with 1 byte
        using (PcapNgWriter writer = PcapNgWriter.Create(path))
        {
            Assert.Equal(0, writer.AddInterface(PcapFormat.LinkTypeEthernet, 65535, "gw1:eth0", "uplink"));
            Assert.Equal(1, writer.AddInterface(PcapFormat.LinkTypeLinuxSll, 0, "gw2:any"));
            writer.Write(1, 1_700_000_000_123_456_789, odd, 1500);
            writer.Write(0, 5, odd.AsSpan(0, 40), 40);
        }

        byte[] bytes = File.ReadAllBytes(path);
        List<(uint Type, int Offset, int Length)> blocks = Blocks(bytes);
        Assert.Equal(
            [PcapNgWriter.SectionHeaderBlockType, PcapNgWriter.InterfaceDescriptionBlockType, PcapNgWriter.InterfaceDescriptionBlockType,
             PcapNgWriter.EnhancedPacketBlockType, PcapNgWriter.EnhancedPacketBlockType],
            blocks.Select(b => b.Type));

        // Section Header Block: byte-order magic, version 1.0, unknown section length, shb_userappl.
        ReadOnlySpan<byte> shb = bytes.AsSpan(blocks[0].Offset, blocks[0].Length);
        Assert.Equal(0x1A2B3C4Du, BinaryPrimitives.ReadUInt32LittleEndian(shb[8..]));
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(shb[12..]));
        Assert.Equal(0, BinaryPrimitives.ReadUInt16LittleEndian(shb[14..]));
        Assert.Equal(-1L, BinaryPrimitives.ReadInt64LittleEndian(shb[16..]));
        Dictionary<ushort, byte[]> shbOptions = Options(shb[24..^4]);
        Assert.Equal("CaptureActors", Encoding.UTF8.GetString(shbOptions[4]));

        // Interface Description Blocks: link type, snap length, if_name, if_description, if_tsresol = 9.
        ReadOnlySpan<byte> idb0 = bytes.AsSpan(blocks[1].Offset, blocks[1].Length);
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(idb0[8..]));
        Assert.Equal(65535u, BinaryPrimitives.ReadUInt32LittleEndian(idb0[12..]));
        Dictionary<ushort, byte[]> o0 = Options(idb0[16..^4]);
        Assert.Equal("gw1:eth0", Encoding.UTF8.GetString(o0[2]));
        Assert.Equal("uplink", Encoding.UTF8.GetString(o0[3]));
        Assert.Equal([9], o0[9]);
        ReadOnlySpan<byte> idb1 = bytes.AsSpan(blocks[2].Offset, blocks[2].Length);
        Assert.Equal(113, BinaryPrimitives.ReadUInt16LittleEndian(idb1[8..]));
        Dictionary<ushort, byte[]> o1 = Options(idb1[16..^4]);
        Assert.Equal("gw2:any", Encoding.UTF8.GetString(o1[2]));
        Assert.False(o1.ContainsKey(3));

        // Enhanced Packet Blocks: interface, 64-bit nanosecond timestamp split high/low, lengths, padded data.
        ReadOnlySpan<byte> epb = bytes.AsSpan(blocks[3].Offset, blocks[3].Length);
        Assert.Equal(32 + 44, epb.Length);
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(epb[8..]));
        ulong ts = ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(epb[12..]) << 32) | BinaryPrimitives.ReadUInt32LittleEndian(epb[16..]);
        Assert.Equal(1_700_000_000_123_456_789UL, ts);
        Assert.Equal(43u, BinaryPrimitives.ReadUInt32LittleEndian(epb[20..]));
        Assert.Equal(1500u, BinaryPrimitives.ReadUInt32LittleEndian(epb[24..]));
        Assert.Equal(odd, epb.Slice(28, 43).ToArray());
        Assert.Equal(0, epb[28 + 43]);
        ReadOnlySpan<byte> epb2 = bytes.AsSpan(blocks[4].Offset, blocks[4].Length);
        Assert.Equal(32 + 40, epb2.Length);
        Assert.Equal(5u, BinaryPrimitives.ReadUInt32LittleEndian(epb2[16..]));
    }

    [Fact]
    public void Tshark_and_capinfos_read_the_file_with_interface_names_and_nanosecond_times()
    {
        string path = _dir.File("ok.pcapng");
        byte[] frame = Frames.Udp(100);
        using (PcapNgWriter writer = PcapNgWriter.Create(path))
        {
            int a = writer.AddInterface(PcapFormat.LinkTypeEthernet, 65535, "gw1:eth0");
            int b = writer.AddInterface(PcapFormat.LinkTypeEthernet, 65535, "gw2:eth1", "second");
            writer.Write(a, 1_700_000_000_000_000_001, frame, frame.Length);
            writer.Write(b, 1_700_000_000_999_999_999, frame, frame.Length);
            writer.Write(a, 1_700_000_001_000_000_000, frame, frame.Length);
            Assert.Equal(3, writer.Packets);
        }

        Assert.Equal(0, ProcessRunner.Run("capinfos", path).EnsureSuccess("capinfos").ExitCode);
        IReadOnlyList<string> lines = ToolFields(path, "frame.interface_name", "frame.time_epoch", "udp.dstport");
        Assert.Equal(
            ["gw1:eth0\t1700000000.000000001\t9999", "gw2:eth1\t1700000000.999999999\t9999", "gw1:eth0\t1700000001.000000000\t9999"],
            lines);
    }

    [Fact]
    public void Data_is_cut_to_the_interface_snap_length_and_the_wire_length_kept()
    {
        string path = _dir.File("snap.pcapng");
        byte[] frame = Frames.Udp(200);
        using (PcapNgWriter writer = PcapNgWriter.Create(path))
        {
            writer.AddInterface(PcapFormat.LinkTypeEthernet, 64, "n:e");
            writer.Write(0, 1, frame, frame.Length);
        }

        Assert.Equal(["64\t242"], ToolFields(path, "frame.cap_len", "frame.len"));
    }

    [Fact]
    public void Writing_to_an_undeclared_interface_is_refused()
    {
        using PcapNgWriter writer = PcapNgWriter.Create(_dir.File("x.pcapng"));
        writer.AddInterface(PcapFormat.LinkTypeEthernet, 0, "n:e");
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.Write(1, 0, [1, 2, 3], 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.Write(0, -1, [1, 2, 3], 3));
    }

    /// <summary><c>tshark -r path -T fields -e ...</c>, tab-separated lines.</summary>
    internal static IReadOnlyList<string> ToolFields(string path, params string[] fields)
    {
        List<string> args = ["-n", "-r", path, "-T", "fields"];
        foreach (string f in fields)
        {
            args.AddRange(["-e", f]);
        }

        return ProcessRunner.Run("tshark", args, TimeSpan.FromSeconds(60)).EnsureSuccess("tshark").Lines;
    }

    /// <summary>Walks the file block by block, checking each length is a multiple of 4 and repeated at the block's end.</summary>
    internal static List<(uint Type, int Offset, int Length)> Blocks(byte[] bytes)
    {
        var blocks = new List<(uint, int, int)>();
        int at = 0;
        while (at < bytes.Length)
        {
            uint type = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at));
            int length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at + 4));
            Assert.True(length >= 12 && length % 4 == 0, $"block at {at} has length {length}");
            Assert.Equal(length, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at + length - 4)));
            blocks.Add((type, at, length));
            at += length;
        }

        Assert.Equal(bytes.Length, at);
        return blocks;
    }

    /// <summary>Options of a block body: each padded to 4, ending with opt_endofopt exactly at the end.</summary>
    private static Dictionary<ushort, byte[]> Options(ReadOnlySpan<byte> options)
    {
        var result = new Dictionary<ushort, byte[]>();
        int at = 0;
        while (true)
        {
            ushort code = BinaryPrimitives.ReadUInt16LittleEndian(options[at..]);
            ushort length = BinaryPrimitives.ReadUInt16LittleEndian(options[(at + 2)..]);
            if (code == 0)
            {
                Assert.Equal(0, length);
                Assert.Equal(options.Length, at + 4);
                return result;
            }

            result[code] = options.Slice(at + 4, length).ToArray();
            int padded = (length + 3) & ~3;
            Assert.All(options.Slice(at + 4 + length, padded - length).ToArray(), b => Assert.Equal(0, b));
            at += 4 + padded;
        }
    }
}
