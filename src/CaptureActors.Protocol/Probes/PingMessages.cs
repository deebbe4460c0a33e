namespace CaptureActors.Protocol;

/// <summary>Which IP version an ICMP probe (ping, traceroute) uses.</summary>
public enum IcmpFamily
{
    /// <summary>The first address the name resolves to (IPv4 preferred), or the literal's own family.</summary>
    Any,
    V4,
    V6,
}

/// <summary>
/// <c>ping HOST</c>: ICMP echo requests to <paramref name="Host"/>, one event per reply or timeout as it happens
/// (<see cref="PingStarted"/> first, then <see cref="PingResponse"/>s), answered by <see cref="PingSummary"/> —
/// also when cancelled (Ctrl-C) or when the ceiling is near.
/// </summary>
/// <param name="Count">Echo requests to send (1..<see cref="MaxCount"/>); null: until cancelled, at most <see cref="UnboundedCeiling"/>.</param>
/// <param name="Interval">Time between requests (<see cref="MinInterval"/>..<see cref="MaxInterval"/>).</param>
/// <param name="PayloadSize">Data bytes after the 8-byte ICMP header (0..<see cref="MaxPayloadV4"/> or <see cref="MaxPayloadV6"/>).</param>
/// <param name="ReplyTimeout">How long one request waits for its reply before it counts as lost.</param>
public sealed record PingHost(
    string ProbeId,
    string Host,
    int? Count,
    TimeSpan Interval,
    int PayloadSize,
    IcmpFamily Family,
    TimeSpan ReplyTimeout) : IProbeCommand
{
    public const int MaxCount = 100_000;
    public const int DefaultPayloadSize = 56;

    /// <summary>65535 − 20 (IPv4 header) − 8 (ICMP header).</summary>
    public const int MaxPayloadV4 = 65_507;

    /// <summary>As ping6 allows: 65535 − 40 (IPv6 header) − 8 (ICMPv6 header).</summary>
    public const int MaxPayloadV6 = 65_487;

    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(1);

    /// <summary>iputils lets only root go below 200 ms; we refuse it for everyone (a probe is no flood tool).</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(200);

    public static readonly TimeSpan MaxInterval = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan DefaultReplyTimeout = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan MinReplyTimeout = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan MaxReplyTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The longest a ping without count runs before it stops by itself and reports its summary.</summary>
    public static readonly TimeSpan UnboundedCeiling = TimeSpan.FromHours(1);
}

/// <summary>The first event of a ping: the address the host resolved to (<c>PING host (addr): 56 data bytes</c>).</summary>
public sealed record PingStarted(string ProbeId, string Host, string Address, int PayloadSize) : IProbeEvent;

public enum PingOutcome
{
    /// <summary>An echo reply came back.</summary>
    Reply,

    /// <summary>No answer within the reply timeout.</summary>
    Timeout,

    /// <summary>A router or the target said the destination is unreachable (ICMP destination unreachable).</summary>
    Unreachable,

    /// <summary>A router dropped the request because its TTL ran out (ICMP time exceeded).</summary>
    TimeExceeded,
}

/// <summary>What became of one echo request.</summary>
/// <param name="Sequence">The request's icmp_seq (1, 2, …).</param>
/// <param name="From">Who answered; empty for a timeout.</param>
/// <param name="Bytes">ICMP bytes of the answer (header + data); 0 for a timeout.</param>
/// <param name="Ttl">The reply's TTL (IPv4) or hop limit (IPv6); null when unknown (timeouts, a kernel without IPV6_RECVHOPLIMIT).</param>
/// <param name="RoundTripMs">Milliseconds from request to answer; null for a timeout.</param>
/// <param name="Detail">For errors, what the router said (<c>Destination Host Unreachable</c>); else empty.</param>
public sealed record PingResponse(
    string ProbeId,
    int Sequence,
    PingOutcome Outcome,
    string From,
    int Bytes,
    int? Ttl,
    double? RoundTripMs,
    string Detail) : IProbeEvent;

/// <summary>
/// The result of a ping, as iputils summarises it: transmitted, received, errors, loss, and the round trips.
/// </summary>
/// <param name="Errors">Requests answered by an ICMP error (unreachable, time exceeded) instead of a reply.</param>
/// <param name="RoundTrips">Round-trip statistics; null when nothing was received.</param>
/// <param name="Interrupted">Stopped before its count (Ctrl-C, or the ceiling).</param>
public sealed record PingSummary(
    string ProbeId,
    string Host,
    string Address,
    int Transmitted,
    int Received,
    int Errors,
    TimeSpan Elapsed,
    PingRoundTrips? RoundTrips,
    bool Interrupted) : IProbeResult
{
    /// <summary>Lost requests in percent of those sent (0 when none was sent).</summary>
    public double LossPercent => Transmitted == 0 ? 0 : 100.0 * (Transmitted - Received) / Transmitted;
}

/// <summary>Round trips in milliseconds; <paramref name="MdevMs"/> is iputils' mean deviation (population standard deviation).</summary>
public sealed record PingRoundTrips(double MinMs, double AvgMs, double MaxMs, double MdevMs);
