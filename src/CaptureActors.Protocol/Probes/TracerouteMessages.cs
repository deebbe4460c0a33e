namespace CaptureActors.Protocol;

/// <summary>
/// <c>traceroute HOST</c> / <c>traceroute6 HOST</c>: ICMP echo requests with TTL 1, 2, … until the target answers
/// or <paramref name="MaxHops"/> is reached. Emits <see cref="TracerouteStarted"/>, then one
/// <see cref="TracerouteHopDone"/> per hop as it completes; answered by <see cref="TracerouteReport"/> (also when
/// cancelled, with what was found so far).
/// </summary>
/// <param name="Family"><see cref="IcmpFamily.V4"/> for traceroute, <see cref="IcmpFamily.V6"/> for traceroute6.</param>
/// <param name="ProbesPerHop">Probes sent with each TTL (1..<see cref="MaxProbesPerHop"/>).</param>
/// <param name="Wait">How long the probes of one hop wait for answers (<see cref="MinWait"/>..<see cref="MaxWait"/>).</param>
/// <param name="Numeric">Addresses only (<c>-n</c>); otherwise each hop's address is looked up (PTR), at most <see cref="NameWait"/> a hop.</param>
/// <param name="DnsServer">The DNS server for those lookups (<c>IP</c>, <c>IP:PORT</c>, <c>[IPv6]:PORT</c>); null: the node's resolvers.</param>
public sealed record Traceroute(
    string ProbeId,
    string Host,
    IcmpFamily Family,
    int MaxHops,
    int ProbesPerHop,
    TimeSpan Wait,
    bool Numeric = false,
    string? DnsServer = null) : IProbeCommand
{
    public const int DefaultMaxHops = 30;
    public const int MaxMaxHops = 64;
    public const int DefaultProbesPerHop = 3;
    public const int MaxProbesPerHop = 10;

    /// <summary>Data bytes of each probe (traceroute's default packet is 60 bytes over IPv4: 20 + 8 + 32).</summary>
    public const int PayloadSize = 32;

    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan MinWait = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(10);

    /// <summary>The longest one hop's reverse lookups may take; a name not found by then is left out.</summary>
    public static readonly TimeSpan NameWait = TimeSpan.FromSeconds(2);
}

/// <summary>The first event: <c>traceroute to host (addr), 30 hops max, 60 byte packets</c>.</summary>
public sealed record TracerouteStarted(string ProbeId, string Host, string Address, int MaxHops, int PacketBytes) : IProbeEvent;

/// <summary>One hop is done (all its probes answered or their wait ran out).</summary>
public sealed record TracerouteHopDone(string ProbeId, TracerouteHop Hop) : IProbeEvent;

/// <summary>One TTL's probes, in the order sent.</summary>
public sealed record TracerouteHop(int Hop, IReadOnlyList<TracerouteAnswer> Answers);

/// <summary>One probe's answer.</summary>
/// <param name="From">Who answered; empty when nobody did (<c>*</c>).</param>
/// <param name="RoundTripMs">Milliseconds to the answer; null when nobody answered.</param>
/// <param name="Flag">traceroute's annotation for an ICMP error: <c>!H</c>, <c>!N</c>, <c>!P</c>, <c>!X</c>, <c>!A</c> …; else empty.</param>
/// <param name="Name">The name of <paramref name="From"/> (its PTR record), the address itself when it has none or the
/// lookup took too long; empty with <see cref="Traceroute.Numeric"/> (or when nobody answered).</param>
public sealed record TracerouteAnswer(string From, double? RoundTripMs, string Flag, string Name = "");

/// <summary>The whole trace.</summary>
/// <param name="Reached">The target itself answered (an echo reply) at the last hop.</param>
/// <param name="Interrupted">Stopped early (Ctrl-C or the ceiling).</param>
public sealed record TracerouteReport(
    string ProbeId,
    string Host,
    string Address,
    IReadOnlyList<TracerouteHop> Hops,
    bool Reached,
    bool Interrupted) : IProbeResult;
