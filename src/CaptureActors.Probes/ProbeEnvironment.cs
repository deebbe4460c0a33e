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

    /// <summary>Where sysfs lists the network interfaces (<c>/sys/class/net</c>): MTU and hardware address.</summary>
    public string SysClassNetRoot { get; init; } = "/sys/class/net";
}
