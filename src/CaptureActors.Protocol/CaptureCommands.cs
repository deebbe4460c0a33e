using Akka.Actor;

namespace CaptureActors.Protocol;

/// <summary>
/// Start a capture on this node. Answered by <see cref="CaptureStarted"/> or <see cref="CaptureRejected"/>.
/// </summary>
/// <param name="Options">Changes to the node's stored setup for this capture.</param>
/// <param name="Owner">Who asks; shown in status.</param>
/// <param name="Detached">False: the capture is bound to <paramref name="OwnerSession"/> and stops when it dies.</param>
/// <param name="OwnerSession">The console session actor watched while attached (DeathWatch).</param>
/// <param name="CaptureId">Set by a controller starting one capture on many nodes; null lets the node choose.</param>
/// <param name="StartAt">
/// A coordinated start: the instant, on this node's clock, from which packets are written (the controller corrects it
/// by the node's measured clock offset). Null: now. The node is reserved and its devices opened as soon as the request
/// arrives, so <see cref="CaptureStarted"/> may come before this instant.
/// </param>
public sealed record StartCapture(
    CaptureOptions Options,
    CaptureOwner Owner,
    bool Detached,
    IActorRef? OwnerSession = null,
    string? CaptureId = null,
    DateTimeOffset? StartAt = null) : ICaptureCommand
{
    /// <summary>How far ahead a start may be scheduled.</summary>
    public static readonly TimeSpan MaxScheduleAhead = TimeSpan.FromMinutes(1);
}

/// <summary>
/// Stop the running capture. Idempotent: answered by <see cref="CaptureStopped"/> whether it was running or not.
/// </summary>
/// <param name="CaptureId">Stop only this capture; null stops whichever runs.</param>
public sealed record StopCapture(string? CaptureId = null) : ICaptureCommand;

/// <summary>Answered by <see cref="CaptureStatus"/>.</summary>
public sealed record GetCaptureStatus : ICaptureCommand
{
    public static readonly GetCaptureStatus Instance = new();
}

/// <summary>Answered by <see cref="SetupReport"/>.</summary>
public sealed record GetSetup : ICaptureCommand
{
    public static readonly GetSetup Instance = new();
}

/// <summary>Change the node's stored default settings. Answered by <see cref="SetupReport"/> or <see cref="CommandFailed"/>.</summary>
public sealed record UpdateSetup(CaptureOptions Options) : ICaptureCommand;

/// <summary>
/// Compile <paramref name="Filter"/> with this node's libpcap, exactly as a start would, without starting or storing
/// anything: the settings form checks a filter while it is typed. Answered by <see cref="FilterChecked"/>; an empty
/// filter (every packet) is valid.
/// </summary>
/// <param name="Filter">BPF filter in tcpdump syntax, at most <see cref="CaptureSettings.MaxFilterLength"/> characters.</param>
public sealed record CheckFilter(string Filter) : ICaptureCommand;
