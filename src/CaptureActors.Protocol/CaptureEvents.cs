namespace CaptureActors.Protocol;

/// <summary>The capture runs; its first status.</summary>
public sealed record CaptureStarted(CaptureStatus Status) : ICaptureProtocol;

/// <summary>A start was refused; nothing was started and no file was touched.</summary>
/// <param name="Running">The capture that already runs, when <paramref name="Code"/> is <see cref="ErrorCode.AlreadyRunning"/>.</param>
public sealed record CaptureRejected(ErrorCode Code, string Message, ActiveCaptureInfo? Running = null) : ICaptureProtocol;

/// <summary>The capture a node is busy with: the answer to a second start.</summary>
public sealed record ActiveCaptureInfo(string CaptureId, string Owner, DateTimeOffset StartedAt, int ProcessId);

/// <summary>Reply to <see cref="StopCapture"/>: the final status, or the last known one when nothing ran.</summary>
/// <param name="WasRunning">False when no capture was running (stop is idempotent).</param>
public sealed record CaptureStopped(bool WasRunning, CaptureStatus Status) : ICaptureProtocol;

/// <summary>What a node's capture is doing now, or how its last capture ended.</summary>
/// <param name="OtherProcess">The capture runs in another process sharing this data directory; counters are from its status file.</param>
public sealed record CaptureStatus(
    string Node,
    CaptureState State,
    string? CaptureId,
    CaptureOwner? Owner,
    bool Detached,
    CaptureSettings? Settings,
    DateTimeOffset? StartedAt,
    DateTimeOffset? StoppedAt,
    TimeSpan Elapsed,
    StopReason? StopReason,
    string? Error,
    IReadOnlyList<InterfaceCaptureStatus> Interfaces,
    bool OtherProcess = false,
    int Restarts = 0,
    DiskHeadroom? Disk = null) : ICaptureProtocol
{
    public static CaptureStatus Idle(string node) =>
        new(node, CaptureState.Idle, null, null, false, null, null, null, TimeSpan.Zero, null, null, []);

    public long TotalPacketsWritten => Interfaces.Sum(i => i.PacketsWritten);

    public long TotalFileBytes => Interfaces.Sum(i => i.FileSizeBytes);

    public long TotalKernelDropped => Interfaces.Sum(i => i.KernelDropped + i.InterfaceDropped);
}

/// <summary>Counters of one interface of a capture.</summary>
/// <param name="FileSizeBytes">Bytes in all files of this interface that still exist (current one included).</param>
/// <param name="CurrentFileSizeBytes">While it runs: the size of <paramref name="CurrentFile"/>, the file being written (of a ring: one segment); null otherwise.</param>
/// <param name="PacketsCaptured">Packets libpcap handed over after the filter.</param>
/// <param name="KernelReceived">libpcap's ps_recv (doubled on <c>lo</c>, as tcpdump shows).</param>
/// <param name="KernelDropped">libpcap's ps_drop: packets the kernel dropped because the buffer was full.</param>
/// <param name="InterfaceDropped">libpcap's ps_ifdrop: packets dropped by the interface or driver.</param>
public sealed record InterfaceCaptureStatus(
    string Interface,
    CaptureState State,
    string? CurrentFile,
    long FileSizeBytes,
    long PacketsCaptured,
    long PacketsWritten,
    long BytesWritten,
    long KernelReceived,
    long KernelDropped,
    long InterfaceDropped,
    int Files,
    StopReason? StopReason,
    string? Error,
    int Restarts = 0,
    IReadOnlyList<CaptureGap>? Gaps = null,
    long? CurrentFileSizeBytes = null);

/// <summary>A stretch of time in which an interface of a running capture wrote nothing because it could not
/// capture: the link was down, the agent was restarting. Packets of that stretch are not in any file.</summary>
/// <param name="Reason">What caused it, kebab-case: <c>link-down</c>, <c>agent-restart</c>, <c>device-error</c>.</param>
public sealed record CaptureGap(DateTimeOffset From, DateTimeOffset To, string Reason);

/// <summary>The disk guard's view of the capture directory when the status was taken.</summary>
/// <param name="FreeBytes">Free bytes on the file system of the capture directory (for an unprivileged writer).</param>
/// <param name="FloorBytes">The free-disk floor in bytes (absolute, or the percent resolved against the file system); 0 when off.</param>
/// <param name="CaptureBytes">Bytes of all capture files in the directory.</param>
/// <param name="QuotaBytes">The quota for all capture files; null when off.</param>
public sealed record DiskHeadroom(long FreeBytes, long FloorBytes, long CaptureBytes, long? QuotaBytes)
{
    /// <summary>Bytes that can still be written before the floor or the quota is crossed, whichever comes first.</summary>
    public long HeadroomBytes => Math.Max(0, Math.Min(
        FreeBytes - FloorBytes,
        QuotaBytes is { } quota ? quota - CaptureBytes : long.MaxValue));
}

/// <summary>The node's stored default capture settings.</summary>
public sealed record SetupReport(string Node, CaptureSettings Settings) : ICaptureProtocol;

/// <summary>The answer to <see cref="CheckFilter"/>.</summary>
/// <param name="Node">The node whose libpcap compiled the filter.</param>
/// <param name="Filter">The filter as checked.</param>
/// <param name="Valid">True when a start with this filter would not be refused for it.</param>
/// <param name="Error">
/// Why not: the very message a start with this filter is refused with (libpcap's own text, e.g.
/// <c>invalid filter 'port x': unknown port 'x'</c>, or the length limit); null when valid.
/// </param>
public sealed record FilterChecked(string Node, string Filter, bool Valid, string? Error) : ICaptureProtocol;
