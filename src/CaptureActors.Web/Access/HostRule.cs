using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Http;

namespace CaptureActors.Web.Access;

/// <summary>
/// The names this server answers to, against DNS rebinding: a page of another site whose name is made to resolve to
/// this address still sends its own name as <c>Host</c> (and <c>Origin</c>), so only this server's own names pass.
/// Those are the loopback literals <c>127.0.0.1</c> and <c>[::1]</c>, <c>localhost</c>, the address it listens on (or,
/// listening on every address, the one the connection came to), and the names given with <c>--allowed-host</c>;
/// each with the port it listens on, and also without port where that is the scheme's default (80, 443). IP
/// literals must be written canonically (<c>127.1</c> is refused). Pure: no I/O, one instance per server.
/// </summary>
public sealed class HostRule
{
    private readonly HashSet<string> _names;
    private readonly HashSet<IPAddress> _addresses;
    private readonly bool _wildcard;

    public HostRule(WebServerOptions options)
    {
        Scheme = options.Scheme;
        _names = new HashSet<string>(["localhost"], StringComparer.OrdinalIgnoreCase);
        _addresses = [IPAddress.Loopback, IPAddress.IPv6Loopback];
        _wildcard = options.Listen.Address.Equals(IPAddress.Any) || options.Listen.Address.Equals(IPAddress.IPv6Any);
        if (!_wildcard)
        {
            _addresses.Add(options.Listen.Address);
        }

        foreach (var name in options.AllowedHosts)
        {
            if (IPAddress.TryParse(name, out var address))
            {
                _addresses.Add(address);
            }
            else
            {
                _names.Add(name);
            }
        }
    }

    /// <summary><c>http</c> or <c>https</c>: the only scheme an <c>Origin</c> of this server can have.</summary>
    public string Scheme { get; }

    private int DefaultPort => Scheme == "https" ? 443 : 80;

    /// <summary>
    /// Null when <paramref name="host"/> (a <c>Host</c> header's value) names this server on <paramref name="connection"/>'s
    /// port; otherwise the status (400 missing or malformed, 421 another name) and the plain-text refusal.
    /// </summary>
    public (int Status, string Message)? CheckHost(string host, ConnectionInfo connection)
    {
        if (host.Length == 0)
        {
            return (StatusCodes.Status400BadRequest, $"the request has no Host header; allowed: {Describe(connection)}");
        }

        if (!TrySplit(host, out var name, out var port))
        {
            return (StatusCodes.Status400BadRequest, $"Host '{Shown(host)}' is not HOST[:PORT]; allowed: {Describe(connection)}");
        }

        return Allows(name, port ?? DefaultPort, connection)
            ? null
            : (StatusCodes.Status421MisdirectedRequest,
                $"Host '{Shown(host)}' is not a name this server answers to; allowed: {Describe(connection)}; add one with --allowed-host NAME");
    }

    /// <summary>True when <paramref name="origin"/> (an <c>Origin</c> or <c>Referer</c> URL) is this server: same scheme, an allowed name and port.</summary>
    public bool IsOwnOrigin(string origin, ConnectionInfo connection)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || !string.Equals(uri.Scheme, Scheme, StringComparison.OrdinalIgnoreCase)
            || uri.UserInfo.Length > 0)
        {
            return false;
        }

        // Uri.Host keeps IPv6 brackets; the port is the scheme's default when the origin names none.
        return TrySplit(uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port.ToString(CultureInfo.InvariantCulture)}", out var name, out var port)
            && Allows(name, port ?? DefaultPort, connection);
    }

    /// <summary>The allowed <c>HOST:PORT</c>s for this connection, for refusals.</summary>
    public string Describe(ConnectionInfo connection) => Describe(connection.LocalPort, Local(connection));

    /// <summary>
    /// The allowed <c>HOST:PORT</c>s on <paramref name="port"/>; <paramref name="local"/>: the address a connection came
    /// to (null: not known yet; a server on every address then says it answers to each of its addresses).
    /// </summary>
    public string Describe(int port, IPAddress? local = null)
    {
        var text = port.ToString(CultureInfo.InvariantCulture);
        var addresses = _addresses.Append(local).OfType<IPAddress>().Distinct().Select(Literal);
        var names = _names.Order(StringComparer.Ordinal);
        var all = string.Join(", ", addresses.Concat(names).Select(n => $"{n}:{text}"));
        if (local is null && _wildcard)
        {
            all += $", any address of this machine:{text}";
        }

        return port == DefaultPort ? $"{all} (:{text} may be left out)" : all;
    }

    private bool Allows(string name, int port, ConnectionInfo connection)
    {
        if (port != connection.LocalPort)
        {
            return false;
        }

        if (IPAddress.TryParse(name, out var address))
        {
            // Only the canonical spelling: browsers send no other, and it keeps '127.1' or '0x7f.1' from passing as names.
            return address.ToString() == name && (_addresses.Contains(address) || address.Equals(Local(connection)));
        }

        return _names.Contains(name);
    }

    /// <summary>The address the connection came to, IPv4 as such (a dual-stack socket reports it mapped into IPv6).</summary>
    private static IPAddress? Local(ConnectionInfo connection) =>
        connection.LocalIpAddress is { IsIPv4MappedToIPv6: true } mapped ? mapped.MapToIPv4() : connection.LocalIpAddress;

    private static string Literal(IPAddress address) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();

    /// <summary>Splits <c>name[:port]</c> or <c>[v6][:port]</c>; the name lower-cased, IPv6 without brackets.</summary>
    private static bool TrySplit(string host, out string name, out int? port)
    {
        name = "";
        port = null;
        string rest;
        if (host.StartsWith('['))
        {
            var close = host.IndexOf(']', StringComparison.Ordinal);
            if (close < 2)
            {
                return false;
            }

            name = host[1..close];
            rest = host[(close + 1)..];
            if (!IPAddress.TryParse(name, out var v6) || v6.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                return false;
            }
        }
        else
        {
            var colon = host.IndexOf(':', StringComparison.Ordinal);
            name = colon < 0 ? host : host[..colon];
            rest = colon < 0 ? "" : host[colon..];
            if (name.Length == 0 || name.Contains(':', StringComparison.Ordinal))
            {
                return false;
            }
        }

        if (rest.Length > 0)
        {
            if (rest[0] != ':' || !int.TryParse(rest.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed is < 1 or > 65535)
            {
                return false;
            }

            port = parsed;
        }

        name = name.ToLowerInvariant();
        return true;
    }

    /// <summary>A header's value as quoted in a refusal: bounded, so a huge header does not make a huge answer.</summary>
    internal static string Shown(string value) => value.Length <= 100 ? value : value[..100] + "...";
}
