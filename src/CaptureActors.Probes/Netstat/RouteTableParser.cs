using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Text;
using CaptureActors.Probes.Sockets;
using CaptureActors.Protocol;

namespace CaptureActors.Probes.Netstat;

/// <summary>
/// Parses the kernel's routing tables as procfs prints them: <c>/proc/net/route</c> (IPv4 main table,
/// net/ipv4/fib_trie.c fib_route_seq_show) and <c>/proc/net/ipv6_route</c> (net/ipv6/route.c rt6_info_route).
/// Flags become net-tools' letters. Malformed lines are skipped.
/// </summary>
public static class RouteTableParser
{
    // include/uapi/linux/route.h and include/uapi/linux/ipv6_route.h
    private const uint Up = 0x1;
    private const uint Gateway = 0x2;
    private const uint Host = 0x4;
    private const uint Reinstate = 0x8;
    private const uint Dynamic = 0x10;
    private const uint Modified = 0x20;
    private const uint Reject = 0x200;
    private const uint Default6 = 0x10000;
    private const uint AllOnLink = 0x20000;
    private const uint AddrConf = 0x40000;
    private const uint NoNextHop = 0x200000;
    private const uint Expires = 0x400000;
    private const uint Cache = 0x1000000;
    private const uint Flow = 0x2000000;

    /// <summary>
    /// <c>Iface Destination Gateway Flags RefCnt Use Metric Mask MTU Window IRTT</c>; addresses are hex of the kernel's
    /// in-memory (network order) words, printed as native integers.
    /// </summary>
    public static IReadOnlyList<RouteEntry> ParseIPv4(string text)
    {
        var routes = new List<RouteEntry>();
        foreach (var line in text.Split('\n').Skip(1))
        {
            var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 8
                || !TryParseIPv4(fields[1], out var destination)
                || !TryParseIPv4(fields[2], out var gateway)
                || !uint.TryParse(fields[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var flags)
                || !long.TryParse(fields[6], NumberStyles.Integer, CultureInfo.InvariantCulture, out var metric)
                || !TryParseIPv4(fields[7], out var mask))
            {
                continue;
            }

            var length = Prefixes.LengthOfMask(mask);
            var target = length is { } l ? Prefixes.RouteText(destination, l) : $"{destination}/{mask}";
            routes.Add(new RouteEntry("IPv4", target, SocketAddresses.Text(gateway), FlagsIPv4(flags), InterfaceText(fields[0]), metric));
        }

        return routes;
    }

    /// <summary>
    /// <c>DEST PLEN SRC SPLEN NEXTHOP METRIC REFCNT USE FLAGS IFACE</c>: addresses as 32 hex digits in network order,
    /// numbers in hex.
    /// </summary>
    public static IReadOnlyList<RouteEntry> ParseIPv6(string text)
    {
        var routes = new List<RouteEntry>();
        foreach (var line in text.Split('\n'))
        {
            var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 10
                || !TryParseIPv6(fields[0], out var destination)
                || !int.TryParse(fields[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var length)
                || length is < 0 or > 128
                || !TryParseIPv6(fields[4], out var gateway)
                || !uint.TryParse(fields[5], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var metric)
                || !uint.TryParse(fields[8], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var flags))
            {
                continue;
            }

            routes.Add(new RouteEntry("IPv6", Prefixes.RouteText(destination, length), SocketAddresses.Text(gateway), FlagsIPv6(flags), InterfaceText(fields[9]), metric));
        }

        return routes;
    }

    /// <summary>net-tools' letters for an IPv4 route (lib/inet_gr.c).</summary>
    public static string FlagsIPv4(uint flags)
    {
        var text = new StringBuilder();
        Append(text, flags, Up, 'U');
        Append(text, flags, Gateway, 'G');
        Append(text, flags, Reject, '!');
        Append(text, flags, Host, 'H');
        Append(text, flags, Reinstate, 'R');
        Append(text, flags, Dynamic, 'D');
        Append(text, flags, Modified, 'M');
        return text.ToString();
    }

    /// <summary>net-tools' letters for an IPv6 route (lib/inet6_gr.c).</summary>
    public static string FlagsIPv6(uint flags)
    {
        var text = new StringBuilder();
        Append(text, flags, Up, 'U');
        Append(text, flags, Reject, '!');
        Append(text, flags, Gateway, 'G');
        Append(text, flags, Host, 'H');
        Append(text, flags, Default6, 'D');
        Append(text, flags, AddrConf, 'A');
        Append(text, flags, Cache, 'C');
        Append(text, flags, AllOnLink, 'a');
        Append(text, flags, Expires, 'e');
        Append(text, flags, Modified, 'm');
        Append(text, flags, NoNextHop, 'n');
        Append(text, flags, Flow, 'f');
        return text.ToString();
    }

    private static void Append(StringBuilder text, uint flags, uint flag, char letter)
    {
        if ((flags & flag) != 0)
        {
            text.Append(letter);
        }
    }

    private static string InterfaceText(string name) => name == "*" ? "" : name;

    private static bool TryParseIPv4(string hex, out IPAddress address)
    {
        address = IPAddress.None;
        if (hex.Length != 8 || !uint.TryParse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[4];
        if (BitConverter.IsLittleEndian)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        }

        address = new IPAddress(bytes);
        return true;
    }

    private static bool TryParseIPv6(string hex, out IPAddress address)
    {
        address = IPAddress.IPv6None;
        if (hex.Length != 32)
        {
            return false;
        }

        try
        {
            address = new IPAddress(Convert.FromHexString(hex));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
