using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace CaptureActors.Probes.Ping;

/// <summary>What an ICMP message received on a raw socket says about one of our echo requests.</summary>
public enum IcmpAnswerKind
{
    EchoReply,
    TimeExceeded,
    Unreachable,
}

/// <summary>
/// An answer to one of our echo requests: an echo reply, or an ICMP error quoting our request.
/// </summary>
/// <param name="Bytes">ICMP bytes of the answer (header and data).</param>
/// <param name="Ttl">The answer's IPv4 TTL; null for IPv6 (a raw ICMPv6 socket does not see the IPv6 header: <see cref="IcmpSocket"/> adds the hop limit from IPV6_HOPLIMIT).</param>
/// <param name="Flag">For <see cref="IcmpAnswerKind.Unreachable"/>, traceroute's annotation (<c>!H</c>, <c>!N</c> …).</param>
/// <param name="Detail">For errors, ping's words (<c>Destination Host Unreachable</c>, <c>Time to live exceeded</c>).</param>
public sealed record IcmpAnswer(IcmpAnswerKind Kind, ushort Identifier, ushort Sequence, int Bytes, int? Ttl, string Flag, string Detail);

/// <summary>
/// ICMP and ICMPv6 echo requests (RFC 792, RFC 4443) as sent on a raw socket, and the parsing of what comes back:
/// echo replies, and Time Exceeded / Destination Unreachable matched to our request by the identifier and sequence
/// of the request they quote (for IPv4 after the quoted IP header, for IPv6 after the quoted 40-byte IPv6 header).
/// </summary>
public static class IcmpPacket
{
    public const int HeaderBytes = 8;

    private const byte EchoRequestV4 = 8;
    private const byte EchoReplyV4 = 0;
    private const byte UnreachableV4 = 3;
    private const byte TimeExceededV4 = 11;
    private const byte UnreachableV6 = 1;
    private const byte TimeExceededV6 = 3;
    private const byte EchoRequestV6 = 128;
    private const byte EchoReplyV6 = 129;
    private const byte NextHeaderIcmpV6 = 58;
    private const byte ProtocolIcmp = 1;
    private const int IPv6HeaderBytes = 40;

    /// <summary>
    /// An echo request with <paramref name="payloadSize"/> data bytes (0x00, 0x01, … as a pattern). The IPv4 checksum
    /// is computed here; for ICMPv6 the kernel fills it in (it knows the pseudo-header's source address).
    /// </summary>
    public static byte[] EchoRequest(AddressFamily family, ushort identifier, ushort sequence, int payloadSize)
    {
        var packet = new byte[HeaderBytes + payloadSize];
        packet[0] = family == AddressFamily.InterNetworkV6 ? EchoRequestV6 : EchoRequestV4;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), identifier);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(6), sequence);
        for (var i = 0; i < payloadSize; i++)
        {
            packet[HeaderBytes + i] = (byte)i;
        }

        if (family == AddressFamily.InterNetwork)
        {
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), Checksum(packet));
        }

        return packet;
    }

    /// <summary>The Internet checksum (RFC 1071) of <paramref name="data"/>.</summary>
    public static ushort Checksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        var i = 0;
        for (; i + 1 < data.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        }

        if (i < data.Length)
        {
            sum += (uint)data[i] << 8;
        }

        while (sum >> 16 != 0)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        return (ushort)~sum;
    }

    /// <summary>
    /// Reads one datagram of a raw ICMP socket (IPv4: with its IP header) or raw ICMPv6 socket (without).
    /// Returns null for anything that is not an answer to an echo request of <paramref name="identifier"/> sent to
    /// <paramref name="target"/>: other programs' pings, our own requests seen on loopback, neighbour discovery, runts.
    /// </summary>
    public static IcmpAnswer? Parse(AddressFamily family, ReadOnlySpan<byte> datagram, ushort identifier, IPAddress target) =>
        family == AddressFamily.InterNetworkV6
            ? ParseV6(datagram, identifier, target)
            : ParseV4(datagram, identifier, target);

    private static IcmpAnswer? ParseV4(ReadOnlySpan<byte> datagram, ushort identifier, IPAddress target)
    {
        if (datagram.Length < 20 || datagram[0] >> 4 != 4)
        {
            return null;
        }

        var headerLength = (datagram[0] & 0x0F) * 4;
        if (headerLength < 20 || datagram.Length < headerLength + HeaderBytes)
        {
            return null;
        }

        int ttl = datagram[8];
        var icmp = datagram[headerLength..];
        byte type = icmp[0], code = icmp[1];
        switch (type)
        {
            case EchoReplyV4:
                return BinaryPrimitives.ReadUInt16BigEndian(icmp[4..]) == identifier
                    ? new IcmpAnswer(IcmpAnswerKind.EchoReply, identifier, BinaryPrimitives.ReadUInt16BigEndian(icmp[6..]), icmp.Length, ttl, "", "")
                    : null;
            case TimeExceededV4 or UnreachableV4:
                var quoted = icmp[HeaderBytes..];
                if (quoted.Length < 20 || quoted[0] >> 4 != 4 || quoted[9] != ProtocolIcmp || !quoted.Slice(16, 4).SequenceEqual(target.GetAddressBytes()))
                {
                    return null;
                }

                var quotedHeader = (quoted[0] & 0x0F) * 4;
                if (quotedHeader < 20 || quoted.Length < quotedHeader + HeaderBytes)
                {
                    return null;
                }

                var request = quoted[quotedHeader..];
                if (request[0] != EchoRequestV4 || BinaryPrimitives.ReadUInt16BigEndian(request[4..]) != identifier)
                {
                    return null;
                }

                var sequence = BinaryPrimitives.ReadUInt16BigEndian(request[6..]);
                return type == TimeExceededV4
                    ? new IcmpAnswer(IcmpAnswerKind.TimeExceeded, identifier, sequence, icmp.Length, ttl, "", "Time to live exceeded")
                    : new IcmpAnswer(IcmpAnswerKind.Unreachable, identifier, sequence, icmp.Length, ttl, UnreachableFlagV4(code), UnreachableTextV4(code));
            default:
                return null;
        }
    }

    private static IcmpAnswer? ParseV6(ReadOnlySpan<byte> icmp, ushort identifier, IPAddress target)
    {
        if (icmp.Length < HeaderBytes)
        {
            return null;
        }

        byte type = icmp[0], code = icmp[1];
        switch (type)
        {
            case EchoReplyV6:
                return BinaryPrimitives.ReadUInt16BigEndian(icmp[4..]) == identifier
                    ? new IcmpAnswer(IcmpAnswerKind.EchoReply, identifier, BinaryPrimitives.ReadUInt16BigEndian(icmp[6..]), icmp.Length, null, "", "")
                    : null;
            case TimeExceededV6 or UnreachableV6:
                var quoted = icmp[HeaderBytes..];
                if (quoted.Length < IPv6HeaderBytes + HeaderBytes || quoted[0] >> 4 != 6 || quoted[6] != NextHeaderIcmpV6
                    || !quoted.Slice(24, 16).SequenceEqual(target.GetAddressBytes()))
                {
                    return null;
                }

                var request = quoted[IPv6HeaderBytes..];
                if (request[0] != EchoRequestV6 || BinaryPrimitives.ReadUInt16BigEndian(request[4..]) != identifier)
                {
                    return null;
                }

                var sequence = BinaryPrimitives.ReadUInt16BigEndian(request[6..]);
                return type == TimeExceededV6
                    ? new IcmpAnswer(IcmpAnswerKind.TimeExceeded, identifier, sequence, icmp.Length, null, "", "Time exceeded: Hop limit")
                    : new IcmpAnswer(IcmpAnswerKind.Unreachable, identifier, sequence, icmp.Length, null, UnreachableFlagV6(code), UnreachableTextV6(code));
            default:
                return null;
        }
    }

    // traceroute(8)'s annotations and iputils ping's texts for ICMP destination unreachable codes.
    private static string UnreachableFlagV4(byte code) => code switch
    {
        0 or 6 or 9 or 11 => "!N",
        1 or 7 or 10 or 12 => "!H",
        2 => "!P",
        3 => "",
        4 => "!F",
        5 => "!S",
        13 => "!X",
        14 => "!V",
        15 => "!C",
        _ => $"!<{code}>",
    };

    private static string UnreachableTextV4(byte code) => code switch
    {
        0 => "Destination Net Unreachable",
        1 => "Destination Host Unreachable",
        2 => "Destination Protocol Unreachable",
        3 => "Destination Port Unreachable",
        4 => "Frag needed and DF set",
        5 => "Source Route Failed",
        6 => "Destination Net Unknown",
        7 => "Destination Host Unknown",
        9 or 10 or 13 => "Communication administratively prohibited",
        11 or 12 => "Destination Unreachable for Type of Service",
        _ => $"Destination Unreachable, code {code}",
    };

    private static string UnreachableFlagV6(byte code) => code switch
    {
        0 => "!N",
        1 or 5 or 6 => "!X",
        2 => "!S",
        3 => "!H",
        4 => "",
        _ => $"!<{code}>",
    };

    private static string UnreachableTextV6(byte code) => code switch
    {
        0 => "Destination unreachable: No route",
        1 => "Destination unreachable: Administratively prohibited",
        2 => "Destination unreachable: Beyond scope of source address",
        3 => "Destination unreachable: Address unreachable",
        4 => "Destination unreachable: Port unreachable",
        5 => "Destination unreachable: Source address failed ingress/egress policy",
        6 => "Destination unreachable: Reject route to destination",
        _ => $"Destination unreachable, code {code}",
    };
}
