using System.Net;
using CaptureActors.Probes.Sockets;
using CaptureActors.Protocol;

namespace CaptureActors.Probes.Netstat;

/// <summary><c>netstat sockets</c>: the procfs socket tables as <c>netstat -tuan</c> shows them, TCP before UDP, IPv4 before IPv6, by local port.</summary>
public static class NetstatSocketsProbe
{
    public static async Task<IProbeResult> RunAsync(SocketTable sockets, ListNetstatSockets command, ProbeContext context)
    {
        var entries = await sockets.ReadAsync(context.CancellationToken).ConfigureAwait(false);
        var rows = entries
            .Select(ToRow)
            .OrderBy(s => s.Protocol, StringComparer.Ordinal)
            .ThenBy(s => s.LocalPort)
            .ThenBy(s => s.LocalAddress, StringComparer.Ordinal)
            .ThenBy(s => s.ForeignPort)
            .ThenBy(s => s.ForeignAddress, StringComparer.Ordinal)
            .ToList();
        return new NetstatSocketsReport(command.ProbeId, rows);
    }

    public static NetstatSocket ToRow(SocketEntry entry)
    {
        var tcp = entry.Protocol == SocketProtocol.Tcp;
        return new NetstatSocket(
            (tcp ? "tcp" : "udp") + (entry.IsIPv6 ? "6" : ""),
            entry.ReceiveQueue,
            entry.SendQueue,
            SocketAddresses.Text(entry.Local.Address),
            entry.Local.Port,
            SocketAddresses.Text(entry.Remote.Address),
            entry.Remote.Port,
            tcp ? SocketStateNames.Of(entry.State) : SocketStateNames.OfUdp(entry.State));
    }
}
