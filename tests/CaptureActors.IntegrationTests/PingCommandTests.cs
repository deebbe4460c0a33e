using System.Diagnostics;
using System.Text.Json;
using CaptureActors.TestSupport;

namespace CaptureActors.IntegrationTests;

/// <summary>
/// ping, traceroute and traceroute6 through the real binary: on the embedded agent, on two real capture-agent
/// processes with --all, and interrupted with SIGINT. Every packet goes to a <see cref="RoutedLab"/> of the test's own.
/// </summary>
[Collection(PrivilegedCollection.Name)]
public sealed class PingCommandTests : IDisposable
{
    private static readonly TimeSpan ExitBound = TimeSpan.FromSeconds(20);

    private readonly TempDirectory _data = new("ca-ping-");
    private readonly AgentCluster _cluster = new("ca-ping-nodes-");
    private readonly Capturectl _ctl;

    public PingCommandTests() => _ctl = new Capturectl(_data.Path);

    public void Dispose()
    {
        _cluster.Dispose();
        _data.Dispose();
    }

    [PrivilegedFact]
    public void Ping_with_a_count_prints_each_reply_and_iputils_summary()
    {
        using var lab = new RoutedLab();
        var target = lab.TargetAddress.ToString();

        var text = _ctl.Run("ping", target, "-c", "3", "-i", "0.2");
        var json = _ctl.Json("ping", target, "-c", "2", "-i", "0.2");

        Assert.True(text.ExitCode == 0, text.StandardOutput + text.StandardError);
        var lines = text.Lines;
        Assert.Equal($"PING {target} ({target}): 56 data bytes", lines[0]);
        for (var seq = 1; seq <= 3; seq++)
        {
            Assert.Matches($@"^64 bytes from {target.Replace(".", @"\.")}: icmp_seq={seq} ttl=63 time=\d+(\.\d+)? ms$", lines[seq]);
        }

        Assert.Equal($"--- {target} ping statistics ---", lines[4]);
        Assert.Matches(@"^3 packets transmitted, 3 received, 0% packet loss, time \d+ms$", lines[5]);
        Assert.Matches(@"^rtt min/avg/max/mdev = [\d.]+/[\d.]+/[\d.]+/[\d.]+ ms$", lines[6]);
        Assert.DoesNotContain("Press Ctrl-C", text.StandardOutput);
        Assert.Equal((2, 2, 0.0), (json.GetProperty("transmitted").GetInt32(), json.GetProperty("received").GetInt32(), json.GetProperty("lossPercent").GetDouble()));
    }

    [PrivilegedFact]
    public void Ping_of_a_silent_target_reports_each_timeout_100_percent_loss_and_exits_1()
    {
        using var lab = new RoutedLab();
        lab.SilenceTarget();
        var target = lab.TargetAddress6.ToString();

        var result = _ctl.Run("ping", target, "-c", "2", "-i", "0.2", "-W", "0.3");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Request timeout for icmp_seq 1", result.StandardOutput);
        Assert.Contains("Request timeout for icmp_seq 2", result.StandardOutput);
        Assert.Contains("2 packets transmitted, 0 received, 100% packet loss", result.StandardOutput);
        Assert.DoesNotContain("rtt min/avg/max", result.StandardOutput);
    }

    [Theory]
    [InlineData("-c", "0", "-c: count 0 is out of range: 1 to 100000")]
    [InlineData("-c", "ten", "-c: 'ten' is not a whole number")]
    [InlineData("-i", "0.1", "-i: interval 0.1 is below the minimum of 0.2s")]
    [InlineData("-i", "2m", "-i: interval 2m is above the maximum of 60s")]
    [InlineData("-s", "65508", "-s: size 65508 is out of range: 0 to 65507")]
    [InlineData("-W", "0", "-W: duration '0' must be greater than zero")]
    public void Bad_ping_arguments_exit_2_with_what_is_allowed(string option, string value, string message)
    {
        var result = _ctl.Run("ping", "198.18.0.2", option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.StandardError);
    }

    [Fact]
    public void An_IPv6_ping_larger_than_IPv6_allows_is_a_usage_error()
    {
        var result = _ctl.Run("ping", "fd00::2", "-s", "65500");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("-s: size (IPv6) 65500 is out of range: 0 to 65487", result.StandardError);
    }

    [Theory]
    [InlineData("traceroute", "-m", "0", "-m: max hops 0 is out of range: 1 to 64")]
    [InlineData("traceroute6", "-q", "11", "-q: probes per hop 11 is out of range: 1 to 10")]
    [InlineData("traceroute", "-w", "30s", "-w: wait 30s is above the maximum of 10s")]
    public void Bad_traceroute_arguments_exit_2(string command, string option, string value, string message)
    {
        var result = _ctl.Run(command, "198.18.0.2", option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.StandardError);
    }

    [PrivilegedFact]
    public void Ping_minus_6_of_an_IPv4_literal_fails_with_a_clear_message()
    {
        var result = _ctl.Run("ping", "-6", "198.18.0.2", "-c", "1");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("198.18.0.2 is an IPv4 address, but IPv6 was asked for", result.StandardError);
    }

    [PrivilegedFact]
    public void Ping_of_an_unknown_host_exits_1_with_the_name()
    {
        // Inside a namespace of its own (no route to the resolver) the lookup fails at once and no query leaves the machine.
        using var isolated = new NetworkNamespaceLab();

        var result = isolated.Exec([Capturectl.Executable, "ping", "no-such-host.invalid", "-c", "1", "--data-dir", _data.Path, "--node-name", "itest"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("unknown host 'no-such-host.invalid'", result.StandardError);
    }

    [PrivilegedTheory]
    [InlineData("traceroute")]
    [InlineData("traceroute6")]
    public void Traceroute_shows_the_router_then_the_target_and_stops(string command)
    {
        using var lab = new RoutedLab();
        var ipv6 = command == "traceroute6";
        var (router, target) = ipv6
            ? (lab.RouterUplinkAddress6.ToString(), lab.TargetAddress6.ToString())
            : (lab.RouterUplinkAddress.ToString(), lab.TargetAddress.ToString());

        var result = _ctl.Run(command, target, "-q", "2", "-n");

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.Equal(
            [$"{command} to {target} ({target}), 30 hops max, {(ipv6 ? 80 : 60)} byte packets", $" 1  {router}  X ms  X ms", $" 2  {target}  X ms  X ms"],
            result.StandardOutput.TrimEnd('\n').Split('\n').Select(l => System.Text.RegularExpressions.Regex.Replace(l, @"\d+\.\d{3} ms", "X ms")));
    }

    [PrivilegedTheory]
    [InlineData("traceroute")]
    [InlineData("traceroute6")]
    public void Traceroute_names_the_hops_from_the_dns_servers_PTR_records_and_minus_n_shows_numbers(string command)
    {
        using var lab = new RoutedLab();
        var ipv6 = command == "traceroute6";
        var (router, target) = ipv6 ? (lab.RouterUplinkAddress6, lab.TargetAddress6) : (lab.RouterUplinkAddress, lab.TargetAddress);
        // The router has a name; the target has none and is named by its address, as traceroute prints it.
        using var dns = Dnsmasq.Start($"--ptr-record={ArpaName(router)},router.lab.test");

        var named = _ctl.Run(command, target.ToString(), "-q", "1", "--dns-server", dns.Server);
        var numeric = _ctl.Run(command, target.ToString(), "-q", "1", "-n", "--dns-server", dns.Server);

        Assert.True(named.ExitCode == 0, named.StandardOutput + named.StandardError);
        Assert.Equal(
            [$"1  router.lab.test ({router})  X ms", $"2  {target} ({target})  X ms"],
            named.Lines.Skip(1).Select(l => System.Text.RegularExpressions.Regex.Replace(l, @"\d+\.\d{3} ms", "X ms")));
        Assert.True(numeric.ExitCode == 0, numeric.StandardOutput + numeric.StandardError);
        Assert.Equal(
            [$"1  {router}  X ms", $"2  {target}  X ms"],
            numeric.Lines.Skip(1).Select(l => System.Text.RegularExpressions.Regex.Replace(l, @"\d+\.\d{3} ms", "X ms")));
        Assert.Contains($"query[PTR] {ArpaName(router)}", dns.Log);
    }

    [Fact]
    public void A_traceroute_dns_server_that_is_not_an_address_is_a_usage_error()
    {
        var result = _ctl.Run("traceroute", "198.18.0.2", "--dns-server", "300.1.1.1");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--dns-server: DNS server '300.1.1.1' is not an IP address", result.StandardError);
    }

    /// <summary>The PTR name of <paramref name="address"/> (<c>2.0.18.198.in-addr.arpa</c>, nibbles under <c>ip6.arpa</c>).</summary>
    private static string ArpaName(System.Net.IPAddress address) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? string.Join('.', Convert.ToHexStringLower(address.GetAddressBytes()).Reverse()) + ".ip6.arpa"
            : string.Join('.', address.GetAddressBytes().Reverse()) + ".in-addr.arpa";

    [PrivilegedFact]
    public void Traceroute_to_a_silent_target_prints_stars_and_ends_within_its_bound()
    {
        using var lab = new RoutedLab();
        lab.SilenceTarget();
        var clock = Stopwatch.StartNew();

        var result = _ctl.Run("traceroute", lab.TargetAddress.ToString(), "-m", "3", "-w", "1", "-n");

        Assert.True(result.ExitCode == 0, result.StandardError);
        var lines = result.Lines;
        Assert.StartsWith($"1  {lab.RouterUplinkAddress}  ", lines[1]);
        Assert.Equal(["2  *  *  *", "3  *  *  *"], lines.Skip(2));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3 + 8), $"took {clock.Elapsed} (3 hops × 1 s, plus start-up)");
    }

    [PrivilegedFact]
    public void Ping_on_all_nodes_streams_each_nodes_replies_and_shows_the_summaries_side_by_side()
    {
        using var lab = new RoutedLab();
        var target = lab.TargetAddress.ToString();
        _cluster.Start(2);

        var text = _cluster.Ctl("ping", target, "-c", "3", "-i", "0.2", "--all");
        var json = _cluster.Ctl("ping", target, "-c", "2", "-i", "0.2", "--all", "--json");

        Assert.True(text.ExitCode == 0, text.StandardOutput + text.StandardError);
        foreach (var node in new[] { AgentCluster.Node(0), AgentCluster.Node(1) })
        {
            Assert.Contains($"{node}: PING {target} ({target}): 56 data bytes", text.StandardOutput);
            Assert.Contains($"{node}: 64 bytes from {target}: icmp_seq=3 ttl=63 time=", text.StandardOutput);
            Assert.Matches($@"│ {node}\s+│ {target.Replace(".", @"\.")}\s+│ 3\s+│ 3\s+│ 0%\s+│ [\d.]+/[\d.]+/[\d.]+/[\d.]+\s+│", text.StandardOutput);
        }

        Assert.True(json.ExitCode == 0, json.StandardOutput + json.StandardError);
        var nodes = JsonDocument.Parse(json.StandardOutput).RootElement.GetProperty("nodes").EnumerateArray().ToList();
        Assert.Equal(2, nodes.Count);
        Assert.All(nodes, n => Assert.Equal(2, n.GetProperty("result").GetProperty("received").GetInt32()));
    }

    [PrivilegedFact]
    public void Ctrl_C_on_a_remote_ping_without_count_prints_the_summary_and_stops_the_ping_on_the_node()
    {
        using var lab = new RoutedLab();
        var target = lab.TargetAddress.ToString();
        _cluster.Start(1);
        using var ping = _cluster.StartCtl("ping", target, "-i", "0.2", "--on", AgentCluster.Node(0));

        WaitFor(() => ping.StandardOutput.Contains("icmp_seq=3 ", StringComparison.Ordinal), ping);
        ping.Signal(2);
        var result = ping.WaitForExit(ExitBound);
        var seenAtExit = lab.TargetEchoRequests();

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.Contains("Press Ctrl-C to stop.", result.StandardOutput);
        Assert.Matches(@"\d+ packets transmitted, \d+ received, [\d.]+% packet loss", result.StandardOutput);
        Thread.Sleep(1000); // five more requests would have gone out by now if the node still pinged
        Assert.Equal(seenAtExit, lab.TargetEchoRequests());
    }

    [PrivilegedFact]
    public void Ctrl_C_on_an_embedded_ping_prints_the_summary_and_stops_sending()
    {
        using var lab = new RoutedLab();
        using var ping = _ctl.Start("ping", lab.TargetAddress6.ToString(), "-i", "0.2");

        WaitFor(() => ping.StandardOutput.Contains("icmp_seq=2 ", StringComparison.Ordinal), ping);
        ping.Signal(2);
        var result = ping.WaitForExit(ExitBound);
        var seenAtExit = lab.TargetEchoRequests();

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.Contains("ping statistics ---", result.StandardOutput);
        Thread.Sleep(600);
        Assert.Equal(seenAtExit, lab.TargetEchoRequests());
    }

    [PrivilegedFact]
    public void Without_CAP_NET_RAW_ping_fails_with_PermissionDenied_and_says_what_it_needs()
    {
        // Root, but with CAP_NET_RAW out of the bounding set: the raw socket is refused before anything is sent.
        var result = ProcessRunner.Run(
            "setpriv",
            ["--bounding-set", "-net_raw", "--inh-caps", "-net_raw", Capturectl.Executable, "ping", "127.0.0.1", "-c", "1", "--data-dir", _data.Path, "--node-name", "itest", "--json"],
            Capturectl.CommandTimeout);

        Assert.Equal(1, result.ExitCode);
        var error = JsonDocument.Parse(result.StandardOutput).RootElement.GetProperty("error");
        Assert.Equal("permission-denied", error.GetProperty("code").GetString());
        Assert.Contains("ping needs a raw ICMP socket, which only root or a process with CAP_NET_RAW may open", error.GetProperty("message").GetString());
    }

    [PrivilegedFact]
    public void Traceroute_on_all_nodes_lists_each_nodes_hops_under_its_name()
    {
        using var lab = new RoutedLab();
        var (router, target) = (lab.RouterUplinkAddress.ToString(), lab.TargetAddress.ToString());
        _cluster.Start(2);

        var result = _cluster.Ctl("traceroute", target, "-q", "1", "-n", "--all");

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        foreach (var node in new[] { AgentCluster.Node(0), AgentCluster.Node(1) })
        {
            Assert.Matches($@"{node}:  1  {router.Replace(".", @"\.")}  \d+\.\d{{3}} ms
", result.StandardOutput);
            Assert.Matches($@"{node}:  2  {target.Replace(".", @"\.")}  \d+\.\d{{3}} ms
", result.StandardOutput);
            Assert.Matches($@"── {node} ─+
to {target.Replace(".", @"\.")} \({target.Replace(".", @"\.")}\)
 1  {router.Replace(".", @"\.")}  [\d.]+ ms
 2  {target.Replace(".", @"\.")}  [\d.]+ ms
", result.StandardOutput);
        }
    }

    private static void WaitFor(Func<bool> condition, RunningCommand command)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > ExitBound)
            {
                throw new TimeoutException($"capturectl did not get there within {ExitBound}:\n{command.StandardOutput}\n{command.StandardError}");
            }

            Thread.Sleep(50);
        }
    }
}
