namespace CaptureActors.Protocol;

/// <summary><c>tcpservices</c>: every listening TCP socket and bound UDP socket of the node. Answered by <see cref="TcpServicesReport"/>.</summary>
public sealed record ListTcpServices(string ProbeId) : IProbeCommand;

public sealed record TcpServicesReport(string ProbeId, IReadOnlyList<ListeningService> Services) : IProbeResult;

/// <summary>One listening socket and the process that holds it (as the appliance's <c>tcpservices</c> shows it).</summary>
/// <param name="Command">The owning process's command name (<c>/proc/PID/comm</c>), or "?" when no process holds it visibly.</param>
/// <param name="Pid">The owning process; null when the socket inode is in no process's fd table we can read.</param>
/// <param name="User">The socket's owner (uid resolved through the password database).</param>
/// <param name="Type"><c>IPv4</c> or <c>IPv6</c>.</param>
/// <param name="Protocol"><c>tcp</c> or <c>udp</c>.</param>
/// <param name="LocalAddress">The bound address; <c>*</c> for the wildcard.</param>
public sealed record ListeningService(
    string Command,
    int? Pid,
    string User,
    string Type,
    string Protocol,
    string LocalAddress,
    int LocalPort);
