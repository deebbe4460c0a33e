using System.Buffers.Binary;
using CaptureActors.TestSupport;

namespace CaptureActors.Pcap.Tests;

public sealed class PcapFileReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(5)]   // cut inside the last record's data
    [InlineData(150)] // cut inside the last record's header (record = 16 + 142)
    public void A_truncated_last_record_is_reported_and_the_whole_records_are_counted(int cutBytes)
    {
        string path = _dir.File("t.pcap");
        Frames.WriteFile(path, 10);
        using (var f = new FileStream(path, FileMode.Open))
        {
            f.SetLength(f.Length - cutBytes);
        }

        PcapFileSummary summary = PcapFileReader.Summarize(path);
        Assert.Equal(9, summary.Packets);
        Assert.True(summary.TruncatedTail);
        Assert.Equal(24 + (9 * 158), summary.FileBytes);
    }

    [Fact]
    public void A_corrupt_record_length_is_refused_with_a_clear_error()
    {
        string path = _dir.File("corrupt.pcap");
        Frames.WriteFile(path, 3);
        byte[] bytes = File.ReadAllBytes(path);
        int secondRecord = 24 + 158;
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(secondRecord + 8), 0x7fff_ffff);
        File.WriteAllBytes(path, bytes);

        PcapFormatException e = Assert.Throws<PcapFormatException>(() => PcapFileReader.Summarize(path));
        Assert.Contains("record 2", e.Message, StringComparison.Ordinal);
        Assert.Contains("corrupt", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_record_longer_than_the_header_snap_length_is_refused()
    {
        string path = _dir.File("snap.pcap");
        Frames.WriteFile(path, 2, payloadBytes: 100, snapLength: 200);
        byte[] bytes = File.ReadAllBytes(path);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(16), 100); // snaplen now below the 142-byte records
        File.WriteAllBytes(path, bytes);

        Assert.Throws<PcapFormatException>(() => PcapFileReader.Summarize(path));
    }

    [Fact]
    public void A_file_that_is_not_pcap_is_refused()
    {
        string path = _dir.File("text.pcap");
        File.WriteAllText(path, "this is certainly not a capture file");
        PcapFormatException e = Assert.Throws<PcapFormatException>(() => PcapFileReader.Summarize(path));
        Assert.Contains("not a pcap file", e.Message, StringComparison.Ordinal);
        // Nothing of what the file holds comes back in the message (not even its first four bytes, "this" = 0x73696874).
        Assert.DoesNotContain("this", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("73696874", e.Message, StringComparison.Ordinal);

        File.WriteAllBytes(path, [0xd4, 0xc3]);
        Assert.Throws<PcapFormatException>(() => PcapFileReader.Summarize(path));
    }

    [Fact]
    public void Big_endian_nanosecond_files_are_read()
    {
        byte[] frame = Frames.Udp(20);
        using var ms = new MemoryStream();
        Span<byte> h = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32BigEndian(h, 0xa1b23c4d);
        BinaryPrimitives.WriteUInt16BigEndian(h[4..], 2);
        BinaryPrimitives.WriteUInt16BigEndian(h[6..], 4);
        BinaryPrimitives.WriteUInt32BigEndian(h[16..], 65535);
        BinaryPrimitives.WriteUInt32BigEndian(h[20..], 1);
        ms.Write(h);
        Span<byte> r = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32BigEndian(r, 1_700_000_000);
        BinaryPrimitives.WriteUInt32BigEndian(r[4..], 123_456_789);
        BinaryPrimitives.WriteUInt32BigEndian(r[8..], (uint)frame.Length);
        BinaryPrimitives.WriteUInt32BigEndian(r[12..], (uint)frame.Length);
        ms.Write(r);
        ms.Write(frame);
        string path = _dir.File("be.pcap");
        File.WriteAllBytes(path, ms.ToArray());

        using PcapFileReader reader = PcapFileReader.Open(path);
        Assert.True(reader.Header.BigEndian);
        Assert.True(reader.Header.Nanoseconds);
        PcapPacket p = Assert.Single(reader.ReadPackets());
        Assert.Equal(123_456_789, p.FractionNanoseconds);
        Assert.Equal(frame, p.Data.ToArray());
        Assert.Equal(1, Tcpdump.ReadPackets(path).Count);
    }

    [Fact]
    public void An_empty_capture_has_no_packets_and_no_timestamps()
    {
        string path = _dir.File("empty.pcap");
        Frames.WriteFile(path, 0);
        PcapFileSummary s = PcapFileReader.Summarize(path);
        Assert.Equal(0, s.Packets);
        Assert.Null(s.FirstPacketAt);
        Assert.False(s.TruncatedTail);
    }
}
