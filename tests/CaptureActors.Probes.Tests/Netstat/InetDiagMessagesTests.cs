using System.Buffers.Binary;
using System.Net;
using CaptureActors.Probes.Netstat.SockDiag;

namespace CaptureActors.Probes.Tests.Netstat;

/// <summary>
/// sock_diag bytes captured from the kernel (Linux 6.x, x86_64) in a fresh network namespace holding a listener on
/// 127.0.0.1:4711 with listen(37) and two connections not accepted, and one on [::1]:2525 with listen(5).
/// </summary>
public sealed class InetDiagMessagesTests
{
    private const string IPv4Dump =
        "7c0000001400020007000000cc160000020a0000126700007f000001000000000000000000000000000000000000000000000000000000000000000003100000000000000000000002000000250000000000000" +
        "0c3af0b00050008000000000008000f00000000000c00150001000000000000000600160052000000";

    private const string IPv6Dump =
        "840000001400020007000000cc1600000a0a000009dd00000000000000000000000000000000000100000000000000000000000000000000000000000410000000000000000000000000000005000000000000" +
        "00c6af0b00050008000000000005000b000100000008000f00000000000c00150001000000000000000600160012000000";

    private const string Done = "140000000300020007000000cc16000000000000";

    [Fact]
    public void A_captured_IPv4_listener_reads_with_its_accept_queue_and_backlog()
    {
        var batch = InetDiagMessages.Parse(Convert.FromHexString(IPv4Dump));

        Assert.False(batch.Done);
        var socket = Assert.Single(batch.Sockets);
        Assert.Equal(InetDiagMessages.AfInet, socket.Family);
        Assert.Equal(10, socket.State);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 4711), socket.Local);
        Assert.Equal(new IPEndPoint(IPAddress.Any, 0), socket.Remote);
        Assert.Equal(2u, socket.ReceiveQueue);
        Assert.Equal(37u, socket.SendQueue);
        Assert.Equal(0u, socket.Uid);
        Assert.Equal(0x0bafc3u, socket.Inode);
    }

    [Fact]
    public void A_captured_IPv6_listener_reads_with_its_backlog()
    {
        var socket = Assert.Single(InetDiagMessages.Parse(Convert.FromHexString(IPv6Dump)).Sockets);

        Assert.Equal(InetDiagMessages.AfInet6, socket.Family);
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, 2525), socket.Local);
        Assert.Equal(0u, socket.ReceiveQueue);
        Assert.Equal(5u, socket.SendQueue);
        Assert.Equal(0u, socket.InterfaceIndex);
    }

    [Fact]
    public void Nlmsg_done_ends_the_dump_even_after_sockets_in_the_same_datagram()
    {
        var batch = InetDiagMessages.Parse(Convert.FromHexString(IPv4Dump + Done));

        Assert.True(batch.Done);
        Assert.Single(batch.Sockets);
        Assert.Equal(0, batch.Error);
    }

    [Fact]
    public void Nlmsg_error_reports_the_positive_errno()
    {
        var error = new byte[36];
        BinaryPrimitives.WriteUInt32LittleEndian(error, 36);
        BinaryPrimitives.WriteUInt16LittleEndian(error.AsSpan(4), 2);
        BinaryPrimitives.WriteInt32LittleEndian(error.AsSpan(16), -22);

        var batch = InetDiagMessages.Parse(error);

        Assert.Equal(22, batch.Error);
        Assert.False(batch.Done);
    }

    [Fact]
    public void A_message_longer_than_the_datagram_is_refused_not_read_past_the_end()
    {
        var bytes = Convert.FromHexString(IPv4Dump)[..100];

        var error = Assert.Throws<FormatException>(() => InetDiagMessages.Parse(bytes));
        Assert.Contains("claims 124 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_diag_message_too_short_for_inet_diag_msg_is_refused()
    {
        var bytes = Convert.FromHexString(IPv4Dump)[..60];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, 60);

        Assert.Throws<FormatException>(() => InetDiagMessages.Parse(bytes));
    }

    [Fact]
    public void The_request_is_a_tcp_dump_of_the_asked_family_and_states()
    {
        var request = InetDiagMessages.BuildRequest(InetDiagMessages.AfInet6, 1u << 10, 77);

        Assert.Equal(72, request.Length);
        Assert.Equal(72u, BinaryPrimitives.ReadUInt32LittleEndian(request));
        Assert.Equal((ushort)20, BinaryPrimitives.ReadUInt16LittleEndian(request.AsSpan(4)));     // SOCK_DIAG_BY_FAMILY
        Assert.Equal((ushort)0x301, BinaryPrimitives.ReadUInt16LittleEndian(request.AsSpan(6)));  // NLM_F_REQUEST | NLM_F_DUMP
        Assert.Equal(77u, BinaryPrimitives.ReadUInt32LittleEndian(request.AsSpan(8)));
        Assert.Equal(10, request[16]);
        Assert.Equal(6, request[17]);
        Assert.Equal(1u << 10, BinaryPrimitives.ReadUInt32LittleEndian(request.AsSpan(20)));
        Assert.All(request[24..], b => Assert.Equal(0, b));
    }
}
