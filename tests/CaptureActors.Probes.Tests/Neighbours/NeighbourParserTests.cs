using CaptureActors.Probes.Iproute;
using CaptureActors.Probes.Neighbours;
using CaptureActors.Protocol;

namespace CaptureActors.Probes.Tests.Neighbours;

/// <summary><c>ip -j neigh show</c> as iproute2 6.1 prints it.</summary>
public sealed class NeighbourParserTests
{
    private const string Table = """
        [{"dst":"198.18.4.2","dev":"veth0","lladdr":"4a:6a:89:03:07:e8","state":["REACHABLE"]},
         {"dst":"192.0.2.1","dev":"eth0","lladdr":"02:fc:00:00:00:05","state":["STALE"]},
         {"dst":"198.18.4.9","dev":"veth0","state":["INCOMPLETE"]},
         {"dst":"fd00:4::1","dev":"veth0","lladdr":"3e:17:19:5e:7f:34","router":null,"state":["DELAY","PROBE"]},
         {"dst":"198.18.4.1","dev":"veth0","lladdr":"02:00:00:00:00:01","state":["PERMANENT"]},
         {"dst":"198.18.4.77","dev":"veth0","proxy":null}]
        """;

    [Fact]
    public void Entries_carry_address_mac_interface_state_and_router_flag()
    {
        var entries = NeighbourParser.Parse(Table);

        Assert.Equal(5, entries.Count);
        Assert.Equal(new NeighbourEntry("198.18.4.2", "4a:6a:89:03:07:e8", "veth0", "REACHABLE", false), entries[0]);
        Assert.Equal(new NeighbourEntry("192.0.2.1", "02:fc:00:00:00:05", "eth0", "STALE", false), entries[1]);
        Assert.Equal(new NeighbourEntry("fd00:4::1", "3e:17:19:5e:7f:34", "veth0", "DELAY,PROBE", true), entries[3]);
        Assert.Equal("PERMANENT", entries[4].State);
    }

    [Fact]
    public void An_unresolved_entry_has_no_mac_and_a_proxy_entry_is_not_listed()
    {
        var entries = NeighbourParser.Parse(Table);

        var incomplete = Assert.Single(entries, e => e.Address == "198.18.4.9");
        Assert.Null(incomplete.LinkAddress);
        Assert.Equal("INCOMPLETE", incomplete.State);
        Assert.DoesNotContain(entries, e => e.Address == "198.18.4.77");
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("  \n")]
    public void An_empty_table_has_no_entries(string json) => Assert.Empty(NeighbourParser.Parse(json));

    [Fact]
    public void A_table_that_is_not_an_array_is_an_internal_error()
    {
        var e = Assert.Throws<ProbeException>(() => NeighbourParser.Parse("""{"dst":"x"}"""));
        Assert.Equal(ErrorCode.Internal, e.Code);
    }

    [Theory]
    [InlineData("Error: Operation not permitted.", ErrorCode.PermissionDenied)]
    [InlineData("Cannot find device \"nosuch0\"", ErrorCode.UnknownInterface)]
    [InlineData("Error: mtu less than device minimum.", ErrorCode.DeviceError)]
    [InlineData("RTNETLINK answers: Invalid argument", ErrorCode.InvalidArgument)]
    public void An_ip_failure_keeps_its_message_and_gets_a_code(string stderr, ErrorCode expected)
    {
        var e = IpTool.Failure("ip link set dev x mtu 1", stderr);

        Assert.Equal(expected, e.Code);
        Assert.StartsWith("'ip link set dev x mtu 1' failed: ", e.Message);
        Assert.DoesNotContain("Error: ", e.Message);
    }
}
