using System.Buffers.Binary;
using CaptureActors.TestSupport;

namespace CaptureActors.Pcap.Tests;

public sealed class PcapNgReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void What_our_writer_writes_is_read_back_with_interfaces_and_nanosecond_timestamps()
    {
        string path = _dir.File("ours.pcapng");
        byte[] a = Frames.Udp(10);
        byte[] b = Frames.Udp(300);
        using (PcapNgWriter writer = PcapNgWriter.Create(path))
        {
            writer.AddInterface(PcapFormat.LinkTypeEthernet, 65535, "gw1:eth0");
            writer.AddInterface(PcapFormat.LinkTypeLinuxSll, 0, "gw2:any");
            writer.Write(0, 1_700_000_000_123_456_789, a, a.Length);
            writer.Write(1, 1_700_000_001_000_000_001, b, 1500);
        }

        using PcapNgReader reader = PcapNgReader.Open(path);
        Assert.Equal(["gw1:eth0", "gw2:any"], reader.Interfaces.Select(i => i.Name));
        Assert.Equal([1, 113], reader.Interfaces.Select(i => i.LinkType));
        Assert.All(reader.Interfaces, i => Assert.Equal(1_000_000_000UL, i.UnitsPerSecond));
        List<PcapNgPacket> packets = [.. reader.ReadPackets()];
        Assert.Equal(2, packets.Count);
        Assert.Equal((0, 1_700_000_000_123_456_789L, a.Length), (packets[0].InterfaceId, packets[0].TimestampNanoseconds, packets[0].OriginalLength));
        Assert.Equal((1, 1_700_000_001_000_000_001L, 1500), (packets[1].InterfaceId, packets[1].TimestampNanoseconds, packets[1].OriginalLength));
        Assert.Equal(b, packets[1].Data.ToArray());
        Assert.False(reader.TruncatedTail);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Either_byte_order_with_simple_obsolete_and_unknown_blocks_is_read(bool bigEndian)
    {
        byte[] frame = Frames.Udp(20);
        byte[] file = new PcapNgBuilder(bigEndian)
            .SectionHeader()
            .Interface(PcapFormat.LinkTypeEthernet, 65535, "eth0", tsoffset: 1_000_000_000) // default resolution: microseconds
            .Unknown(0x00000004, 40) // Name Resolution Block: skipped
            .EnhancedPacket(0, 700_000_000_250_000UL, frame)
            .SimplePacket(frame)
            .Unknown(0x80000001, 8) // a local-use block type
            .ObsoletePacket(0, 700_000_000_500_000UL, frame)
            .ToArray();
        string path = _dir.File(bigEndian ? "be.pcapng" : "le.pcapng");
        File.WriteAllBytes(path, file);

        using PcapNgReader reader = PcapNgReader.Open(path);
        List<PcapNgPacket> packets = [.. reader.ReadPackets()];
        Assert.Equal(3, packets.Count);
        long first = (1_700_000_000L * 1_000_000_000) + 250_000_000; // 700000000.25 s + offset 10^9 s
        Assert.Equal([first, first, first + 250_000_000], packets.Select(p => p.TimestampNanoseconds)); // the simple block takes the previous time
        Assert.All(packets, p => Assert.Equal(frame, p.Data.ToArray()));
        Assert.Equal(1, reader.Sections);
        Assert.False(reader.TruncatedTail);
        Assert.Equal(3, Tshark.ReadPackets(path).Count);
    }

    [Theory]
    [InlineData((byte)3, 1_000UL)]
    [InlineData((byte)0x8a, 1_024UL)] // 2^-10
    public void Timestamp_resolution_options_are_honoured(byte tsresol, ulong unitsPerSecond)
    {
        byte[] file = new PcapNgBuilder()
            .SectionHeader()
            .Interface(PcapFormat.LinkTypeEthernet, 0, tsresol: tsresol)
            .EnhancedPacket(0, 5 * unitsPerSecond / 2, Frames.Udp(1))
            .ToArray();
        using PcapNgReader reader = PcapNgReader.Open(new MemoryStream(file));
        Assert.Equal(unitsPerSecond, reader.Interfaces[0].UnitsPerSecond);
        Assert.Equal(2_500_000_000L, Assert.Single(reader.ReadPackets()).TimestampNanoseconds);
    }

    [Fact]
    public void A_block_whose_trailing_length_differs_is_corrupt_with_its_offset()
    {
        byte[] file = new PcapNgBuilder().SectionHeader().Interface(1, 0).EnhancedPacket(0, 1, Frames.Udp(5)).EnhancedPacket(0, 2, Frames.Udp(5)).ToArray();
        int secondPacket = Offsets(file)[3];
        int end = Offsets(file)[4];
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(end - 4), 4096);

        using PcapNgReader reader = PcapNgReader.Open(new MemoryStream(file), "x.pcapng");
        Assert.NotNull(reader.ReadNext());
        PcapFormatException e = Assert.Throws<PcapFormatException>(() => reader.ReadNext());
        Assert.Equal($"x.pcapng: at offset {secondPacket}: block total length {end - secondPacket} at the start but 4096 at the end: the file is corrupt", e.Message);
        Assert.Equal(secondPacket, e.Offset);
    }

    [Theory]
    [InlineData(0u, "total length 0 (must be a multiple of 4, at least 12)")]
    [InlineData(13u, "total length 13 (must be a multiple of 4, at least 12)")]
    [InlineData(16u, "Enhanced Packet Block of 16 bytes (at least 32)")]
    public void Impossible_block_lengths_are_corrupt_not_loops(uint length, string problem)
    {
        byte[] file = new PcapNgBuilder().SectionHeader().Interface(1, 0).EnhancedPacket(0, 1, Frames.Udp(5)).ToArray();
        int packet = Offsets(file)[2];
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(packet + 4), length);

        // Found when Open looks past the interface blocks, or by the first read: either way an error, not a loop.
        PcapFormatException e = Assert.Throws<PcapFormatException>(() =>
        {
            using PcapNgReader reader = PcapNgReader.Open(new MemoryStream(file), "z.pcapng");
            reader.ReadNext();
        });
        Assert.Contains($"at offset {packet}: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_captured_length_beyond_its_block_or_an_unknown_interface_is_corrupt()
    {
        byte[] file = new PcapNgBuilder().SectionHeader().Interface(1, 0).EnhancedPacket(0, 1, Frames.Udp(5)).ToArray();
        int packet = Offsets(file)[2];
        byte[] huge = (byte[])file.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(huge.AsSpan(packet + 20), 0xffff_ffff);
        using (PcapNgReader reader = PcapNgReader.Open(new MemoryStream(huge)))
        {
            Assert.Contains("claims 4294967295 captured bytes in a block with room for 48", Assert.Throws<PcapFormatException>(() => reader.ReadNext()).Message, StringComparison.Ordinal);
        }

        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(packet + 8), 7);
        using (PcapNgReader reader = PcapNgReader.Open(new MemoryStream(file)))
        {
            Assert.Contains("for interface 7, but the section declares 1 interface(s)", Assert.Throws<PcapFormatException>(() => reader.ReadNext()).Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_block_cut_by_the_end_of_the_file_is_a_truncated_tail_not_an_error()
    {
        byte[] file = new PcapNgBuilder().SectionHeader().Interface(1, 0).EnhancedPacket(0, 1, Frames.Udp(5)).EnhancedPacket(0, 2, Frames.Udp(5)).ToArray();
        using PcapNgReader reader = PcapNgReader.Open(new MemoryStream(file[..^7]));
        Assert.Single(reader.ReadPackets());
        Assert.True(reader.TruncatedTail);
    }

    [Fact]
    public void Classic_pcap_and_text_are_refused_as_not_pcapng()
    {
        string pcap = _dir.File("classic.pcap");
        Frames.WriteFile(pcap, 1);
        Assert.False(PcapNgReader.LooksLikePcapNg(pcap));
        Assert.Contains("not a pcapng file (it starts like a classic pcap file", Assert.Throws<PcapFormatException>(() => PcapNgReader.Open(pcap)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_takes_pcapng_inputs_from_another_tool()
    {
        string pcap = _dir.File("a.pcap");
        Frames.WriteFile(pcap, 20);
        string converted = _dir.File("a-editcap.pcapng");
        ProcessRunner.Run("editcap", "-F", "pcapng", pcap, converted).EnsureSuccess("editcap");
        Assert.True(PcapNgReader.LooksLikePcapNg(converted));

        string output = _dir.File("merged.pcapng");
        MergeResult result = PcapMerger.Merge(
            [new MergeSource("n1", "eth0", [converted], TimeSpan.Zero), new MergeSource("n2", "eth0", [pcap], TimeSpan.FromMilliseconds(1))], output);

        Assert.Equal([20L, 20L], result.PacketsPerSource);
        using PcapNgReader merged = PcapNgReader.Open(output);
        List<PcapNgPacket> packets = [.. merged.ReadPackets()];
        Assert.Equal(40, packets.Count);
        using PcapFileReader original = PcapFileReader.Open(pcap);
        PcapPacket first = original.ReadPackets().First();
        Assert.Equal((first.Seconds * 1_000_000_000) + first.FractionNanoseconds, packets.Where(p => p.InterfaceId == 0).First().TimestampNanoseconds);
        Assert.Equal(40, Tcpdump.ReadPackets(output).Count);
    }

    /// <summary>Start offsets of the blocks of a well-formed little-endian file, and its length at the end.</summary>
    private static List<int> Offsets(byte[] file)
    {
        List<int> offsets = [];
        int at = 0;
        while (at < file.Length)
        {
            offsets.Add(at);
            at += (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at + 4));
        }

        offsets.Add(at);
        return offsets;
    }
}
