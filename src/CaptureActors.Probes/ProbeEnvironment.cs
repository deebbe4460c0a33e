using System.Net;
using System.Net.Sockets;

namespace CaptureActors.Probes;

/// <summary>
/// The node as the probes see it. Defaults are the real machine; tests point <see cref="ProcRoot"/> at fixtures.
/// </summary>
public sealed record ProbeEnvironment
{
    /// <summary>Where procfs is mounted (<c>/proc</c>).</summary>
    public string ProcRoot { get; init; } = "/proc";

    /// <summary>The password database used to name socket owners (<c>/etc/passwd</c>).</summary>
    public string PasswdFile { get; init; } = "/etc/passwd";

    /// <summary>iproute2's <c>ip</c> (neighbour caches, links, addresses; run with <c>-j</c> for JSON).</summary>
    public string IpCommand { get; init; } = "ip";

    /// <summary>Where sysfs lists network devices (<c>/sys/class/net</c>): MTU, hardware address, speed, duplex, carrier.</summary>
    public string SysClassNet { get; init; } = "/sys/class/net";

    /// <summary>
    /// The addresses the agent's own remote link uses (its listen address; <c>0.0.0.0</c>/<c>::</c> for every address
    /// of that family). <c>etherconfig</c> refuses changes to an interface holding one. Empty for the embedded agent.
    /// </summary>
    public IReadOnlyList<IPAddress> AgentLinkAddresses { get; init; } = [];

    /// <summary>Resolves a host name to addresses of a family (<see cref="AddressFamily.Unspecified"/>: any) — the system resolver.</summary>
    public Func<string, AddressFamily, CancellationToken, Task<IPAddress[]>> ResolveHost { get; init; } = System.Net.Dns.GetHostAddressesAsync;
}
