namespace CaptureActors.Protocol;

// netstat's five views (design.md §7): sockets, interfaces, routes, listen, traffic. One request and one report per
// view, so each result is a concrete record the wire and the JSON output carry without polymorphism.

/// <summary><c>netstat sockets</c>: every TCP and UDP socket, IPv4 and IPv6. Answered by <see cref="NetstatSocketsReport"/>.</summary>
public sealed record ListNetstatSockets(string ProbeId) : IProbeCommand;

public sealed record NetstatSocketsReport(string ProbeId, IReadOnlyList<NetstatSocket> Sockets) : IProbeResult;

/// <summary>One socket as <c>netstat -tuan</c> prints it.</summary>
/// <param name="Protocol"><c>tcp</c>, <c>tcp6</c>, <c>udp</c> or <c>udp6</c> (the procfs table it came from).</param>
/// <param name="ReceiveQueue">Recv-Q: bytes not yet read by the process; for a listener, connections not yet accepted.</param>
/// <param name="SendQueue">Send-Q: bytes not yet acknowledged by the peer (TCP) or not yet sent.</param>
/// <param name="LocalAddress">The local address; <c>*</c> for the wildcard.</param>
/// <param name="ForeignAddress">The peer's address; <c>*</c> when there is none.</param>
/// <param name="ForeignPort">The peer's port; 0 when there is none.</param>
/// <param name="State">The TCP state as netstat names it (<c>ESTABLISHED</c>, <c>LISTEN</c>, <c>TIME_WAIT</c> …); for UDP empty, or <c>ESTABLISHED</c> when connected.</param>
public sealed record NetstatSocket(
    string Protocol,
    long ReceiveQueue,
    long SendQueue,
    string LocalAddress,
    int LocalPort,
    string ForeignAddress,
    int ForeignPort,
    string State);

/// <summary><c>netstat interfaces</c>: every interface with its addresses and its counters since boot. Answered by <see cref="NetstatInterfacesReport"/>.</summary>
public sealed record ListNetstatInterfaces(string ProbeId) : IProbeCommand;

public sealed record NetstatInterfacesReport(string ProbeId, IReadOnlyList<InterfaceStatistics> Interfaces) : IProbeResult;

/// <summary>One address of an interface: <c>198.18.0.4/30</c> in network <c>198.18.0.4/30</c>.</summary>
/// <param name="Network">The network the address is in, as prefix: <c>198.18.0.4/30</c>, <c>fe80::/64</c>.</param>
/// <param name="Address">The address itself, without prefix length.</param>
public sealed record InterfaceAddress(string Network, string Address);

/// <summary>An interface's counters (<c>/proc/net/dev</c>, since the interface was created) and addresses.</summary>
/// <param name="LinkAddress">The hardware address (<c>aa:bb:cc:dd:ee:ff</c>); empty when the link has none (loopback, tunnels).</param>
/// <param name="ReceiveDrops">Idrop: received packets dropped (no buffer, unknown protocol…).</param>
/// <param name="TransmitDrops">Drop: packets dropped on the way out.</param>
/// <param name="Collisions">Coll: collisions (half-duplex Ethernet only; 0 elsewhere).</param>
public sealed record InterfaceStatistics(
    string Name,
    int Mtu,
    string LinkAddress,
    IReadOnlyList<InterfaceAddress> Addresses,
    long ReceivePackets,
    long ReceiveErrors,
    long ReceiveDrops,
    long ReceiveBytes,
    long TransmitPackets,
    long TransmitErrors,
    long TransmitDrops,
    long TransmitBytes,
    long Collisions);

/// <summary><c>netstat routes</c>: the IPv4 and IPv6 routing tables. Answered by <see cref="NetstatRoutesReport"/>.</summary>
public sealed record ListNetstatRoutes(string ProbeId) : IProbeCommand;

public sealed record NetstatRoutesReport(string ProbeId, IReadOnlyList<RouteEntry> Routes) : IProbeResult;

/// <summary>One route as <c>netstat -rn</c> (IPv4) and <c>netstat -rn -A inet6</c> print it.</summary>
/// <param name="Family"><c>IPv4</c> or <c>IPv6</c>.</param>
/// <param name="Destination">Destination prefix: <c>198.18.0.4/30</c>, <c>default</c> for 0.0.0.0/0 and ::/0.</param>
/// <param name="Gateway">Next hop; <c>*</c> for a directly connected destination.</param>
/// <param name="Flags">netstat's letters: U up, G gateway, H host, R reinstate, D dynamic, M modified, A addrconf, C cache, ! reject.</param>
/// <param name="Interface">Outgoing interface; empty when the route names none.</param>
public sealed record RouteEntry(string Family, string Destination, string Gateway, string Flags, string Interface, long Metric);

/// <summary><c>netstat listen</c>: the queues of every TCP listener (as FreeBSD's <c>netstat -L</c>). Answered by <see cref="NetstatListenReport"/>.</summary>
public sealed record ListNetstatListenQueues(string ProbeId) : IProbeCommand;

public sealed record NetstatListenReport(string ProbeId, IReadOnlyList<ListenQueue> Listeners) : IProbeResult;

/// <summary>One TCP listener's queues, read through netlink sock_diag as <c>ss -lnt</c> does.</summary>
/// <param name="Family"><c>IPv4</c> or <c>IPv6</c>.</param>
/// <param name="LocalAddress">The bound address; <c>*</c> for the wildcard.</param>
/// <param name="QueueLength">qlen: connections complete and waiting for accept().</param>
/// <param name="IncompleteQueueLength">incqlen: handshakes in progress (SYN received, SYN-ACK sent) for this listener.</param>
/// <param name="MaxQueueLength">maxqlen: the backlog the process passed to listen(), capped by net.core.somaxconn.</param>
/// <param name="Inode">The socket's inode (as in <c>/proc/PID/fd</c>), to find its process.</param>
public sealed record ListenQueue(
    string Family,
    string LocalAddress,
    int LocalPort,
    long QueueLength,
    long IncompleteQueueLength,
    long MaxQueueLength,
    long Inode);

/// <summary>
/// <c>netstat traffic</c>: every interface's packets, errors, drops, bytes and collisions, in and out, per
/// <paramref name="Interval"/>. One <see cref="TrafficSample"/> per interval; the result, a <see cref="NetstatTrafficReport"/>,
/// comes after <paramref name="Count"/> samples, on cancel, or at the probe's time limit.
/// </summary>
/// <param name="Count">Samples to take; null runs until cancelled (or the time limit).</param>
public sealed record WatchNetstatTraffic(string ProbeId, TimeSpan Interval, int? Count) : IProbeCommand;

/// <summary>One interval's traffic.</summary>
/// <param name="Sequence">1 for the first sample.</param>
/// <param name="Elapsed">The interval actually measured (the timer's, not the requested one).</param>
public sealed record TrafficSample(string ProbeId, int Sequence, DateTimeOffset At, TimeSpan Elapsed, IReadOnlyList<InterfaceTraffic> Interfaces) : IProbeEvent;

/// <summary>The run's totals: the sum of every sample, per interface.</summary>
/// <param name="Elapsed">Time covered by the samples taken.</param>
/// <param name="Ended">Why the run ended: <c>count</c>, <c>cancelled</c> or <c>time-limit</c>.</param>
public sealed record NetstatTrafficReport(string ProbeId, int Samples, TimeSpan Interval, TimeSpan Elapsed, string Ended, IReadOnlyList<InterfaceTraffic> Interfaces) : IProbeResult;

/// <summary>Counter differences of one interface over a span of time (a sample's interval, or a whole run).</summary>
public sealed record InterfaceTraffic(
    string Name,
    long InPackets,
    long InErrors,
    long InDrops,
    long InBytes,
    long OutPackets,
    long OutErrors,
    long OutDrops,
    long OutBytes,
    long Collisions);

/// <summary>The bounds of <see cref="WatchNetstatTraffic"/>, checked by the console (usage error) and the agent (refusal).</summary>
public static class NetstatTrafficLimits
{
    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan MaxInterval = TimeSpan.FromHours(1);
    public const int MaxCount = 100_000;

    /// <summary>The longest a run lasts, with or without a count: it then ends with its summary (<c>time-limit</c>).</summary>
    public static readonly TimeSpan MaxRun = TimeSpan.FromHours(1);

    /// <summary>What is wrong with the request, or null when it is within bounds.</summary>
    public static string? Check(TimeSpan interval, int? count) =>
        interval < MinInterval || interval > MaxInterval
            ? $"interval {DurationText.Format(interval)} is out of range: allowed {DurationText.Format(MinInterval)} to {DurationText.Format(MaxInterval)}"
            : count is < 1 or > MaxCount
                ? $"count {count} is out of range: allowed 1 to {MaxCount}"
                : null;
}
