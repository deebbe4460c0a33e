using System.Text.Json;
using CaptureActors.Protocol;

namespace CaptureActors.Console.Tests;

/// <summary>arpshow/ndpshow/flush and etherconfig against a fake agent: what is sent, what is shown, what is refused before sending.</summary>
public sealed class NeighbourEtherconfigCommandTests : CapturectlTest
{
    private static readonly EtherInterface Lo = new(
        "lo", "loopback", "UNKNOWN", 65536, null, null,
        new EtherMedia(null, null, null, true, null), null, ["127.0.0.1/8", "::1/128"], new EtherMulticast(false, false, 0, 0, 0));

    private static readonly EtherInterface Vlan = new(
        "eth0.100", "vlan", "UP", 1496, null, 65535,
        new EtherMedia(1000, "full", true, true, "802.1Q VLAN Driver"), new VlanLink("eth0", 100), ["192.0.2.7/24"], new EtherMulticast(true, true, 1, null, 2));

    [Fact]
    public async Task Ndpshow_asks_for_IPv6_and_shows_the_router_flag()
    {
        Respond(m => m is ShowNeighbours s
            ? new NeighbourReport(s.ProbeId, s.Family, [new NeighbourEntry("fd00:4::1", "02:00:00:00:00:01", "eth0", "REACHABLE", true)])
            : null);

        var result = await Run("diagnostic", "network", "ndpshow");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(NeighbourFamily.Ipv6, Assert.Single(ReceivedOf<ShowNeighbours>()).Family);
        Assert.Contains("ROUTER", result.Out);
        Assert.Matches(@"fd00:4::1\s*│\s*02:00:00:00:00:01\s*│\s*eth0\s*│\s*REACHABLE\s*│\s*yes", result.Out);
    }

    [Fact]
    public async Task Flush_without_yes_sends_nothing_and_with_yes_reports_each_cache()
    {
        Respond(m => m is FlushCaches f ? new FlushReport(f.ProbeId, 3, 1, 1, 0, true) : null);

        var refused = await Run("diagnostic", "network", "flush");
        var flushed = await Run("diagnostic", "network", "flush", "--yes");

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("flush changes the node: add --yes", refused.Error);
        Assert.Single(ReceivedOf<FlushCaches>());
        Assert.Equal(0, flushed.ExitCode);
        Assert.Contains("arp cache: 3 entries removed, 1 kept (permanent or no-ARP)", flushed.Out);
        Assert.Contains("ndp cache: 1 entry removed", flushed.Out);
        Assert.Contains("dns cache: flushed", flushed.Out);
    }

    [Fact]
    public async Task Media_shows_na_for_what_a_device_does_not_report()
    {
        Respond(m => m is ShowEtherconfig s ? new EtherconfigReport(s.ProbeId, s.View, [Lo, Vlan]) : null);

        var result = await Run("etherconfig", "media");

        Assert.Equal(EtherconfigView.Media, Assert.Single(ReceivedOf<ShowEtherconfig>()).View);
        Assert.Matches(@"lo\s*│\s*loopback\s*│\s*UNKNOWN\s*│\s*n/a\s*│\s*n/a\s*│\s*n/a\s*│\s*yes\s*│\s*n/a", result.Out);
        Assert.Matches(@"eth0\.100\s*│\s*vlan\s*│\s*UP\s*│\s*1000Mb/s\s*│\s*full\s*│\s*on\s*│\s*yes\s*│\s*802\.1Q VLAN Driver", result.Out);
    }

    [Fact]
    public async Task Vlan_view_shows_parent_and_id_and_json_carries_everything()
    {
        Respond(m => m is ShowEtherconfig s ? new EtherconfigReport(s.ProbeId, s.View, [Vlan]) : null);

        var text = await Run("etherconfig", "vlan");
        var json = await Run("etherconfig", "vlan", "--json");

        Assert.Matches(@"eth0\.100\s*│\s*eth0\s*│\s*100\s*│\s*UP\s*│\s*1496\s*│\s*192\.0\.2\.7/24", text.Out);
        var row = JsonDocument.Parse(json.Out).RootElement.GetProperty("interfaces")[0];
        Assert.Equal(100, row.GetProperty("vlan").GetProperty("vlanId").GetInt32());
        Assert.Equal(2, row.GetProperty("multicast").GetProperty("arpIgnore").GetInt32());
    }

    [Theory]
    [InlineData("etherconfig mtu set eth0 67 --yes", "MTU 67 is out of range: allowed 68..65535")]
    [InlineData("etherconfig mtu set eth0 65536 --yes", "MTU 65536 is out of range: allowed 68..65535")]
    [InlineData("etherconfig mtu set eth0 1400", "mtu set changes the node: add --yes")]
    [InlineData("etherconfig vlan add eth0 0 --yes", "VLAN id 0 is out of range: allowed 1..4094")]
    [InlineData("etherconfig vlan add eth0 100", "vlan add changes the node: add --yes")]
    [InlineData("etherconfig vlan remove eth0.100", "vlan remove changes the node: add --yes")]
    [InlineData("etherconfig mtu set ../x 1400 --yes", "'../x' is not an interface name")]
    public async Task Bad_changes_are_usage_errors_and_nothing_is_sent(string commandLine, string message)
    {
        var result = await Run(commandLine.Split(' '));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error);
        Assert.Empty(Received);
    }

    [Fact]
    public async Task A_refusal_from_the_node_is_exit_1_with_its_message()
    {
        Respond(m => m is SetMtu s ? new ProbeFailed(s.ProbeId, ErrorCode.Refused, "refused: changing the MTU of eth0 could cut this node off") : null);

        var result = await Run("etherconfig", "mtu", "set", "eth0", "1400", "--yes");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("could cut this node off", result.Error);
        var sent = Assert.Single(ReceivedOf<SetMtu>());
        Assert.Equal(("eth0", 1400), (sent.Interface, sent.Mtu));
    }
}
