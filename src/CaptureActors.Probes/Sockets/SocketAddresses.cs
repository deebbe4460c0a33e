using System.Net;

namespace CaptureActors.Probes.Sockets;

/// <summary>How the probes name addresses: the wildcard of either family, IPv4-mapped IPv6 addresses.</summary>
public static class SocketAddresses
{
    /// <summary><c>0.0.0.0</c> or <c>::</c>: bound to every address of its family.</summary>
    public static bool IsWildcard(IPAddress address) => address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);

    /// <summary><c>::ffff:a.b.c.d</c> as <c>a.b.c.d</c>; any other address as it is.</summary>
    public static IPAddress Unmapped(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    /// <summary><c>*</c> for the wildcard, else the address as the kernel holds it (IPv4-mapped stays <c>::ffff:a.b.c.d</c>, as netstat shows it).</summary>
    public static string Text(IPAddress address) => IsWildcard(address) ? "*" : address.ToString();
}
