using System.Security.Cryptography;
using CaptureActors.TestSupport;

namespace CaptureActors.Pcap.Tests;

public sealed class PcapFileWriterTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Written_file_is_read_back_by_our_reader_and_by_tcpdump_with_the_exact_count()
    {
        string path = _dir.File("a.pcap");
        Frames.WriteFile(path, 1234);

        PcapFileSummary summary = PcapFileReader.Summarize(path);
        Assert.Equal(1234, summary.Packets);
        Assert.False(summary.TruncatedTail);
        Assert.Equal(PcapFormat.LinkTypeEthernet, summary.LinkType);
        Assert.Equal(new DateTimeOffset(2023, 11, 14, 22, 13, 20, TimeSpan.Zero), summary.FirstPacketAt);
        Assert.Equal(summary.FirstPacketAt!.Value.AddSeconds(1).AddMilliseconds(233), summary.LastPacketAt);

        CaptureReadResult tcpdump = Tcpdump.ReadPackets(path);
        Assert.True(tcpdump.ExitCode == 0, tcpdump.StandardError);
        Assert.Equal(1234, tcpdump.Count);
        Assert.Contains("198.18.0.1.40000 > 198.18.0.2.9999: UDP, length 100", tcpdump.Packets[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Packets_read_back_have_the_written_bytes_and_timestamps()
    {
        string path = _dir.File("b.pcap");
        byte[] frame = Frames.Udp(33);
        using (PcapFileWriter writer = PcapFileWriter.Create(path, PcapFormat.LinkTypeEthernet, 65535))
        {
            writer.Write(1_700_000_123, 456_789, frame, frame.Length);
        }

        using PcapFileReader reader = PcapFileReader.Open(path);
        PcapPacket packet = Assert.Single(reader.ReadPackets());
        Assert.Equal(frame, packet.Data.ToArray());
        Assert.Equal(1_700_000_123, packet.Seconds);
        Assert.Equal(456_789_000, packet.FractionNanoseconds);
        Assert.Equal(frame.Length, packet.OriginalLength);
    }

    [Fact]
    public void Sha256_equals_the_hash_of_the_file_on_disk()
    {
        string path = _dir.File("c.pcap");
        string reported;
        using (PcapFileWriter writer = PcapFileWriter.Create(path, PcapFormat.LinkTypeEthernet, 65535, bufferBytes: 8192))
        {
            byte[] frame = Frames.Udp(500);
            for (int i = 0; i < 300; i++)
            {
                writer.Write(1_700_000_000, i, frame, frame.Length);
            }

            writer.Flush();
            reported = writer.Sha256Hex;
            Assert.Equal(new FileInfo(path).Length, writer.FlushedLength);
        }

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))), reported);
    }

    [Fact]
    public void Data_longer_than_the_snap_length_is_cut_and_keeps_its_original_length()
    {
        string path = _dir.File("d.pcap");
        byte[] frame = Frames.Udp(1000);
        using (PcapFileWriter writer = PcapFileWriter.Create(path, PcapFormat.LinkTypeEthernet, 96))
        {
            writer.Write(1, 0, frame, frame.Length);
        }

        using PcapFileReader reader = PcapFileReader.Open(path);
        PcapPacket packet = Assert.Single(reader.ReadPackets());
        Assert.Equal(96, packet.Data.Length);
        Assert.Equal(frame.Length, packet.OriginalLength);
        Assert.Equal(0, Tcpdump.ReadPackets(path).ExitCode);
    }

    [Fact]
    public void A_record_larger_than_the_buffer_is_written_whole()
    {
        string path = _dir.File("e.pcap");
        byte[] big = new byte[20_000];
        Frames.Udp(100).CopyTo(big, 0);
        using (PcapFileWriter writer = PcapFileWriter.Create(path, PcapFormat.LinkTypeEthernet, 65535, bufferBytes: 4096))
        {
            writer.Write(1, 0, Frames.Udp(10), 52);
            writer.Write(2, 0, big, big.Length);
            writer.Write(3, 0, Frames.Udp(10), 52);
            Assert.Equal(3, writer.Packets);
        }

        using PcapFileReader reader = PcapFileReader.Open(path);
        Assert.Equal([52, 20_000, 52], reader.ReadPackets().Select(p => p.Data.Length).ToArray());
    }

    [Fact]
    public void Flushed_records_are_readable_while_the_file_is_still_open()
    {
        string path = _dir.File("f.pcap");
        using PcapFileWriter writer = PcapFileWriter.Create(path, PcapFormat.LinkTypeEthernet, 65535);
        byte[] frame = Frames.Udp(64);
        for (int i = 0; i < 10; i++)
        {
            writer.Write(1, i, frame, frame.Length);
        }

        Assert.Equal(0, PcapFileReader.Summarize(path).Packets);
        writer.Flush();
        Assert.Equal(10, PcapFileReader.Summarize(path).Packets);
        Assert.Equal(10, Tcpdump.ReadPackets(path).Count);
        Assert.Equal(10, writer.FlushedPackets);
    }
}
