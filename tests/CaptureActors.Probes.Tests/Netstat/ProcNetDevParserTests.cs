using CaptureActors.Probes.Netstat;

namespace CaptureActors.Probes.Tests.Netstat;

public sealed class ProcNetDevParserTests
{
    private const string Fixture = """
        Inter-|   Receive                                                |  Transmit
         face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
            lo: 58944855145 18561838    0    0    0     0          0         0 58944855145 18561838    0    0    0     0       0          0
          eth0: 192289973    5338    1    2    0     0          0         0   356732    3827    3    4    0     5       0          0
        cat1a2b3ch:    1234      17    0    9    0     0          0         3     5678      21    0    0    0     0       0          0
        broken: 12 13
        """;

    [Fact]
    public void Every_interface_line_reads_into_its_counters()
    {
        var devices = ProcNetDevParser.Parse(Fixture);

        Assert.Equal(["lo", "eth0", "cat1a2b3ch"], devices.Select(d => d.Name));
        Assert.Equal(new DeviceCounters("eth0", 192289973, 5338, 1, 2, 356732, 3827, 3, 4, 5), devices[1]);
        Assert.Equal(58944855145, devices[0].ReceiveBytes);
        Assert.Equal(9, devices[2].ReceiveDrops);
    }

    [Theory]
    [InlineData("Inter-|   Receive                                                |  Transmit")]
    [InlineData(" face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed")]
    [InlineData("eth0: 1 2 3")]
    [InlineData("eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 x")]
    [InlineData(": 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16")]
    [InlineData("")]
    public void Headers_and_malformed_lines_are_skipped(string line)
    {
        Assert.False(ProcNetDevParser.TryParseLine(line, out _));
    }
}
