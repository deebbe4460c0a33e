using CaptureActors.Probes.Netstat;
using CaptureActors.Protocol;

namespace CaptureActors.Probes.Tests.Netstat;

public sealed class RouteTableParserTests
{
    private const string IPv4 =
        "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n" +
        "eth0\t00000000\t010200C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n" +
        "eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n" +
        "cat1h\t0C0012C6\t00000000\t0001\t0\t0\t0\tFCFFFFFF\t0\t0\t0\n" +
        "eth0\t050012C6\t010200C0\t0007\t0\t0\t0\tFFFFFFFF\t0\t0\t0\n" +
        "*\t0000000A\t00000000\t0201\t0\t0\t0\t000000FF\t0\t0\t0\n" +
        "eth0\tnothex\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n";

    private const string IPv6 = """
        fd000000000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth0
        00000000000000000000000000000000 00 00000000000000000000000000000000 00 fd000000000000000000000000000001 00000400 00000002 00000000 00000003     eth0
        00000000000000000000000000000001 80 00000000000000000000000000000000 00 00000000000000000000000000000000 00000000 00000002 00000000 80200001       lo
        00000000000000000000000000000000 00 00000000000000000000000000000000 00 00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo
        20010db8000000000000000000000000 30 00000000000000000000000000000000 00 fe800000000000000000000000000001 00000400 00000000 00000000 00440003     eth0
        short line
        """;

    [Fact]
    public void IPv4_routes_read_with_prefix_gateway_flags_metric_and_interface()
    {
        var routes = RouteTableParser.ParseIPv4(IPv4);

        Assert.Equal(
            [
                new RouteEntry("IPv4", "default", "192.0.2.1", "UG", "eth0", 100),
                new RouteEntry("IPv4", "192.0.2.0/24", "*", "U", "eth0", 0),
                new RouteEntry("IPv4", "198.18.0.12/30", "*", "U", "cat1h", 0),
                new RouteEntry("IPv4", "198.18.0.5/32", "192.0.2.1", "UGH", "eth0", 0),
                new RouteEntry("IPv4", "10.0.0.0/8", "*", "U!", "", 0),
            ],
            routes);
    }

    [Fact]
    public void IPv6_routes_read_with_prefix_next_hop_flags_metric_and_interface()
    {
        var routes = RouteTableParser.ParseIPv6(IPv6);

        Assert.Equal(
            [
                new RouteEntry("IPv6", "fd00::/64", "*", "U", "eth0", 256),
                new RouteEntry("IPv6", "default", "fd00::1", "UG", "eth0", 1024),
                new RouteEntry("IPv6", "::1/128", "*", "Un", "lo", 0),
                new RouteEntry("IPv6", "default", "*", "!n", "lo", 4294967295),
                new RouteEntry("IPv6", "2001:db8::/48", "fe80::1", "UGAe", "eth0", 1024),
            ],
            routes);
    }

    [Theory]
    [InlineData(0x0001u, "U")]
    [InlineData(0x0003u, "UG")]
    [InlineData(0x0005u, "UH")]
    [InlineData(0x0019u, "URD")]
    [InlineData(0x0221u, "U!M")]
    public void IPv4_flags_are_net_tools_letters(uint flags, string letters)
    {
        Assert.Equal(letters, RouteTableParser.FlagsIPv4(flags));
    }

    [Theory]
    [InlineData(0x00010003u, "UGD")]
    [InlineData(0x01000001u, "UC")]
    [InlineData(0x00000000u, "")]
    public void IPv6_flags_are_net_tools_letters(uint flags, string letters)
    {
        Assert.Equal(letters, RouteTableParser.FlagsIPv6(flags));
    }
}
