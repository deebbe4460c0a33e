using System.Net;
using CaptureActors.Protocol;
using CaptureActors.TestSupport;

namespace CaptureActors.Probes.Tests.Etherconfig;

/// <summary>
/// The checks etherconfig makes before a change, against a stand-in <c>ip</c> (a script printing fixture JSON and
/// recording every change it is asked for): device MTU limits, protection of the agent's link, VLAN rules.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class EtherconfigChangeTests : IDisposable
{
    private const string Links = """
        [{"ifname":"lo","flags":["LOOPBACK","UP"],"mtu":65536,"operstate":"UNKNOWN","link_type":"loopback","min_mtu":0,"max_mtu":0,
          "addr_info":[{"local":"127.0.0.1","prefixlen":8}]},
         {"ifname":"eth0","flags":["BROADCAST","MULTICAST","UP"],"mtu":1500,"operstate":"UP","link_type":"ether","min_mtu":576,"max_mtu":9000,
          "addr_info":[{"local":"192.0.2.7","prefixlen":24}]},
         {"ifname":"eth1","flags":["BROADCAST","MULTICAST","UP"],"mtu":1500,"operstate":"UP","link_type":"ether","min_mtu":68,"max_mtu":9216,
          "addr_info":[{"local":"198.18.3.1","prefixlen":30}]},
         {"link":"eth1","ifname":"eth1.20","flags":["BROADCAST","MULTICAST","UP"],"mtu":1500,"operstate":"UP","link_type":"ether",
          "linkinfo":{"info_kind":"vlan","info_data":{"protocol":"802.1Q","id":20}},"addr_info":[{"local":"198.18.3.5","prefixlen":30}]}]
        """;

    private readonly TempDirectory _directory = new("ca-fake-ip-");

    public EtherconfigChangeTests()
    {
        File.WriteAllText(_directory.File("links.json"), Links);
        var script = $"""
            #!/bin/sh
            if [ "$1" = "-j" ]; then cat '{_directory.File("links.json")}'; exit 0; fi
            echo "$@" >> '{_directory.File("calls.txt")}'
            """;
        File.WriteAllText(_directory.File("ip"), script.ReplaceLineEndings("\n"));
        File.SetUnixFileMode(_directory.File("ip"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public void Dispose() => _directory.Dispose();

    private IReadOnlyList<string> Calls =>
        File.Exists(_directory.File("calls.txt")) ? File.ReadAllLines(_directory.File("calls.txt")) : [];

    private Task<IProbeResult> RunAsync(IProbeCommand command, params IPAddress[] agentLink) =>
        new ProbeCatalog(new ProbeEnvironment { IpCommand = _directory.File("ip"), AgentLinkAddresses = agentLink })
            .RunAsync(command, new ProbeContext(_ => { }, CancellationToken.None));

    private async Task<ProbeException> FailsAsync(IProbeCommand command, params IPAddress[] agentLink) =>
        await Assert.ThrowsAsync<ProbeException>(() => RunAsync(command, agentLink));

    [Theory]
    [InlineData(575)]
    [InlineData(9001)]
    public async Task An_MTU_outside_the_devices_limits_is_refused_with_its_range(int mtu)
    {
        var e = await FailsAsync(new SetMtu("t", "eth0", mtu));

        Assert.Equal(ErrorCode.InvalidArgument, e.Code);
        Assert.Contains("eth0 accepts (576..9000)", e.Message);
        Assert.Empty(Calls);
    }

    [Fact]
    public async Task An_MTU_within_the_limits_is_set_with_ip_link()
    {
        var result = Assert.IsType<EtherconfigChanged>(await RunAsync(new SetMtu("t", "eth0", 9000)));

        Assert.Equal("eth0", result.Interface);
        Assert.Equal(["link set dev eth0 mtu 9000"], Calls);
    }

    [Fact]
    public async Task The_interface_of_the_agents_link_and_its_VLANs_parent_are_refused_but_other_interfaces_are_not()
    {
        var own = await FailsAsync(new SetMtu("t", "eth0", 1400), IPAddress.Parse("192.0.2.7"));
        var other = await RunAsync(new SetMtu("t", "eth1", 1400), IPAddress.Parse("192.0.2.7"));

        Assert.Equal(ErrorCode.Refused, own.Code);
        Assert.Contains("192.0.2.7", own.Message);
        Assert.IsType<EtherconfigChanged>(other);
        Assert.Equal(["link set dev eth1 mtu 1400"], Calls);
    }

    [Fact]
    public async Task An_MTU_change_on_loopback_is_refused_even_without_an_agent_link()
    {
        var e = await FailsAsync(new SetMtu("t", "lo", 1500));

        Assert.Equal(ErrorCode.Refused, e.Code);
        Assert.Contains("loopback", e.Message);
        Assert.Empty(Calls);
    }

    [Fact]
    public async Task An_unknown_interface_lists_the_valid_ones()
    {
        var e = await FailsAsync(new SetMtu("t", "eth9", 1400));

        Assert.Equal(ErrorCode.UnknownInterface, e.Code);
        Assert.Contains("no interface 'eth9' on this node; interfaces: eth0, eth1, eth1.20, lo", e.Message);
    }

    [Fact]
    public async Task Vlan_add_makes_IF_dot_ID_and_refuses_duplicates_loopback_and_bad_ids()
    {
        var added = Assert.IsType<EtherconfigChanged>(await RunAsync(new AddVlan("t", "eth0", 100), IPAddress.Parse("192.0.2.7")));
        var duplicate = await FailsAsync(new AddVlan("t", "eth1", 20));
        var onLoopback = await FailsAsync(new AddVlan("t", "lo", 5));
        var badId = await FailsAsync(new AddVlan("t", "eth0", 4095));

        Assert.Equal("eth0.100", added.Interface);
        Assert.Equal(["link add link eth0 name eth0.100 type vlan id 100"], Calls);
        Assert.Contains("eth1.20 already exists (VLAN 20 on eth1)", duplicate.Message);
        Assert.Contains("loopback", onLoopback.Message);
        Assert.Contains("1..4094", badId.Message);
    }

    [Fact]
    public async Task Vlan_remove_deletes_only_VLAN_interfaces_and_not_the_agents_own()
    {
        var notVlan = await FailsAsync(new RemoveVlan("t", "eth1"));
        var own = await FailsAsync(new RemoveVlan("t", "eth1.20"), IPAddress.Parse("198.18.3.5"));
        var parent = await FailsAsync(new SetMtu("t", "eth1", 1400), IPAddress.Parse("198.18.3.5"));
        var removed = Assert.IsType<EtherconfigChanged>(await RunAsync(new RemoveVlan("t", "eth1.20")));

        Assert.Equal(ErrorCode.InvalidArgument, notVlan.Code);
        Assert.Contains("VLAN interfaces: eth1.20", notVlan.Message);
        Assert.Equal(ErrorCode.Refused, own.Code);
        Assert.Equal(ErrorCode.Refused, parent.Code);
        Assert.Contains("parent of eth1.20", parent.Message);
        Assert.Equal("VLAN 20 removed from eth1", removed.Change);
        Assert.Equal(["link del dev eth1.20"], Calls);
    }
}
