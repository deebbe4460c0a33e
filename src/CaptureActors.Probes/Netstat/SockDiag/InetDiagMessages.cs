using System.Buffers.Binary;
using System.Net;

namespace CaptureActors.Probes.Netstat.SockDiag;

/// <summary>One socket of a sock_diag dump (<c>struct inet_diag_msg</c>, include/uapi/linux/inet_diag.h).</summary>
/// <param name="State">The TCP state number (include/net/tcp_states.h): 10 LISTEN, 3 SYN_RECV (request sockets report 3 too).</param>
/// <param name="ReceiveQueue">idiag_rqueue: for a listener the current accept queue; else unread bytes.</param>
/// <param name="SendQueue">idiag_wqueue: for a listener the maximum accept queue (listen()'s backlog); else unacknowledged bytes.</param>
public sealed record InetDiagSocket(
    int Family,
    int State,
    IPEndPoint Local,
    IPEndPoint Remote,
    uint InterfaceIndex,
    uint ReceiveQueue,
    uint SendQueue,
    uint Uid,
    uint Inode);

/// <summary>What one datagram of a dump held: sockets, and whether the dump ended (NLMSG_DONE) or failed (NLMSG_ERROR).</summary>
/// <param name="Error">The positive errno of an NLMSG_ERROR; 0 when none.</param>
public sealed record InetDiagBatch(IReadOnlyList<InetDiagSocket> Sockets, bool Done, int Error);

/// <summary>
/// The bytes of netlink's sock_diag protocol for TCP (NETLINK_SOCK_DIAG, SOCK_DIAG_BY_FAMILY, <c>inet_diag_req_v2</c>),
/// as <c>ss</c> sends and reads them. All netlink headers are in host byte order; ports and addresses in the socket
/// id are in network order.
/// </summary>
public static class InetDiagMessages
{
    public const int AfInet = 2;
    public const int AfInet6 = 10;
    public const int NlmsgHeaderLength = 16;
    public const int RequestLength = NlmsgHeaderLength + 56;
    public const int DiagMessageLength = 72;

    private const ushort NlmsgError = 2;
    private const ushort NlmsgDone = 3;
    private const ushort SockDiagByFamily = 20;
    private const ushort NlmFRequest = 0x1;
    private const ushort NlmFDump = 0x300;
    private const byte IpProtoTcp = 6;

    /// <summary>A dump request for TCP sockets of <paramref name="family"/> in the states whose bits are set in <paramref name="states"/>.</summary>
    public static byte[] BuildRequest(int family, uint states, uint sequence)
    {
        var request = new byte[RequestLength];
        var span = request.AsSpan();
        HostOrder.WriteUInt32(span, (uint)RequestLength);
        HostOrder.WriteUInt16(span[4..], SockDiagByFamily);
        HostOrder.WriteUInt16(span[6..], NlmFRequest | NlmFDump);
        HostOrder.WriteUInt32(span[8..], sequence);

        // struct inet_diag_req_v2: family, protocol, ext, pad, states, then a zero inet_diag_sockid (no filter).
        span[16] = (byte)family;
        span[17] = IpProtoTcp;
        HostOrder.WriteUInt32(span[20..], states);
        return request;
    }

    /// <summary>
    /// Reads one datagram of replies: zero or more netlink messages, each 4-byte aligned. A truncated or malformed
    /// message throws <see cref="FormatException"/>: the kernel never sends one, so it means we read it wrong.
    /// </summary>
    public static InetDiagBatch Parse(ReadOnlySpan<byte> datagram)
    {
        var sockets = new List<InetDiagSocket>();
        var offset = 0;
        while (datagram.Length - offset >= NlmsgHeaderLength)
        {
            var message = datagram[offset..];
            var length = (int)HostOrder.ReadUInt32(message);
            var type = HostOrder.ReadUInt16(message[4..]);
            if (length < NlmsgHeaderLength || length > message.Length)
            {
                throw new FormatException($"netlink message at byte {offset} claims {length} bytes; {message.Length} remain");
            }

            var payload = message[NlmsgHeaderLength..length];
            switch (type)
            {
                case NlmsgDone:
                    return new InetDiagBatch(sockets, true, 0);
                case NlmsgError:
                    if (payload.Length < 4)
                    {
                        throw new FormatException("NLMSG_ERROR without its error number");
                    }

                    var error = -HostOrder.ReadInt32(payload);
                    return new InetDiagBatch(sockets, error == 0, error);
                case SockDiagByFamily:
                    sockets.Add(ParseSocket(payload));
                    break;
                default:
                    // NLMSG_NOOP, NLMSG_OVERRUN or a type we did not ask for: nothing of ours in it.
                    break;
            }

            offset += (length + 3) & ~3;
        }

        return new InetDiagBatch(sockets, false, 0);
    }

    /// <summary>struct inet_diag_msg (72 bytes); attributes after it are not requested and are ignored.</summary>
    public static InetDiagSocket ParseSocket(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < DiagMessageLength)
        {
            throw new FormatException($"inet_diag_msg of {payload.Length} bytes; expected at least {DiagMessageLength}");
        }

        int family = payload[0];
        var addressLength = family switch
        {
            AfInet => 4,
            AfInet6 => 16,
            _ => throw new FormatException($"inet_diag_msg of address family {family}"),
        };

        // struct inet_diag_sockid at 4: sport, dport (big-endian), src[4], dst[4] (32-bit words, network order), if, cookie[2].
        var localPort = BinaryPrimitives.ReadUInt16BigEndian(payload[4..]);
        var remotePort = BinaryPrimitives.ReadUInt16BigEndian(payload[6..]);
        var local = new IPAddress(payload.Slice(8, addressLength));
        var remote = new IPAddress(payload.Slice(24, addressLength));
        return new InetDiagSocket(
            family,
            payload[1],
            new IPEndPoint(local, localPort),
            new IPEndPoint(remote, remotePort),
            HostOrder.ReadUInt32(payload[40..]),
            HostOrder.ReadUInt32(payload[56..]),
            HostOrder.ReadUInt32(payload[60..]),
            HostOrder.ReadUInt32(payload[64..]),
            HostOrder.ReadUInt32(payload[68..]));
    }
}
