using System.Net;
using System.Numerics;

namespace CaptureActors.Probes.Netstat;

/// <summary>Network prefixes as netstat and ip print them: <c>198.18.0.4/30</c>, <c>fd12::/64</c>, <c>default</c>.</summary>
public static class Prefixes
{
    /// <summary>The network <paramref name="address"/> is in, with the host bits cleared.</summary>
    public static IPAddress Network(IPAddress address, int prefixLength)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefixLength - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }

        return new IPAddress(bytes);
    }

    /// <summary><c>NETWORK/LEN</c>, without a scope id.</summary>
    public static string Text(IPAddress address, int prefixLength) => $"{WithoutScope(Network(address, prefixLength))}/{prefixLength}";

    /// <summary>A route's destination: <c>default</c> for the zero-length prefix, else <see cref="Text"/>.</summary>
    public static string RouteText(IPAddress address, int prefixLength) => prefixLength == 0 ? "default" : Text(address, prefixLength);

    /// <summary>The prefix length of a contiguous IPv4 netmask (255.255.255.252 → 30); null when the mask has holes.</summary>
    public static int? LengthOfMask(IPAddress mask)
    {
        var bytes = mask.GetAddressBytes();
        var value = (uint)((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]);
        var length = BitOperations.LeadingZeroCount(~value);
        return length == 32 || (value << length) == 0 ? length : null;
    }

    public static IPAddress WithoutScope(IPAddress address) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && address.ScopeId != 0
            ? new IPAddress(address.GetAddressBytes())
            : address;
}
