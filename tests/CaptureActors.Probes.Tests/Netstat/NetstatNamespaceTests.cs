using System.Net;
using CaptureActors.Protocol;
using CaptureActors.TestSupport;

namespace CaptureActors.Probes.Tests.Netstat;

/// <summary>netstat's interface, route and traffic views on a veth pair into a network namespace this test makes (root).</summary>
[Collection(PrivilegedCollection.Name)]
public sealed class NetstatNamespaceTests
{
    private const int Packets = 40;
    private const int Payload = 200;

    [PrivilegedFact]
    public async Task Interface_counters_of_the_host_veth_move_by_the_packets_sent_from_the_namespace()
    {
        using var lab = new NetworkNamespaceLab();
        var before = await HostEndAsync(lab);

        var sent = lab.SendUdpToHost(Random.Shared.Next(20000, 60000), Packets, Payload);
        var after = await HostEndAsync(lab);

        Assert.Equal(Packets, sent);
        Assert.InRange(after.ReceivePackets - before.ReceivePackets, Packets, Packets + 20);
        Assert.True(after.ReceiveBytes - before.ReceiveBytes >= Packets * (Payload + 8 + 20 + 14), $"Ibytes moved by {after.ReceiveBytes - before.ReceiveBytes}");
        Assert.Equal(1500, after.Mtu);
        Assert.Matches("^([0-9a-f]{2}:){5}[0-9a-f]{2}$", after.LinkAddress);
        var network = $"{string.Join('.', lab.HostAddress.GetAddressBytes()[..3])}.{lab.HostAddress.GetAddressBytes()[3] - 1}/30";
        Assert.Contains(new InterfaceAddress(network, lab.HostAddress.ToString()), after.Addresses);
    }

    [PrivilegedFact]
    public async Task Routes_show_the_veths_30_and_an_IPv6_ULA_route_added_to_it()
    {
        using var lab = new NetworkNamespaceLab();
        var ula = UlaPrefix();
        ProcessRunner.Run("ip", "-6", "route", "add", $"{ula}/64", "dev", lab.HostInterface, "metric", "1234").EnsureSuccess("ip -6 route add");
        try
        {
            var routes = (await NetstatKernelTests.RunAsync<NetstatRoutesReport>(new ListNetstatRoutes("r"))).Routes;

            var bytes = lab.HostAddress.GetAddressBytes();
            var network = $"{bytes[0]}.{bytes[1]}.{bytes[2]}.{bytes[3] - 1}/30";
            Assert.Contains(new RouteEntry("IPv4", network, "*", "U", lab.HostInterface, 0), routes);
            Assert.Contains(new RouteEntry("IPv6", $"{ula}/64", "*", "U", lab.HostInterface, 1234), routes);
        }
        finally
        {
            ProcessRunner.Run("ip", "-6", "route", "del", $"{ula}/64", "dev", lab.HostInterface);
        }
    }

    [PrivilegedFact]
    public async Task Traffic_samples_add_up_to_the_packets_sent_from_the_namespace()
    {
        using var lab = new NetworkNamespaceLab();
        var samples = new List<TrafficSample>();
        var firstSample = new TaskCompletionSource();
        var run = NetstatKernelTests.RunAsync<NetstatTrafficReport>(
            new WatchNetstatTraffic("t", TimeSpan.FromMilliseconds(200), 6),
            e =>
            {
                lock (samples)
                {
                    samples.Add((TrafficSample)e);
                }

                firstSample.TrySetResult();
            });
        await firstSample.Task.WaitAsync(TimeSpan.FromSeconds(5));

        lab.SendUdpToHost(Random.Shared.Next(20000, 60000), Packets, Payload);
        var report = await run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(6, samples.Count);
        var total = report.Interfaces.Single(i => i.Name == lab.HostInterface);
        Assert.InRange(total.InPackets, Packets, Packets + 20);
        Assert.Equal(samples.Sum(s => s.Interfaces.Single(i => i.Name == lab.HostInterface).InPackets), total.InPackets);
    }

    private static async Task<InterfaceStatistics> HostEndAsync(NetworkNamespaceLab lab)
    {
        var report = await NetstatKernelTests.RunAsync<NetstatInterfacesReport>(new ListNetstatInterfaces("i"));
        return Assert.Single(report.Interfaces, i => i.Name == lab.HostInterface);
    }

    /// <summary>A random fd00::/8 unique local /64 (RFC 4193: 40 random bits of global id, 16 of subnet), as IPAddress prints it.</summary>
    private static string UlaPrefix()
    {
        var bytes = new byte[16];
        Random.Shared.NextBytes(bytes.AsSpan(1, 7));
        bytes[0] = 0xfd;
        return new IPAddress(bytes).ToString();
    }
}
