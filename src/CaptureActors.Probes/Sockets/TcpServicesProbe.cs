using System.Net;
using CaptureActors.Protocol;

namespace CaptureActors.Probes.Sockets;

/// <summary><c>tcpservices</c>: listening sockets with the process and user that hold them, sorted by protocol, port, address.</summary>
public static class TcpServicesProbe
{
    public static async Task<IProbeResult> RunAsync(SocketTable sockets, ListTcpServices command, ProbeContext context)
    {
        var entries = await sockets.ReadAsync(context.CancellationToken).ConfigureAwait(false);
        var owners = sockets.ReadOwners();
        var users = sockets.ReadUserNames();
        var services = entries
            .Where(e => e.IsListening)
            .Select(e =>
            {
                var owner = owners.GetValueOrDefault(e.Inode);
                return new ListeningService(
                    owner?.Command ?? "?",
                    owner?.Pid,
                    users.NameOf(e.Uid),
                    e.IsIPv6 ? "IPv6" : "IPv4",
                    e.Protocol == SocketProtocol.Tcp ? "tcp" : "udp",
                    AddressText(e.Local.Address),
                    e.Local.Port);
            })
            .Distinct()
            .OrderBy(s => s.Protocol, StringComparer.Ordinal)
            .ThenBy(s => s.LocalPort)
            .ThenBy(s => s.Type, StringComparer.Ordinal)
            .ThenBy(s => s.LocalAddress, StringComparer.Ordinal)
            .ToList();
        return new TcpServicesReport(command.ProbeId, services);
    }

    /// <summary><c>*</c> for the wildcard address of either family, else the address as text.</summary>
    public static string AddressText(IPAddress address) =>
        SocketAddresses.IsWildcard(address) ? "*" : SocketAddresses.Unmapped(address).ToString();
}
