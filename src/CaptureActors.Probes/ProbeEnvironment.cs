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

    /// <summary>Resolves a host name to addresses of a family (<see cref="AddressFamily.Unspecified"/>: any) — the system resolver.</summary>
    public Func<string, AddressFamily, CancellationToken, Task<IPAddress[]>> ResolveHost { get; init; } = Dns.GetHostAddressesAsync;
}
