using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using CaptureActors.TestSupport;

namespace CaptureActors.IntegrationTests;

/// <summary>
/// <c>diagnostic network arpshow|ndpshow|flush</c> and <c>etherconfig</c> through the real capturectl binary run
/// inside a namespace of the test's own (<c>ip netns exec A capturectl ...</c>, embedded agent, own data directory):
/// every change happens in that namespace, never in the root namespace.
/// </summary>
[Collection(PrivilegedCollection.Name)]
public sealed partial class NeighbourEtherconfigTests : IDisposable
{
    private readonly TempDirectory _data = new("ca-ether-");
    private NamespacePair? _pair;

    private NamespacePair Pair => _pair ??= new NamespacePair();

    public void Dispose()
    {
        _pair?.Dispose();
        _data.Dispose();
    }

    /// <summary>capturectl inside namespace A with its own data directory.</summary>
    private ProcessResult Ctl(params string[] arguments) =>
        NamespacePair.Exec(Pair.A, [Capturectl.Executable, .. arguments, "--data-dir", _data.Path, "--node-name", "ns-a"]);

    private JsonElement Json(params string[] arguments)
    {
        var result = Ctl([.. arguments, "--json"]);
        try
        {
            return JsonDocument.Parse(result.StandardOutput).RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"no JSON (exit {result.ExitCode}): {result.StandardOutput} {result.StandardError}", e);
        }
    }

    private string LinkOfA(string device) =>
        ProcessRunner.Run("ip", "-n", Pair.A, "-d", "link", "show", "dev", device).EnsureSuccess("ip link show").StandardOutput;

    [PrivilegedFact]
    public void Arpshow_and_ndpshow_list_the_peer_after_traffic_with_its_MAC()
    {
        Pair.ResolveBFromA();
        var mac = Pair.MacB();

        var arp = Json("diagnostic", "network", "arpshow");
        var ndp = Json("diagnostic", "network", "ndpshow");
        var arpText = Ctl("diagnostic", "network", "arpshow");

        var v4 = arp.GetProperty("entries").EnumerateArray().Single(e => e.GetProperty("address").GetString() == Pair.AddressB.ToString());
        Assert.Equal(mac, v4.GetProperty("linkAddress").GetString());
        Assert.Equal(Pair.InterfaceA, v4.GetProperty("interface").GetString());
        Assert.Contains(v4.GetProperty("state").GetString(), new[] { "REACHABLE", "STALE", "DELAY", "PROBE" });
        Assert.Equal("ipv4", arp.GetProperty("family").GetString());
        var v6 = ndp.GetProperty("entries").EnumerateArray().Single(e => e.GetProperty("address").GetString() == Pair.Address6B.ToString());
        Assert.Equal(mac, v6.GetProperty("linkAddress").GetString());
        Assert.False(v6.GetProperty("isRouter").GetBoolean());
        Assert.DoesNotContain(arp.GetProperty("entries").EnumerateArray(), e => e.GetProperty("address").GetString()!.Contains(':'));
        Assert.True(arpText.ExitCode == 0, arpText.StandardError);
        Assert.Contains(Pair.AddressB.ToString(), arpText.StandardOutput);
        Assert.Contains(mac, arpText.StandardOutput);
    }

    [PrivilegedFact]
    public void Flush_with_yes_empties_the_namespaces_neighbour_caches_and_without_it_changes_nothing()
    {
        Pair.ResolveBFromA();

        var refused = Ctl("diagnostic", "network", "flush");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("flush changes the node: add --yes", refused.StandardError);
        Assert.Contains(Pair.AddressB.ToString(), NeighboursOfA("-4"));

        var flush = Json("diagnostic", "network", "flush", "--yes");

        Assert.True(flush.GetProperty("ipv4Removed").GetInt32() >= 1, flush.ToString());
        Assert.True(flush.GetProperty("ipv6Removed").GetInt32() >= 1, flush.ToString());
        Assert.DoesNotContain(Pair.AddressB.ToString(), NeighboursOfA("-4"));
        Assert.DoesNotContain(Pair.Address6B.ToString(), NeighboursOfA("-6"));
        var after = Json("diagnostic", "network", "arpshow");
        Assert.DoesNotContain(after.GetProperty("entries").EnumerateArray(), e => e.GetProperty("address").GetString() == Pair.AddressB.ToString());
    }

    [PrivilegedFact]
    public void Flush_text_reports_each_cache()
    {
        Pair.ResolveBFromA();

        var flush = Ctl("diagnostic", "network", "flush", "--yes");

        Assert.True(flush.ExitCode == 0, flush.StandardError);
        Assert.Matches(@"arp cache: [1-9]\d* entr(y|ies) removed", flush.StandardOutput);
        Assert.Matches(@"ndp cache: [1-9]\d* entr(y|ies) removed", flush.StandardOutput);
        Assert.Contains("dns cache:", flush.StandardOutput);
    }

    [PrivilegedFact]
    public void Mtu_set_with_yes_changes_the_MTU_in_the_namespace_and_the_views_show_it()
    {
        var change = Ctl("etherconfig", "mtu", "set", Pair.InterfaceA, "1400", "--yes");

        Assert.True(change.ExitCode == 0, change.StandardOutput + change.StandardError);
        Assert.Contains($"{Pair.InterfaceA}: mtu 1500 -> 1400", change.StandardOutput);
        Assert.Contains("mtu 1400 ", LinkOfA(Pair.InterfaceA));
        var mtu = Json("etherconfig", "mtu").GetProperty("interfaces").EnumerateArray()
            .Single(i => i.GetProperty("name").GetString() == Pair.InterfaceA);
        Assert.Equal(1400, mtu.GetProperty("mtu").GetInt32());
        Assert.Equal("veth", mtu.GetProperty("kind").GetString());
        Assert.Equal(68, mtu.GetProperty("minMtu").GetInt32());
        var text = Ctl("etherconfig", "mtu");
        Assert.Matches($@"{Pair.InterfaceA}\s*│\s*veth\s*│\s*1400", text.StandardOutput);
    }

    [PrivilegedFact]
    public void Media_multicast_and_loopback_views_describe_the_namespaces_veth_and_lo()
    {
        var media = Json("etherconfig", "media").GetProperty("interfaces").EnumerateArray()
            .Single(i => i.GetProperty("name").GetString() == Pair.InterfaceA).GetProperty("media");
        var multicast = Json("etherconfig", "multicast").GetProperty("interfaces").EnumerateArray()
            .Single(i => i.GetProperty("name").GetString() == Pair.InterfaceA).GetProperty("multicast");
        var loopback = Json("etherconfig", "loopback").GetProperty("interfaces").EnumerateArray().ToList();
        var mediaText = Ctl("etherconfig", "media");

        Assert.Equal("veth", media.GetProperty("driver").GetString());
        Assert.True(media.GetProperty("linkDetected").GetBoolean());
        Assert.True(multicast.GetProperty("multicast").GetBoolean());
        Assert.Equal(
            int.Parse(NamespacePair.Exec(Pair.A, "cat", $"/proc/sys/net/ipv4/conf/{Pair.InterfaceA}/arp_ignore").StandardOutput.Trim(), System.Globalization.CultureInfo.InvariantCulture),
            multicast.GetProperty("arpIgnore").GetInt32());
        var lo = Assert.Single(loopback);
        Assert.Equal("lo", lo.GetProperty("name").GetString());
        Assert.Contains("127.0.0.1/8", lo.GetProperty("addresses").EnumerateArray().Select(a => a.GetString()));
        Assert.True(mediaText.ExitCode == 0, mediaText.StandardError);
        Assert.Matches($@"{Pair.InterfaceA}\s*│\s*veth", mediaText.StandardOutput);
    }

    [PrivilegedFact]
    public void Changes_without_yes_or_out_of_range_are_usage_errors_and_change_nothing()
    {
        var noYes = Ctl("etherconfig", "mtu", "set", Pair.InterfaceA, "1400");
        var lowMtu = Ctl("etherconfig", "mtu", "set", Pair.InterfaceA, "20", "--yes");
        var badVlan = Ctl("etherconfig", "vlan", "add", Pair.InterfaceA, "4095", "--yes");
        var noYesVlan = Ctl("etherconfig", "vlan", "remove", $"{Pair.InterfaceA}.7");

        Assert.Equal(2, noYes.ExitCode);
        Assert.Contains("mtu set changes the node: add --yes", noYes.StandardError);
        Assert.Equal(2, lowMtu.ExitCode);
        Assert.Contains("MTU 20 is out of range: allowed 68..65535", lowMtu.StandardError);
        Assert.Equal(2, badVlan.ExitCode);
        Assert.Contains("VLAN id 4095 is out of range: allowed 1..4094", badVlan.StandardError);
        Assert.Equal(2, noYesVlan.ExitCode);
        Assert.Contains("add --yes", noYesVlan.StandardError);
        Assert.Contains("mtu 1500 ", LinkOfA(Pair.InterfaceA));
    }

    [PrivilegedFact]
    public void An_unknown_interface_fails_with_the_valid_ones_and_loopback_is_refused()
    {
        var unknown = Ctl("etherconfig", "mtu", "set", "ca-nosuch0", "1400", "--yes");
        var loopback = Ctl("etherconfig", "mtu", "set", "lo", "1500", "--yes");
        var loopbackJson = Json("etherconfig", "mtu", "set", "lo", "1500", "--yes");

        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("no interface 'ca-nosuch0'", unknown.StandardError);
        Assert.Contains(Pair.InterfaceA, unknown.StandardError);
        Assert.Equal(1, loopback.ExitCode);
        Assert.Contains("refused", loopback.StandardError);
        Assert.Equal("refused", loopbackJson.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("mtu 65536", LinkOfA("lo"));
    }

    [PrivilegedFact]
    public void Vlan_add_and_remove_take_effect_in_the_namespace_or_say_the_kernel_has_no_VLAN_support()
    {
        var probe = ProcessRunner.Run("ip", "-n", Pair.B, "link", "add", "link", Pair.InterfaceB, "name", "vprobe", "type", "vlan", "id", "9");
        var kernelHasVlans = probe.ExitCode == 0;

        var add = Ctl("etherconfig", "vlan", "add", Pair.InterfaceA, "100", "--yes");

        if (!kernelHasVlans)
        {
            Assert.Contains("Unknown device type", probe.StandardError);
            Assert.Equal(1, add.ExitCode);
            Assert.Contains("no 802.1Q VLAN support", add.StandardError);
            Assert.DoesNotContain($"{Pair.InterfaceA}.100", ProcessRunner.Run("ip", "-n", Pair.A, "link").StandardOutput);
            return;
        }

        var vlanName = $"{Pair.InterfaceA}.100";
        Assert.True(add.ExitCode == 0, add.StandardError);
        Assert.Contains("vlan protocol 802.1Q id 100", LinkOfA(vlanName));
        var vlan = Json("etherconfig", "vlan").GetProperty("interfaces").EnumerateArray().Single();
        Assert.Equal(vlanName, vlan.GetProperty("name").GetString());
        Assert.Equal(Pair.InterfaceA, vlan.GetProperty("vlan").GetProperty("parent").GetString());
        Assert.Equal(100, vlan.GetProperty("vlan").GetProperty("vlanId").GetInt32());
        var notVlan = Ctl("etherconfig", "vlan", "remove", Pair.InterfaceA, "--yes");
        Assert.Equal(1, notVlan.ExitCode);
        Assert.Contains("is not a VLAN interface", notVlan.StandardError);

        var remove = Ctl("etherconfig", "vlan", "remove", vlanName, "--yes");

        Assert.True(remove.ExitCode == 0, remove.StandardError);
        Assert.DoesNotContain(vlanName, ProcessRunner.Run("ip", "-n", Pair.A, "link").StandardOutput);
    }

    [PrivilegedFact]
    public void A_remote_agent_refuses_to_change_the_interface_its_own_link_uses()
    {
        var agentData = Path.Combine(_data.Path, "agent");
        using var agent = new RunningCommand("ip", ["netns", "exec", Pair.A, CaptureAgentProcess.Executable,
            "--name", "ns-agent", "--listen", $"{Pair.AddressA}:0", "--data-dir", agentData]);
        var port = WaitForPort(agent);
        var node = $"ns-agent={Pair.AddressA}:{port}";

        var refused = NamespacePair.Exec(Pair.A, Capturectl.Executable, "etherconfig", "mtu", "set", Pair.InterfaceA, "1400", "--yes", "--node", node);
        var view = NamespacePair.Exec(Pair.A, Capturectl.Executable, "etherconfig", "mtu", "--node", node);

        Assert.True(refused.ExitCode == 1, refused.StandardOutput + refused.StandardError);
        Assert.Contains("refused", refused.StandardError);
        Assert.Contains(Pair.AddressA.ToString(), refused.StandardError);
        Assert.Contains("mtu 1500 ", LinkOfA(Pair.InterfaceA));
        Assert.True(view.ExitCode == 0, view.StandardError);
        Assert.Contains(Pair.InterfaceA, view.StandardOutput);
    }

    [Fact]
    public void Views_on_all_nodes_show_each_agents_interfaces_side_by_side()
    {
        using var cluster = new AgentCluster("ca-ether-all-");
        cluster.Start(2);

        var json = cluster.Ctl("etherconfig", "loopback", "--all", "--json");
        var arp = cluster.Ctl("diagnostic", "network", "arpshow", "--all");

        Assert.True(json.ExitCode == 0, json.StandardOutput + json.StandardError);
        var nodes = JsonDocument.Parse(json.StandardOutput).RootElement.GetProperty("nodes").EnumerateArray().ToList();
        Assert.Equal([AgentCluster.Node(0), AgentCluster.Node(1)], nodes.Select(n => n.GetProperty("node").GetString()).Order());
        Assert.All(nodes, n => Assert.Contains(
            n.GetProperty("result").GetProperty("interfaces").EnumerateArray(), i => i.GetProperty("name").GetString() == "lo"));
        Assert.True(arp.ExitCode == 0, arp.StandardError);
        Assert.Contains(AgentCluster.Node(1), arp.StandardOutput);
    }

    [GeneratedRegex(@"listening on akka\.tcp://capture-agent@[0-9.]+:(?<port>\d+)/user/agent")]
    private static partial Regex Listening();

    private static int WaitForPort(RunningCommand agent)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < CaptureAgentProcess.StartupTimeout)
        {
            if (Listening().Match(agent.StandardOutput) is { Success: true } match)
            {
                return int.Parse(match.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture);
            }

            Thread.Sleep(50);
        }

        throw new TimeoutException($"the agent in the namespace did not start: {agent.StandardOutput} {agent.StandardError}");
    }

    private string NeighboursOfA(string family) =>
        ProcessRunner.Run("ip", "-n", Pair.A, family, "neigh", "show").EnsureSuccess("ip neigh show").StandardOutput;
}
