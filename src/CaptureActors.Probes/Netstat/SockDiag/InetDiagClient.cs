namespace CaptureActors.Probes.Netstat.SockDiag;

/// <summary>Dumps TCP sockets through netlink sock_diag (what <c>ss -t</c> reads). No privilege needed; sees this network namespace.</summary>
public static class InetDiagClient
{
    /// <summary>TCP_LISTEN (10).</summary>
    public const uint ListenState = 1u << 10;

    /// <summary>TCP_SYN_RECV (3) and TCP_NEW_SYN_RECV (12): handshakes a listener has not completed.</summary>
    public const uint SynReceivedStates = (1u << 3) | (1u << 12);

    private const int NetlinkSockDiag = 4;
    private const int EnoEnt = 2;
    private const int EAfNoSupport = 97;
    private const int MaxDatagrams = 100_000;
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Every TCP socket of <paramref name="family"/> (<see cref="InetDiagMessages.AfInet"/> or
    /// <see cref="InetDiagMessages.AfInet6"/>) in <paramref name="states"/>. A family the kernel lacks (IPv6 disabled) gives none.
    /// </summary>
    public static IReadOnlyList<InetDiagSocket> DumpTcp(int family, uint states, CancellationToken cancellationToken)
    {
        using var socket = new NetlinkSocket(NetlinkSockDiag);
        var sequence = (uint)Random.Shared.Next(1, int.MaxValue);
        socket.Send(InetDiagMessages.BuildRequest(family, states, sequence));

        var sockets = new List<InetDiagSocket>();
        var buffer = new byte[64 * 1024];
        for (var datagram = 0; datagram < MaxDatagrams; datagram++)
        {
            var length = socket.Receive(buffer, ReplyTimeout, cancellationToken);
            var batch = InetDiagMessages.Parse(buffer.AsSpan(0, length));
            sockets.AddRange(batch.Sockets);
            if (batch.Error is EnoEnt or EAfNoSupport && family == InetDiagMessages.AfInet6)
            {
                return [];
            }

            if (batch.Error != 0)
            {
                throw new IOException($"sock_diag refused the dump: errno {batch.Error}");
            }

            if (batch.Done)
            {
                return sockets;
            }
        }

        throw new IOException($"sock_diag sent more than {MaxDatagrams} datagrams without ending the dump");
    }
}
