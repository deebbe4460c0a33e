using CaptureActors.Console.Rendering;
using CaptureActors.Protocol;

namespace CaptureActors.Console.Tests;

/// <summary>ping's and traceroute's lines, character for character as iputils and traceroute print them.</summary>
public sealed class IcmpRenderingTests
{
    [Theory]
    [InlineData(0.0451, "0.045")]
    [InlineData(1.234, "1.23")]
    [InlineData(12.345, "12.3")]
    [InlineData(123.45, "123")]
    public void Round_trips_get_fewer_decimals_as_they_grow(double ms, string expected)
    {
        Assert.Equal(expected, PingRenderer.Milliseconds(ms));
    }

    [Fact]
    public void Replies_timeouts_and_errors_read_as_ping_prints_them()
    {
        Assert.Equal("64 bytes from 198.18.0.2: icmp_seq=1 ttl=64 time=0.045 ms", PingRenderer.Response(new PingResponse("p", 1, PingOutcome.Reply, "198.18.0.2", 64, 64, 0.045, "")));
        Assert.Equal("64 bytes from fd00::2: icmp_seq=2 time=1.50 ms", PingRenderer.Response(new PingResponse("p", 2, PingOutcome.Reply, "fd00::2", 64, null, 1.5, "")));
        Assert.Equal("Request timeout for icmp_seq 3", PingRenderer.Response(new PingResponse("p", 3, PingOutcome.Timeout, "", 0, null, null, "")));
        Assert.Equal(
            "From 198.18.0.1 icmp_seq=4 Destination Host Unreachable",
            PingRenderer.Response(new PingResponse("p", 4, PingOutcome.Unreachable, "198.18.0.1", 36, 64, null, "Destination Host Unreachable")));
    }

    [Fact]
    public void The_summary_has_iputils_lines_with_errors_and_fractional_loss()
    {
        var summary = new PingSummary("p", "mx", "198.18.0.2", 3, 2, 1, TimeSpan.FromMilliseconds(2004.6), new PingRoundTrips(0.1, 0.2, 0.3, 0.0816), true);

        Assert.Equal(
            ["", "--- mx ping statistics ---", "3 packets transmitted, 2 received, +1 errors, 33.3333% packet loss, time 2004ms", "rtt min/avg/max/mdev = 0.100/0.200/0.300/0.082 ms"],
            PingRenderer.Summary(summary));
    }

    [Fact]
    public void A_hop_names_each_new_address_once_and_marks_silence_and_flags()
    {
        var hop = new TracerouteHop(3, [
            new TracerouteAnswer("198.18.0.1", 0.123, ""),
            new TracerouteAnswer("198.18.0.1", 0.101, ""),
            new TracerouteAnswer("", null, ""),
            new TracerouteAnswer("198.18.0.5", 1.5, "!H"),
        ]);

        Assert.Equal(" 3  198.18.0.1  0.123 ms  0.101 ms  *  198.18.0.5  1.500 ms !H", TracerouteRenderer.Hop(hop));
        Assert.Equal("12  *  *", TracerouteRenderer.Hop(new TracerouteHop(12, [new TracerouteAnswer("", null, ""), new TracerouteAnswer("", null, "")])));
        Assert.Equal(
            " 1  router.test (198.18.0.1)  0.123 ms  *  198.18.0.5 (198.18.0.5)  1.500 ms",
            TracerouteRenderer.Hop(new TracerouteHop(1, [new TracerouteAnswer("198.18.0.1", 0.123, "", "router.test"), new TracerouteAnswer("", null, ""), new TracerouteAnswer("198.18.0.5", 1.5, "", "198.18.0.5")])));
    }
}
