namespace CaptureActors.Protocol;

/// <summary>
/// A request run by a node's <c>probes</c> actor (design.md §3): one short-lived child per request. The requester
/// (the sender) receives zero or more <see cref="IProbeEvent"/>s while it runs (ping replies, traceroute hops,
/// traffic samples), then exactly one <see cref="IProbeResult"/>: the probe's result or <see cref="ProbeFailed"/>.
/// </summary>
public interface IProbeCommand : ICaptureProtocol
{
    /// <summary>Chosen by the requester, unique among its running probes; every event and result carries it.</summary>
    string ProbeId { get; }
}

/// <summary>Something a running probe reports before its result.</summary>
public interface IProbeEvent : ICaptureProtocol
{
    string ProbeId { get; }
}

/// <summary>The last message of a probe run.</summary>
public interface IProbeResult : ICaptureProtocol
{
    string ProbeId { get; }
}

/// <summary>
/// Stops a running probe early (Ctrl-C on the console). A probe that can summarise what it saw (ping) answers with
/// its result; others answer <see cref="ProbeFailed"/> with <see cref="ErrorCode.Cancelled"/>. Unknown ids are ignored.
/// </summary>
public sealed record CancelProbe(string ProbeId) : ICaptureProtocol;

/// <summary>The probe could not run or did not finish: what failed and why.</summary>
public sealed record ProbeFailed(string ProbeId, ErrorCode Code, string Message) : IProbeResult;
