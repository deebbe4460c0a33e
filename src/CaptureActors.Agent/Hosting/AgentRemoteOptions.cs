using System.Net;
using System.Net.Sockets;

namespace CaptureActors.Agent.Hosting;

/// <summary>Where an agent listens for controllers and consoles (Akka.Remote, <c>akka.tcp://capture-agent@HOST:PORT</c>).</summary>
public sealed class AgentRemoteOptions
{
    /// <summary>The port agents listen on unless told otherwise (<c>--listen</c>).</summary>
    public const int DefaultPort = 4710;

    /// <summary>The address agents listen on unless told otherwise: loopback only, nothing reachable from outside.</summary>
    public const string DefaultHost = "127.0.0.1";

    /// <summary>Address or host name to bind. <c>0.0.0.0</c> binds every IPv4 address (then set <see cref="PublicHostname"/>).</summary>
    public string Hostname { get; set; } = DefaultHost;

    /// <summary>TCP port to bind; 0 picks a free one (tests).</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>The host name or address other nodes use to reach this agent, when it differs from <see cref="Hostname"/>.</summary>
    public string? PublicHostname { get; set; }

    /// <summary>
    /// The addresses the agent's remote link uses, for the probes that must not cut it (etherconfig): the bound
    /// address (<c>0.0.0.0</c>/<c>::</c> stand for every address) and the public one. Names are resolved now;
    /// a name that does not resolve contributes nothing.
    /// </summary>
    public IReadOnlyList<IPAddress> LinkAddresses() =>
        [.. new[] { Hostname, PublicHostname }.OfType<string>().SelectMany(Resolve).Distinct()];

    private static IEnumerable<IPAddress> Resolve(string host)
    {
        if (IPAddress.TryParse(host.Trim('[', ']'), out var address))
        {
            return [address];
        }

        try
        {
            return Dns.GetHostAddresses(host);
        }
        catch (SocketException)
        {
            return [];
        }
    }
}
