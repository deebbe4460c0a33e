using System.Net;
using CaptureActors.Probes.Sockets;

namespace CaptureActors.Probes.Tests.Sockets;

public sealed class ProcNetParserTests
{
    // Lines as Linux 6.x prints them (x86-64, little-endian words).
    private const string Tcp4 = """
          sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
           0: 0100007F:0019 00000000:0000 0A 00000000:00000003 00:00000000 00000000   106        0 31337 1 0000000000000000 100 0 0 10 0
           1: 0100007F:A2C4 0100007F:0019 01 00000010:00000020 02:000A7B3A 00000000  1000        0 4242 2 0000000000000000 20 4 30 10 -1
           2: garbage
        """;

    private const string Tcp6 = """
          sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
           0: 00000000000000000000000001000000:0016 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 777 1 0000000000000000 100 0 0 10 0
           1: 0000000000000000FFFF00000100007F:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 778 1 0000000000000000 100 0 0 10 0
        """;

    [Fact]
    public void IPv4_lines_give_address_port_state_queues_uid_and_inode()
    {
        var entries = ProcNetParser.Parse(Tcp4, SocketProtocol.Tcp).ToList();

        Assert.Equal(2, entries.Count);
        var listener = entries[0];
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 25), listener.Local);
        Assert.Equal(KernelSocketState.Listen, listener.State);
        Assert.Equal(3, listener.ReceiveQueue);
        Assert.Equal(106, listener.Uid);
        Assert.Equal(31337, listener.Inode);
        Assert.True(listener.IsListening);

        var connection = entries[1];
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 0xA2C4), connection.Local);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 25), connection.Remote);
        Assert.Equal(KernelSocketState.Established, connection.State);
        Assert.Equal(0x10, connection.SendQueue);
        Assert.Equal(0x20, connection.ReceiveQueue);
        Assert.False(connection.IsListening);
    }

    [Fact]
    public void IPv6_lines_give_loopback_and_mapped_addresses()
    {
        var entries = ProcNetParser.Parse(Tcp6, SocketProtocol.Tcp).ToList();

        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, 22), entries[0].Local);
        Assert.True(entries[0].IsIPv6);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("::ffff:127.0.0.1"), 8080), entries[1].Local);
    }

    [Theory]
    [InlineData("0100007F:0019")]
    [InlineData("00000000000000000000000001000000:0016")]
    public void Well_formed_endpoints_parse(string text) =>
        Assert.True(ProcNetParser.TryParseEndPoint(text, out _));

    [Theory]
    [InlineData("")]
    [InlineData("0100007F")]
    [InlineData("0100007F:")]
    [InlineData("0100007:0019")]
    [InlineData("0100007G:0019")]
    [InlineData("0100007F:1FFFF")]
    [InlineData("000000000000000000000000010000:0016")]
    public void Malformed_endpoints_are_refused(string text) =>
        Assert.False(ProcNetParser.TryParseEndPoint(text, out _));

    [Fact]
    public void An_unconnected_UDP_socket_is_listening_and_a_connected_one_is_not()
    {
        const string udp = """
              sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
             1: 00000000:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 100 2 0000000000000000 0
             2: 0100007F:D431 0100007F:0035 01 00000000:00000000 00:00000000 00000000     0        0 101 2 0000000000000000 0
            """;
        var entries = ProcNetParser.Parse(udp, SocketProtocol.Udp).ToList();

        Assert.True(entries[0].IsListening);
        Assert.False(entries[1].IsListening);
    }
}
