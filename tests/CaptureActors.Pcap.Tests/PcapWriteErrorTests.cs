using CaptureActors.TestSupport;

namespace CaptureActors.Pcap.Tests;

[Collection(PrivilegedCollection.Name)]
public sealed class PcapWriteErrorTests
{
    [PrivilegedFact]
    public void A_full_disk_truncates_to_the_last_whole_record_and_throws_with_the_os_message()
    {
        Privilege.Require();
        using var tmpfs = new TmpfsMount(256 * 1024);
        string path = tmpfs.File("full.pcap");
        byte[] frame = Frames.Udp(1000);
        PcapFileWriter writer = PcapFileWriter.Create(path, PcapFormat.LinkTypeEthernet, 65535, bufferBytes: 10_000);
        PcapWriteException? error = null;
        int written = 0;
        for (int i = 0; i < 1000 && error is null; i++)
        {
            try
            {
                writer.Write(1_700_000_000, i, frame, frame.Length);
                written++;
            }
            catch (PcapWriteException e)
            {
                error = e;
            }
        }

        Assert.NotNull(error);
        Assert.Contains("No space left on device", error.Message, StringComparison.Ordinal);
        Assert.True(writer.IsFaulted);
        Assert.Throws<InvalidOperationException>(() => writer.Write(1, 0, frame, frame.Length));
        long flushedPackets = writer.FlushedPackets;
        writer.Dispose();

        Assert.True(flushedPackets > 100 && flushedPackets < written, $"{flushedPackets} flushed of {written}");
        Assert.Equal(24 + (flushedPackets * (16 + frame.Length)), new FileInfo(path).Length);
        PcapFileSummary summary = PcapFileReader.Summarize(path);
        Assert.False(summary.TruncatedTail);
        Assert.Equal(flushedPackets, summary.Packets);
        CaptureReadResult tcpdump = Tcpdump.ReadPackets(path);
        Assert.True(tcpdump.ExitCode == 0, tcpdump.StandardError);
        Assert.Equal(flushedPackets, tcpdump.Count);
    }
}
