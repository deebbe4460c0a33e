using System.Buffers.Binary;
using System.Globalization;
using CaptureActors.TestSupport;

namespace CaptureActors.Pcap.Tests;

public sealed class PcapMergerTests : IDisposable
{
    private const long Base = 1_700_000_000;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_single_source_merge_holds_every_packet_byte_for_byte_under_the_node_interface_name()
    {
        string input = WriteCapture("one.pcap", marker: 1, Enumerable.Range(0, 250).Select(i => Micros(i * 1000L + 7)));
        string output = _dir.File("merged.pcapng");

        MergeResult result = PcapMerger.Merge([new MergeSource("gw1", "eth0", [input], TimeSpan.Zero)], output);

        Assert.Equal(250, result.TotalPackets);
        Assert.Equal([250L], result.PacketsPerSource);
        Assert.Empty(result.TruncatedFiles);
        Assert.Equal((Base * 1_000_000_000) + 7000, result.FirstUnixNanoseconds);
        Assert.Equal((Base * 1_000_000_000) + (249_000 + 7) * 1000L, result.LastUnixNanoseconds);
        Assert.Equal(0, ProcessRunner.Run("capinfos", output).EnsureSuccess("capinfos").ExitCode);
        Assert.Equal(250, Tshark.ReadPackets(output).Count);
        IReadOnlyList<string> names = PcapNgWriterTests.ToolFields(output, "frame.interface_name");
        Assert.Equal(250, names.Count);
        Assert.All(names, n => Assert.Equal("gw1:eth0", n));

        using PcapFileReader reader = PcapFileReader.Open(input);
        PcapPacket[] expected = reader.ReadPackets().ToArray();
        List<(int Interface, long Ns, int Original, byte[] Data)> actual = Packets(output);
        Assert.Equal(expected.Length, actual.Count);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(0, actual[i].Interface);
            Assert.Equal((expected[i].Seconds * 1_000_000_000) + expected[i].FractionNanoseconds, actual[i].Ns);
            Assert.Equal(expected[i].OriginalLength, actual[i].Original);
            Assert.Equal(expected[i].Data.ToArray(), actual[i].Data);
        }
    }

    [Fact]
    public void Three_sources_are_merged_in_exact_corrected_time_order_with_ties_in_source_order()
    {
        // Node A's clock is right; B's runs 2 s ahead (its packets move 2 s earlier); C's runs 1.5 s behind plus 700 ns.
        TimeSpan offsetB = TimeSpan.FromSeconds(2);
        TimeSpan offsetC = TimeSpan.FromSeconds(-1.5) + TimeSpan.FromTicks(7);
        long[] trueA = [0, 3000, 6000, 9000, 12000];      // µs after Base, on the controller's clock
        long[] trueB = [1000, 4000, 4500, 10000];
        long[] trueC = [2000, 3000, 5000, 9000, 20000];   // 3000 and 9000 would tie with A but for C's 700 ns
        string a = WriteCapture("a.pcap", 1, trueA.Select(Micros));
        string b = WriteCapture("b.pcap", 2, trueB.Select(t => Micros(t + 2_000_000)));
        string c = WriteCapture("c.pcap", 3, trueC.Select(t => Micros(t - 1_500_000)));
        string output = _dir.File("three.pcapng");

        MergeResult result = PcapMerger.Merge(
            [new MergeSource("a", "eth0", [a], TimeSpan.Zero), new MergeSource("b", "eth0", [b], offsetB), new MergeSource("c", "eth1", [c], offsetC)],
            output);

        // C's files hold true - 1.5 s; corrected = that - (-1.5 s + 700 ns) = true - 700 ns, so C's 3 ms and 9 ms come before A's.
        var expected = trueA.Select(t => (Ns: (t * 1000) + 0L, Name: "a:eth0", Source: 0))
            .Concat(trueB.Select(t => (Ns: t * 1000, Name: "b:eth0", Source: 1)))
            .Concat(trueC.Select(t => (Ns: (t * 1000) - 700, Name: "c:eth1", Source: 2)))
            .OrderBy(e => e.Ns).ThenBy(e => e.Source)
            .Select(e => $"{e.Name}\t{Epoch((Base * 1_000_000_000) + e.Ns)}")
            .ToList();
        IReadOnlyList<string> lines = PcapNgWriterTests.ToolFields(output, "frame.interface_name", "frame.time_epoch");
        Assert.Equal(expected, lines);
        Assert.Equal("a:eth0\t1700000000.000000000", lines[0]);
        Assert.Equal("b:eth0\t1700000000.001000000", lines[1]); // written at Base + 2.001 s on B's clock
        Assert.Equal("c:eth1\t1700000000.001999300", lines[2]); // written at Base - 1.498 s on C's clock
        Assert.Equal("c:eth1\t1700000000.002999300", lines[3]); // 700 ns before A's packet at 3 ms
        Assert.Equal("a:eth0\t1700000000.003000000", lines[4]);
        Assert.Equal([5L, 4L, 5L], result.PacketsPerSource);
        Assert.Equal(14, result.TotalPackets);
        Assert.Equal(Base * 1_000_000_000, result.FirstUnixNanoseconds);
        Assert.Equal((Base * 1_000_000_000) + 19_999_300, result.LastUnixNanoseconds);

        // Ties: equal corrected times keep the sources' order (a before b), proven with a true tie between A and B.
        string tieA = WriteCapture("tie-a.pcap", 1, [Micros(0), Micros(1)]);
        string tieB = WriteCapture("tie-b.pcap", 2, [Micros(2_000_000), Micros(2_000_001)]);
        string tie = _dir.File("tie.pcapng");
        PcapMerger.Merge([new MergeSource("b", "x", [tieB], offsetB), new MergeSource("a", "x", [tieA], TimeSpan.Zero)], tie);
        Assert.Equal(["b:x", "a:x", "b:x", "a:x"], PcapNgWriterTests.ToolFields(tie, "frame.interface_name"));
    }

    [Fact]
    public void Rotated_segments_of_one_interface_are_concatenated_in_order()
    {
        string s1 = WriteCapture("seg1.pcap", 1, Enumerable.Range(0, 10).Select(i => Micros(i)));
        string s2 = WriteCapture("seg2.pcap", 2, Enumerable.Range(10, 5).Select(i => Micros(i)));
        string s3 = WriteCapture("seg3.pcap", 3, Enumerable.Range(15, 7).Select(i => Micros(i)));
        string other = WriteCapture("other.pcap", 4, [Micros(12)]);
        string output = _dir.File("rotated.pcapng");

        MergeResult result = PcapMerger.Merge(
            [new MergeSource("gw1", "eth0", [s1, s2, s3], TimeSpan.Zero), new MergeSource("gw2", "eth0", [other], TimeSpan.Zero)], output);

        Assert.Equal([22L, 1L], result.PacketsPerSource);
        List<(int Interface, long Ns, int Original, byte[] Data)> packets = Packets(output);
        Assert.Equal(23, packets.Count);
        Assert.Equal(
            Enumerable.Range(0, 13).Select(i => (long)i).Append(12).Concat(Enumerable.Range(13, 9).Select(i => (long)i)),
            packets.Select(p => (p.Ns / 1000) - (Base * 1_000_000)));
        Assert.Equal(1, packets[13].Interface);
        Assert.Equal([1, 2, 3], packets.Where(p => p.Interface == 0).Select(p => p.Data[^2]).Distinct());
        Assert.Equal(23, Tshark.ReadPackets(output).Count);
    }

    [Fact]
    public void A_truncated_last_record_is_left_out_and_reported()
    {
        string whole = WriteCapture("whole.pcap", 1, Enumerable.Range(0, 5).Select(i => Micros(i * 2)));
        string cut = WriteCapture("cut.pcap", 2, Enumerable.Range(0, 5).Select(i => Micros((i * 2) + 1)));
        using (var f = new FileStream(cut, FileMode.Open))
        {
            f.SetLength(f.Length - 5);
        }

        string output = _dir.File("truncated.pcapng");
        MergeResult result = PcapMerger.Merge(
            [new MergeSource("a", "eth0", [whole], TimeSpan.Zero), new MergeSource("b", "eth0", [cut], TimeSpan.Zero)], output);

        Assert.Equal([5L, 4L], result.PacketsPerSource);
        Assert.Equal([cut], result.TruncatedFiles);
        Assert.Equal(9, Tshark.ReadPackets(output).Count);
        Assert.Equal(0, ProcessRunner.Run("capinfos", output).EnsureSuccess("capinfos").ExitCode);
    }

    [Fact]
    public void A_corrupt_input_is_refused_with_an_error_naming_the_file_and_no_output_is_left()
    {
        string good = WriteCapture("good.pcap", 1, Enumerable.Range(0, 3).Select(i => Micros(i)));
        string bad = WriteCapture("bad.pcap", 2, Enumerable.Range(0, 3).Select(i => Micros(i)));
        byte[] bytes = File.ReadAllBytes(bad);
        int recordLength = 16 + Frame(2, 0).Length;
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(24 + recordLength + 8), 0x7fff_ffff);
        File.WriteAllBytes(bad, bytes);
        string output = _dir.File("corrupt.pcapng");

        PcapFormatException e = Assert.Throws<PcapFormatException>(() => PcapMerger.Merge(
            [new MergeSource("a", "eth0", [good], TimeSpan.Zero), new MergeSource("b", "eth0", [bad], TimeSpan.Zero)], output));

        Assert.Contains(bad, e.Message, StringComparison.Ordinal);
        Assert.Contains("corrupt", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(output));

        string text = _dir.File("notes.pcap");
        File.WriteAllText(text, "not a capture at all, just text");
        PcapFormatException e2 = Assert.Throws<PcapFormatException>(() => PcapMerger.Merge(
            [new MergeSource("a", "eth0", [good, text], TimeSpan.Zero)], output));
        Assert.Contains(text, e2.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Invalid_source_lists_are_refused()
    {
        string a = WriteCapture("a.pcap", 1, [Micros(0)]);
        Assert.Throws<ArgumentException>(() => PcapMerger.Merge([], _dir.File("o.pcapng")));
        Assert.Throws<ArgumentException>(() => PcapMerger.Merge(
            [new MergeSource("n", "e", [a], TimeSpan.Zero), new MergeSource("n", "e", [a], TimeSpan.Zero)], _dir.File("o.pcapng")));
        Assert.Throws<ArgumentException>(() => PcapMerger.Merge([new MergeSource("n", "e", [a], TimeSpan.Zero)], a));
        Assert.Equal(1, PcapFileReader.Summarize(a).Packets);
    }

    [Fact]
    public void With_zero_offsets_the_merge_matches_mergecap_in_count_order_and_bytes()
    {
        var random = new Random(1234);
        string[] files = new string[3];
        for (int s = 0; s < 3; s++)
        {
            long t = s * 17;
            var times = new List<long>();
            for (int i = 0; i < 300; i++)
            {
                t += 1 + random.Next(100);
                times.Add((t * 3) + s); // distinct across sources: mergecap's tie order is its own
            }

            files[s] = WriteCapture($"m{s}.pcap", s + 1, times.Select(Micros));
        }

        string ours = _dir.File("ours.pcapng");
        string theirs = _dir.File("theirs.pcapng");
        PcapMerger.Merge(files.Select((f, i) => new MergeSource($"n{i}", "eth0", [f], TimeSpan.Zero)).ToArray(), ours);
        ProcessRunner.Run("mergecap", ["-w", theirs, .. files]).EnsureSuccess("mergecap");

        string[] fields = ["frame.time_epoch", "frame.len", "udp.dstport", "data.data"];
        IReadOnlyList<string> expected = PcapNgWriterTests.ToolFields(theirs, fields);
        Assert.Equal(900, expected.Count);
        Assert.Equal(expected, PcapNgWriterTests.ToolFields(ours, fields));
    }

    [Fact]
    public void Nanosecond_inputs_keep_every_nanosecond_through_the_merge()
    {
        byte[] frame = Frame(5, 0);
        using var ms = new MemoryStream();
        Span<byte> h = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(h, PcapFormat.NanosecondMagic);
        BinaryPrimitives.WriteUInt16LittleEndian(h[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(h[6..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(h[16..], 65535);
        BinaryPrimitives.WriteUInt32LittleEndian(h[20..], PcapFormat.LinkTypeEthernet);
        ms.Write(h);
        Span<byte> r = stackalloc byte[16];
        foreach (uint ns in new uint[] { 123_456_789, 123_456_790 })
        {
            BinaryPrimitives.WriteUInt32LittleEndian(r, (uint)Base);
            BinaryPrimitives.WriteUInt32LittleEndian(r[4..], ns);
            BinaryPrimitives.WriteUInt32LittleEndian(r[8..], (uint)frame.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(r[12..], (uint)frame.Length);
            ms.Write(r);
            ms.Write(frame);
        }

        string input = _dir.File("ns.pcap");
        File.WriteAllBytes(input, ms.ToArray());
        string output = _dir.File("ns.pcapng");

        PcapMerger.Merge([new MergeSource("n", "e", [input], TimeSpan.FromTicks(1))], output);

        Assert.Equal(["1700000000.123456689", "1700000000.123456690"], PcapNgWriterTests.ToolFields(output, "frame.time_epoch"));
    }

    [Fact]
    public void Segments_of_one_source_with_different_link_types_are_refused()
    {
        string eth = WriteCapture("eth.pcap", 1, [Micros(0)]);
        string sll = _dir.File("sll.pcap");
        using (PcapFileWriter writer = PcapFileWriter.Create(sll, PcapFormat.LinkTypeLinuxSll, 65535))
        {
            writer.Write(Base, 1, new byte[20], 20);
        }

        PcapFormatException e = Assert.Throws<PcapFormatException>(() =>
            PcapMerger.Merge([new MergeSource("n", "any", [eth, sll], TimeSpan.Zero)], _dir.File("o.pcapng")));
        Assert.Contains(sll, e.Message, StringComparison.Ordinal);
        Assert.Contains("link type 113", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_linux_sll2_capture_of_the_any_device_merges_with_its_interface_index_and_direction()
    {
        // LINUX_SLL2 header (20 bytes): protocol, reserved, ifindex, ARPHRD, packet type, address length, address; then IPv4.
        byte[] ethernet = Frames.Udp(10, 40404);
        byte[] frame = new byte[20 + ethernet.Length - 14];
        frame[0] = 0x08; // protocol 0x0800, IPv4
        frame[7] = 7; // ifindex 7
        frame[9] = 1; // ARPHRD_ETHER
        frame[10] = 4; // PACKET_OUTGOING
        frame[11] = 6; // address length
        ethernet.AsSpan(14).CopyTo(frame.AsSpan(20));
        string input = _dir.File("any.pcap");
        using (PcapFileWriter writer = PcapFileWriter.Create(input, PcapFormat.LinkTypeLinuxSll2, 65535))
        {
            writer.Write(Base, 1, frame, frame.Length);
        }

        string output = _dir.File("any.pcapng");
        PcapMerger.Merge([new MergeSource("n", "any", [input], TimeSpan.Zero)], output);

        Assert.Equal(["n:any\t7\t4\t40404"], PcapNgWriterTests.ToolFields(output, "frame.interface_name", "sll.ifindex", "sll.pkttype", "udp.dstport"));
    }

    /// <summary>µs after <see cref="Base"/> as (seconds, microseconds).</summary>
    private static (long Seconds, int Micros) Micros(long microsAfterBase) =>
        (Base + Math.DivRem(microsAfterBase, 1_000_000, out long rem) - (rem < 0 ? 1 : 0), (int)(rem < 0 ? rem + 1_000_000 : rem));

    private static string Epoch(long ns) =>
        string.Create(CultureInfo.InvariantCulture, $"{ns / 1_000_000_000}.{ns % 1_000_000_000:D9}");

    /// <summary>A UDP frame whose last two payload bytes are the source marker and the sequence number (mod 256).</summary>
    private static byte[] Frame(int marker, int sequence)
    {
        byte[] f = Frames.Udp(20 + (sequence % 7), (ushort)(9000 + marker));
        f[^2] = (byte)marker;
        f[^1] = (byte)sequence;
        return f;
    }

    private string WriteCapture(string name, int marker, IEnumerable<(long Seconds, int Micros)> times)
    {
        string path = _dir.File(name);
        using PcapFileWriter writer = PcapFileWriter.Create(path, PcapFormat.LinkTypeEthernet, 65535);
        int i = 0;
        foreach ((long seconds, int micros) in times)
        {
            byte[] frame = Frame(marker, i++);
            writer.Write(seconds, micros, frame, frame.Length + 4);
        }

        return path;
    }

    /// <summary>The Enhanced Packet Blocks of a pcapng file we wrote, parsed from its bytes.</summary>
    private static List<(int Interface, long Ns, int Original, byte[] Data)> Packets(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        var packets = new List<(int, long, int, byte[])>();
        foreach ((uint type, int offset, int length) in PcapNgWriterTests.Blocks(bytes))
        {
            if (type != PcapNgWriter.EnhancedPacketBlockType)
            {
                continue;
            }

            ReadOnlySpan<byte> b = bytes.AsSpan(offset, length);
            long ns = ((long)BinaryPrimitives.ReadUInt32LittleEndian(b[12..]) << 32) | BinaryPrimitives.ReadUInt32LittleEndian(b[16..]);
            int captured = BinaryPrimitives.ReadInt32LittleEndian(b[20..]);
            packets.Add((BinaryPrimitives.ReadInt32LittleEndian(b[8..]), ns, BinaryPrimitives.ReadInt32LittleEndian(b[24..]), b.Slice(28, captured).ToArray()));
        }

        return packets;
    }
}
