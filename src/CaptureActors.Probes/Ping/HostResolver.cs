using System.Net;
using System.Net.Sockets;
using CaptureActors.Protocol;

namespace CaptureActors.Probes.Ping;

/// <summary>The address an ICMP probe goes to: an address literal as it is, a name through the node's resolver.</summary>
public static class HostResolver
{
    private const int MaxNameLength = 253;

    /// <param name="tool">The command, for messages (<c>ping</c>, <c>traceroute6</c>).</param>
    /// <exception cref="ProbeException"><see cref="ErrorCode.UnknownHost"/> when the name does not resolve (to the family);
    /// <see cref="ErrorCode.InvalidArgument"/> for a literal of the wrong family or a malformed name.</exception>
    public static async Task<IPAddress> ResolveAsync(ProbeEnvironment environment, string host, IcmpFamily family, string tool, CancellationToken cancellationToken)
    {
        var name = host.Trim();
        if (IPAddress.TryParse(name, out var literal) && (name.Contains(':', StringComparison.Ordinal) || name.Count(c => c == '.') == 3))
        {
            if (literal.IsIPv4MappedToIPv6)
            {
                literal = literal.MapToIPv4();
            }

            return (family, literal.AddressFamily) switch
            {
                (IcmpFamily.V6, AddressFamily.InterNetwork) => throw new ProbeException(
                    ErrorCode.InvalidArgument, $"{tool}: {name} is an IPv4 address, but IPv6 was asked for (drop -6, or use ping/traceroute for IPv4)"),
                (IcmpFamily.V4, AddressFamily.InterNetworkV6) => throw new ProbeException(
                    ErrorCode.InvalidArgument, $"{tool}: {name} is an IPv6 address, but IPv4 was asked for (use ping -6 or traceroute6 for IPv6)"),
                _ => literal,
            };
        }

        if (name.Length == 0 || name.Length > MaxNameLength || name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '/' or '\\' or ','))
        {
            throw new ProbeException(ErrorCode.InvalidArgument, $"{tool}: '{host}' is neither an IP address nor a host name");
        }

        var wanted = family switch
        {
            IcmpFamily.V4 => AddressFamily.InterNetwork,
            IcmpFamily.V6 => AddressFamily.InterNetworkV6,
            _ => AddressFamily.Unspecified,
        };
        IPAddress[] addresses;
        try
        {
            addresses = await environment.ResolveHost(name, wanted, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            throw new ProbeException(ErrorCode.UnknownHost, $"{tool}: unknown host '{name}': {e.Message}", e);
        }

        var usable = addresses.Where(a => a.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6
                && (wanted == AddressFamily.Unspecified || a.AddressFamily == wanted))
            .OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1)
            .FirstOrDefault();
        return usable ?? throw new ProbeException(
            ErrorCode.UnknownHost,
            wanted == AddressFamily.Unspecified ? $"{tool}: unknown host '{name}': no address" : $"{tool}: unknown host '{name}': no {(wanted == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4")} address");
    }
}
