using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using CaptureActors.Probes.Ping;

namespace CaptureActors.Probes.Tests.Ping;

/// <summary>Echo requests as built, and answers as parsed, on hand-made datagrams.</summary>
public sealed class IcmpPacketTests
{
    private static readonly IPAddress Target = IPAddress.Parse("198.18.0.6");

    [Fact]
    public void An_IPv4_echo_request_carries_type_8_the_id_the_sequence_and_a_valid_checksum()
    {
        var packet = IcmpPacket.EchoRequest(AddressFamily.InterNetwork, 0x1234, 7, 56);

        Assert.Equal(64, packet.Length);
        Assert.Equal((8, 0), (packet[0], packet[1]));
        Assert.Equal(0x1234, BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(4)));
        Assert.Equal(7, BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(6)));
        Assert.Equal(0, IcmpPacket.Checksum(packet)); // a packet with its checksum in place sums to zero
    }

    [Fact]
    public void An_odd_length_checksum_pads_with_a_zero_byte()
    {
        Assert.Equal(IcmpPacket.Checksum([0x12, 0x34, 0x56, 0x00]), IcmpPacket.Checksum([0x12, 0x34, 0x56]));
    }

    [Fact]
    public void A_time_exceeded_quoting_our_request_is_matched_by_identifier_and_sequence()
    {
        var request = IcmpPacket.EchoRequest(AddressFamily.InterNetwork, 0xBEEF, 3, 32);
        var datagram = Ipv4(ttl: 64, Icmp(11, 0, [.. Ipv4(ttl: 1, request, destination: Target)]));

        var answer = IcmpPacket.Parse(AddressFamily.InterNetwork, datagram, 0xBEEF, Target);

        Assert.Equal(new IcmpAnswer(IcmpAnswerKind.TimeExceeded, 0xBEEF, 3, datagram.Length - 20, 64, "", "Time to live exceeded"), answer);
        Assert.Null(IcmpPacket.Parse(AddressFamily.InterNetwork, datagram, 0xBEEE, Target));
        Assert.Null(IcmpPacket.Parse(AddressFamily.InterNetwork, datagram, 0xBEEF, IPAddress.Parse("198.18.0.7")));
    }

    [Fact]
    public void An_echo_reply_of_another_identifier_or_our_own_request_on_loopback_is_not_an_answer()
    {
        var reply = IcmpPacket.EchoRequest(AddressFamily.InterNetwork, 0xBEEF, 9, 8);
        var ownRequest = Ipv4(ttl: 64, reply);
        reply[0] = 0;

        Assert.Equal(IcmpAnswerKind.EchoReply, IcmpPacket.Parse(AddressFamily.InterNetwork, Ipv4(ttl: 63, reply), 0xBEEF, Target)!.Kind);
        Assert.Null(IcmpPacket.Parse(AddressFamily.InterNetwork, Ipv4(ttl: 63, reply), 0xBEE0, Target));
        Assert.Null(IcmpPacket.Parse(AddressFamily.InterNetwork, ownRequest, 0xBEEF, Target));
        Assert.Null(IcmpPacket.Parse(AddressFamily.InterNetwork, ownRequest.AsSpan(0, 25), 0xBEEF, Target));
    }

    [Fact]
    public void An_IPv6_destination_unreachable_gives_traceroutes_flag()
    {
        var target6 = IPAddress.Parse("fd12:3456:789a:2::2");
        var request = IcmpPacket.EchoRequest(AddressFamily.InterNetworkV6, 0x0101, 4, 16);
        var quoted = new byte[40 + request.Length];
        quoted[0] = 0x60;
        quoted[6] = 58;
        target6.GetAddressBytes().CopyTo(quoted, 24);
        request.CopyTo(quoted, 40);

        var answer = IcmpPacket.Parse(AddressFamily.InterNetworkV6, Icmp(1, 3, quoted), 0x0101, target6);

        Assert.Equal((IcmpAnswerKind.Unreachable, (ushort)4, "!H", (int?)null), (answer!.Kind, answer.Sequence, answer.Flag, answer.Ttl));
    }

    private static byte[] Icmp(byte type, byte code, byte[] body) => [type, code, 0, 0, 0, 0, 0, 0, .. body];

    private static byte[] Ipv4(byte ttl, byte[] payload, IPAddress? destination = null)
    {
        var header = new byte[20];
        header[0] = 0x45;
        header[8] = ttl;
        header[9] = 1;
        (destination ?? IPAddress.Parse("198.18.0.1")).GetAddressBytes().CopyTo(header, 16);
        return [.. header, .. payload];
    }
}
