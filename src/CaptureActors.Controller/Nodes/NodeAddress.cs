using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using CaptureActors.Protocol;

namespace CaptureActors.Controller.Nodes;

/// <summary>
/// A node as the controller knows it: a name and the host:port its agent listens on. This is the one place that
/// turns a node into its agent's actor path (<c>akka.tcp://capture-agent@HOST:PORT/user/agent</c>).
/// </summary>
public sealed partial record NodeAddress(string Name, string Host, int Port)
{
    private const string Expected = "NAME=HOST:PORT, e.g. gw1=10.0.0.5:4710 or lab1=[::1]:4711 (name: letters, digits, '.', '-')";

    [GeneratedRegex(@"^(?<name>[A-Za-z0-9][A-Za-z0-9.\-]{0,62})=(?:\[(?<host6>[0-9A-Fa-f:.]+)\]|(?<host>[A-Za-z0-9.\-]+)):(?<port>\d{1,5})$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    /// <summary>The agent's guardian as an Akka.Remote path.</summary>
    public string AgentPath => AgentAddress.Path(Host, Port);

    public string Endpoint => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    public static bool TryParse(string text, out NodeAddress? node, out string error)
    {
        node = null;
        var match = Pattern().Match(text.Trim());
        if (!match.Success)
        {
            // A failed match may be any text (a line of a nodes file): echoed shortened and escaped.
            error = $"{TextBounds.Quote(text, 300)} is not a node: expected {Expected}";
            return false;
        }

        var port = int.Parse(match.Groups["port"].Value, CultureInfo.InvariantCulture);
        if (port is < 1 or > 65535)
        {
            error = $"'{text}': port {port} is out of range 1 to 65535";
            return false;
        }

        var host = match.Groups["host6"].Success ? match.Groups["host6"].Value : match.Groups["host"].Value;
        if (match.Groups["host6"].Success && !IPAddress.TryParse(host, out _))
        {
            error = $"'{text}': '{host}' is not an IPv6 address";
            return false;
        }

        node = new NodeAddress(match.Groups["name"].Value, host, port);
        error = "";
        return true;
    }

    public static NodeAddress Parse(string text) =>
        TryParse(text, out var node, out var error) ? node! : throw new FormatException(error);

    public override string ToString() => $"{Name}={Endpoint}";
}
