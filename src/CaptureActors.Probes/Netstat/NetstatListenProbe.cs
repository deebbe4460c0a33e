using System.Net;
using CaptureActors.Probes.Netstat.SockDiag;
using CaptureActors.Probes.Sockets;
using CaptureActors.Protocol;

namespace CaptureActors.Probes.Netstat;

/// <summary>
/// <c>netstat listen</c>: every TCP listener's accept queue (qlen), handshakes in progress (incqlen) and maximum accept
/// queue (maxqlen), as FreeBSD's <c>netstat -L</c>. procfs has no maximum, so this reads netlink sock_diag as
/// <c>ss -lnt</c> does: for a listener the kernel reports the accept queue as idiag_rqueue and the backlog as
/// idiag_wqueue; each handshake in progress is a SYN_RECV request socket on the listener's address and port.
/// </summary>
public static class NetstatListenProbe
{
    public static Task<IProbeResult> RunAsync(ListNetstatListenQueues command, ProbeContext context)
    {
        var token = context.CancellationToken;
        List<InetDiagSocket> sockets;
        try
        {
            sockets =
            [
                .. InetDiagClient.DumpTcp(InetDiagMessages.AfInet, InetDiagClient.ListenState | InetDiagClient.SynReceivedStates, token),
                .. InetDiagClient.DumpTcp(InetDiagMessages.AfInet6, InetDiagClient.ListenState | InetDiagClient.SynReceivedStates, token),
            ];
        }
        catch (TimeoutException e)
        {
            throw new ProbeException(ErrorCode.Timeout, e.Message, e);
        }
        catch (IOException e)
        {
            throw new ProbeException(ErrorCode.IoError, $"cannot read the TCP listeners through netlink sock_diag: {e.Message}", e);
        }

        return Task.FromResult<IProbeResult>(new NetstatListenReport(command.ProbeId, Summarise(sockets)));
    }

    /// <summary>Listeners with their queues, by port then address; SYN_RECV sockets count toward the listener they arrived at.</summary>
    public static IReadOnlyList<ListenQueue> Summarise(IReadOnlyList<InetDiagSocket> sockets)
    {
        const int listen = 10;
        var listeners = sockets.Where(s => s.State == listen).ToList();
        var handshakes = sockets.Where(s => s.State != listen).ToList();
        return listeners
            .Select(l => new ListenQueue(
                l.Family == InetDiagMessages.AfInet6 ? "IPv6" : "IPv4",
                TcpServicesProbe.AddressText(l.Local.Address),
                l.Local.Port,
                l.ReceiveQueue,
                handshakes.Count(h => h.Local.Port == l.Local.Port && Owns(l, h, listeners)),
                l.SendQueue,
                l.Inode))
            .OrderBy(q => q.LocalPort)
            .ThenBy(q => q.Family, StringComparer.Ordinal)
            .ThenBy(q => q.LocalAddress, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// Whether handshake <paramref name="handshake"/> (same port) belongs to <paramref name="listener"/>: the listener's
    /// exact address wins over a wildcard one; an IPv6 wildcard listener also takes IPv4 when no IPv4 listener does.
    /// </summary>
    private static bool Owns(InetDiagSocket listener, InetDiagSocket handshake, List<InetDiagSocket> listeners)
    {
        var address = SocketAddresses.Unmapped(handshake.Local.Address);
        var candidates = listeners.Where(l => l.Local.Port == handshake.Local.Port).ToList();
        var best = candidates.FirstOrDefault(l => SocketAddresses.Unmapped(l.Local.Address).Equals(address))
            ?? candidates.FirstOrDefault(l => l.Family == handshake.Family && SocketAddresses.IsWildcard(l.Local.Address))
            ?? candidates.FirstOrDefault(l => SocketAddresses.IsWildcard(l.Local.Address));
        return ReferenceEquals(best, listener);
    }
}
