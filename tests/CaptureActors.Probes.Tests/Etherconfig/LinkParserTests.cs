using System.Net;
using CaptureActors.Probes.Etherconfig;
using CaptureActors.Protocol;

namespace CaptureActors.Probes.Tests.Etherconfig;

/// <summary><c>ip -j -d addr show</c> as iproute2 6.1 prints it (trimmed), and which interfaces the agent's link protects.</summary>
public sealed class LinkParserTests
{
    private const string Links = """
        [{"ifindex":1,"ifname":"lo","flags":["LOOPBACK","UP","LOWER_UP"],"mtu":65536,"operstate":"UNKNOWN","link_type":"loopback",
          "min_mtu":0,"max_mtu":0,"addr_info":[{"family":"inet","local":"127.0.0.1","prefixlen":8},{"family":"inet6","local":"::1","prefixlen":128}]},
         {"ifindex":2,"ifname":"eth0","flags":["BROADCAST","MULTICAST","ALLMULTI","UP","LOWER_UP"],"mtu":1500,"operstate":"UP","link_type":"ether",
          "min_mtu":68,"max_mtu":9000,"addr_info":[{"family":"inet","local":"192.0.2.7","prefixlen":24}]},
         {"ifindex":3,"link":"eth0","ifname":"eth0.100","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1496,"operstate":"UP","link_type":"ether",
          "min_mtu":0,"max_mtu":65535,"linkinfo":{"info_kind":"vlan","info_data":{"protocol":"802.1Q","id":100,"flags":["REORDER_HDR"]}},
          "addr_info":[{"family":"inet","local":"198.18.9.1","prefixlen":30},{"family":"inet6","local":"fd00:9::1","prefixlen":64}]},
         {"ifindex":4,"link_index":7,"link_netnsid":0,"ifname":"veth1","flags":["BROADCAST","MULTICAST","M-DOWN"],"mtu":1500,"operstate":"DOWN",
          "link_type":"ether","min_mtu":68,"max_mtu":65535,"linkinfo":{"info_kind":"veth"},"addr_info":[]}]
        """;

    [Fact]
    public void Interfaces_carry_kind_state_mtu_limits_flags_and_addresses()
    {
        var links = LinkParser.Parse(Links);

        Assert.Equal(["lo", "eth0", "eth0.100", "veth1"], links.Select(l => l.Name));
        var lo = links[0];
        Assert.True(lo.IsLoopback);
        Assert.Null(lo.MinMtu);
        Assert.Null(lo.MaxMtu);
        Assert.Equal(65536, lo.Mtu);
        Assert.Equal(["127.0.0.1/8", "::1/128"], lo.Addresses);
        var eth0 = links[1];
        Assert.Null(eth0.InfoKind);
        Assert.Equal((68, 9000), (eth0.MinMtu, eth0.MaxMtu));
        Assert.True(eth0.HasFlag("ALLMULTI"));
        Assert.Equal("UP", eth0.State);
        Assert.Equal("veth", links[3].InfoKind);
        Assert.Equal("DOWN", links[3].State);
        Assert.Empty(links[3].Addresses);
    }

    [Fact]
    public void A_VLAN_interface_has_its_parent_and_id()
    {
        var vlan = LinkParser.Parse(Links)[2];

        Assert.True(vlan.IsVlan);
        Assert.Equal(new VlanLink("eth0", 100), vlan.Vlan);
        Assert.Null(vlan.MinMtu);
        Assert.Equal(1496, vlan.Mtu);
        Assert.Equal([IPAddress.Parse("198.18.9.1"), IPAddress.Parse("fd00:9::1")], vlan.IpAddresses);
    }

    [Fact]
    public void Only_loopback_is_protected_without_an_agent_link()
    {
        var guarded = AgentLink.Protected(LinkParser.Parse(Links), []);

        Assert.Equal(["lo"], guarded.Keys);
    }

    [Fact]
    public void The_interface_holding_the_agents_address_and_its_VLAN_parent_are_protected()
    {
        var guarded = AgentLink.Protected(LinkParser.Parse(Links), [IPAddress.Parse("fd00:9::1")]);

        Assert.Equal(["eth0", "eth0.100", "lo"], guarded.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("fd00:9::1", guarded["eth0.100"]);
        Assert.Contains("parent of eth0.100", guarded["eth0"]);
        Assert.DoesNotContain("veth1", guarded.Keys);
    }

    [Fact]
    public void A_wildcard_IPv4_listener_protects_every_interface_with_an_IPv4_address()
    {
        var guarded = AgentLink.Protected(LinkParser.Parse(Links), [IPAddress.Any]);

        Assert.Equal(["eth0", "eth0.100", "lo"], guarded.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("every address", guarded["eth0"]);
    }

    [Fact]
    public void An_address_no_interface_holds_protects_nothing_more()
    {
        var guarded = AgentLink.Protected(LinkParser.Parse(Links), [IPAddress.Parse("203.0.113.5")]);

        Assert.Equal(["lo"], guarded.Keys);
    }

    [Fact]
    public void Ethtool_queries_of_a_missing_interface_answer_null()
    {
        Assert.Null(EthtoolIoctl.AutoNegotiation("ca-nosuch0"));
        Assert.Null(EthtoolIoctl.Driver("ca-nosuch0"));
        Assert.Null(EthtoolIoctl.Driver("a-name-longer-than-ifnamsiz"));
    }
}
