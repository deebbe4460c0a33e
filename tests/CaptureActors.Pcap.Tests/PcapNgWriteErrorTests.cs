using CaptureActors.TestSupport;

namespace CaptureActors.Pcap.Tests;

[Collection(PrivilegedCollection.Name)]
public sealed class PcapNgWriteErrorTests
{
    [PrivilegedFact]
    public void A_full_disk_leaves_the_pcapng_file_at_its_last_whole_block_and_throws()
    {
        Privilege.Require();
        using var tmpfs = new TmpfsMount(256 * 1024);
        string path = tmpfs.File("full.pcapng");
        byte[] frame = Frames.Udp(1001); // 1043 bytes: padded to 1044
        PcapNgWriter writer = PcapNgWriter.Create(path, bufferBytes: 0); // smallest buffer the writer allows
        writer.AddInterface(PcapFormat.LinkTypeEthernet, 65535, "n:eth0");
        PcapWriteException? error = null;
        for (int i = 0; i < 1000 && error is null; i++)
        {
            try
            {
                writer.Write(0, 1_700_000_000_000_000_000 + i, frame, frame.Length);
            }
            catch (PcapWriteException e)
            {
                error = e;
            }
        }

        Assert.NotNull(error);
        Assert.Contains("No space left on device", error.Message, StringComparison.Ordinal);
        Assert.True(writer.IsFaulted);
        Assert.Throws<InvalidOperationException>(() => writer.Write(0, 1, frame, frame.Length));
        long flushed = writer.FlushedPackets;
        long flushedLength = writer.FlushedLength;
        writer.Dispose();

        Assert.True(flushed > 100, $"{flushed} flushed");
        Assert.Equal(flushedLength, new FileInfo(path).Length);
        List<(uint Type, int Offset, int Length)> blocks = PcapNgWriterTests.Blocks(File.ReadAllBytes(path));
        Assert.Equal(flushed, blocks.Count(b => b.Type == PcapNgWriter.EnhancedPacketBlockType));
        Assert.Equal(flushed, Tshark.ReadPackets(path).Count);
    }
}
