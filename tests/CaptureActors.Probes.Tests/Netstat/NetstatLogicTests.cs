using System.Net;
using CaptureActors.Probes.Netstat;
using CaptureActors.Probes.Netstat.SockDiag;
using CaptureActors.Probes.Sockets;
using CaptureActors.Protocol;

namespace CaptureActors.Probes.Tests.Netstat;

/// <summary>The netstat views' own logic on made-up inputs: state names, prefixes, listen queue grouping, traffic differences.</summary>
public sealed class NetstatLogicTests
{
    [Theory]
    [InlineData(KernelSocketState.Established, "ESTABLISHED")]
    [InlineData(KernelSocketState.Listen, "LISTEN")]
    [InlineData(KernelSocketState.TimeWait, "TIME_WAIT")]
    [InlineData(KernelSocketState.CloseWait, "CLOSE_WAIT")]
    [InlineData(KernelSocketState.FinWait1, "FIN_WAIT1")]
    [InlineData(KernelSocketState.SynRecv, "SYN_RECV")]
    [InlineData(KernelSocketState.NewSynRecv, "SYN_RECV")]
    [InlineData(KernelSocketState.LastAck, "LAST_ACK")]
    public void Tcp_states_have_netstats_names(KernelSocketState state, string name)
    {
        Assert.Equal(name, SocketStateNames.Of(state));
    }

    [Fact]
    public void A_procfs_line_becomes_a_netstat_row()
    {
        Assert.True(ProcNetParser.TryParseLine(
            "   1: 0100007F:1267 0100007F:C8F4 01 0000000A:00000003 00:00000000 00000000     0        0 123456 1 0000000000000000 20 4 30 10 -1",
            SocketProtocol.Tcp,
            out var entry));

        Assert.Equal(new NetstatSocket("tcp", 3, 10, "127.0.0.1", 4711, "127.0.0.1", 51444, "ESTABLISHED"), NetstatSocketsProbe.ToRow(entry));
    }

    [Fact]
    public void An_unconnected_udp6_socket_has_wildcards_and_no_state()
    {
        Assert.True(ProcNetParser.TryParseLine(
            "  5: 00000000000000000000000000000000:0035 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000   0 0 4242 2 0000000000000000 0",
            SocketProtocol.Udp,
            out var entry));

        Assert.Equal(new NetstatSocket("udp6", 0, 0, "*", 53, "*", 0, ""), NetstatSocketsProbe.ToRow(entry));
    }

    [Theory]
    [InlineData("198.18.0.5", 30, "198.18.0.4/30")]
    [InlineData("10.1.2.3", 8, "10.0.0.0/8")]
    [InlineData("fd12:3456::1", 64, "fd12:3456::/64")]
    [InlineData("fe80::5054:ff:fe12:3456%2", 64, "fe80::/64")]
    [InlineData("::1", 128, "::1/128")]
    public void An_address_and_prefix_give_its_network(string address, int length, string network)
    {
        Assert.Equal(network, Prefixes.Text(IPAddress.Parse(address), length));
    }

    [Theory]
    [InlineData("255.255.255.252", 30)]
    [InlineData("0.0.0.0", 0)]
    [InlineData("255.255.255.255", 32)]
    [InlineData("255.0.255.0", null)]
    public void Masks_give_their_prefix_length(string mask, int? length)
    {
        Assert.Equal(length, Prefixes.LengthOfMask(IPAddress.Parse(mask)));
    }

    [Fact]
    public void Handshakes_count_toward_the_listener_of_their_address_and_port()
    {
        var exact = Socket(2, 10, "127.0.0.1", 25, rqueue: 3, wqueue: 37, inode: 1);
        var wildcard6 = Socket(10, 10, "::", 25, rqueue: 0, wqueue: 128, inode: 2);
        var other = Socket(2, 10, "0.0.0.0", 80, rqueue: 1, wqueue: 5, inode: 3);
        InetDiagSocket[] sockets =
        [
            exact, wildcard6, other,
            Socket(2, 3, "127.0.0.1", 25),
            Socket(2, 3, "127.0.0.1", 25),
            Socket(2, 3, "192.0.2.9", 25),   // no IPv4 listener for this address: the IPv6 wildcard takes it
            Socket(10, 3, "fd00::7", 25),
            Socket(2, 3, "198.18.0.1", 80),
        ];

        var queues = NetstatListenProbe.Summarise(sockets);

        Assert.Equal(
            [
                new ListenQueue("IPv4", "127.0.0.1", 25, 3, 2, 37, 1),
                new ListenQueue("IPv6", "*", 25, 0, 2, 128, 2),
                new ListenQueue("IPv4", "*", 80, 1, 1, 5, 3),
            ],
            queues);
    }

    [Fact]
    public void Traffic_is_the_counter_difference_per_interface()
    {
        var before = NetstatTrafficProbe.ToMap(
        [
            new DeviceCounters("eth0", 1000, 10, 0, 0, 500, 5, 0, 0, 0),
            new DeviceCounters("veth1", 9000, 90, 1, 1, 9000, 90, 1, 1, 1),
            new DeviceCounters("gone0", 1, 1, 1, 1, 1, 1, 1, 1, 1),
        ]);
        var after = NetstatTrafficProbe.ToMap(
        [
            new DeviceCounters("eth0", 2500, 22, 1, 2, 800, 9, 3, 4, 5),
            new DeviceCounters("veth1", 100, 2, 0, 0, 50, 1, 0, 0, 0),    // recreated: counters restarted
            new DeviceCounters("new0", 77, 7, 0, 0, 0, 0, 0, 0, 0),       // no baseline yet
        ]);

        var traffic = NetstatTrafficProbe.Differences(before, after);

        Assert.Equal(
            [
                new InterfaceTraffic("eth0", 12, 1, 2, 1500, 4, 3, 4, 300, 5),
                new InterfaceTraffic("veth1", 2, 0, 0, 100, 1, 0, 0, 50, 0),
            ],
            traffic);
    }

    [Theory]
    [InlineData(99, null, "interval 99ms is out of range: allowed 100ms to 1h")]
    [InlineData(3_600_001, null, "is out of range: allowed 100ms to 1h")]
    [InlineData(1000, 0, "count 0 is out of range: allowed 1 to 100000")]
    [InlineData(1000, 100_001, "count 100001 is out of range")]
    public void Traffic_bounds_name_the_allowed_range(int milliseconds, int? count, string message)
    {
        Assert.Contains(message, NetstatTrafficLimits.Check(TimeSpan.FromMilliseconds(milliseconds), count), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(100, 1)]
    [InlineData(3_600_000, 100_000)]
    [InlineData(1000, null)]
    public void Traffic_bounds_admit_their_ends(int milliseconds, int? count)
    {
        Assert.Null(NetstatTrafficLimits.Check(TimeSpan.FromMilliseconds(milliseconds), count));
    }

    private static InetDiagSocket Socket(int family, int state, string address, int port, uint rqueue = 0, uint wqueue = 0, uint inode = 0) =>
        new(
            family,
            state,
            new IPEndPoint(IPAddress.Parse(address), port),
            new IPEndPoint(family == 2 ? IPAddress.Any : IPAddress.IPv6Any, 0),
            0,
            rqueue,
            wqueue,
            0,
            inode);
}
