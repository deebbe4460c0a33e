using System.Security.Cryptography;
using CaptureActors.TestSupport;

namespace CaptureActors.Pcap.Tests;

public sealed class PcapFileRepairTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(5)]   // cut inside the last record's data
    [InlineData(150)] // cut inside the last record's header (record = 16 + 142)
    public void A_partial_last_record_is_cut_and_the_whole_records_are_kept_byte_for_byte(int cutBytes)
    {
        string path = _dir.File("crashed.pcap");
        Frames.WriteFile(path, 10);
        byte[] whole = File.ReadAllBytes(path);
        using (var f = new FileStream(path, FileMode.Open))
        {
            f.SetLength(f.Length - cutBytes);
        }

        PcapRepairResult result = PcapFileRepair.Repair(path);

        byte[] kept = File.ReadAllBytes(path);
        Assert.Equal(24 + (9 * 158), kept.Length);
        Assert.Equal(whole.AsSpan(0, kept.Length).ToArray(), kept);
        Assert.Equal(158 - cutBytes, result.BytesCut);
        Assert.Equal(9, result.Summary.Packets);
        Assert.False(result.Summary.TruncatedTail);
        Assert.False(PcapFileReader.Summarize(path).TruncatedTail);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(kept)), result.Sha256);
    }

    [Fact]
    public void A_whole_file_is_left_as_it_is()
    {
        string path = _dir.File("whole.pcap");
        Frames.WriteFile(path, 4);
        byte[] before = File.ReadAllBytes(path);

        PcapRepairResult result = PcapFileRepair.Repair(path);

        Assert.Equal(0, result.BytesCut);
        Assert.Equal(4, result.Summary.Packets);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void A_file_without_a_pcap_header_is_refused_and_left_unchanged()
    {
        string path = _dir.File("garbage.pcap");
        File.WriteAllBytes(path, [.. Enumerable.Range(0, 100).Select(i => (byte)i)]);

        Assert.Throws<PcapFormatException>(() => PcapFileRepair.Repair(path));
        Assert.Equal(100, new FileInfo(path).Length);
    }
}
