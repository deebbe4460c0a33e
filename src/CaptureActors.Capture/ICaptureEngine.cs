namespace CaptureActors.Capture;

/// <summary>
/// Live capture on this machine: inventory, filter and privilege checks, and one capture per interface.
/// The libpcap implementation is <see cref="LibPcapCaptureEngine"/>; actor tests use a fake.
/// </summary>
public interface ICaptureEngine
{
    /// <summary>Every interface of this machine (and network namespace), with its state and whether libpcap can open it.</summary>
    IReadOnlyList<InterfaceInfo> ListInterfaces();

    /// <summary>Compiles <paramref name="filter"/> with libpcap's compiler; the error is libpcap's own message.</summary>
    FilterCheck CheckFilter(string filter);

    /// <summary>Null when this process may open capture devices; otherwise what is missing (e.g. CAP_NET_RAW).</summary>
    string? MissingCapturePrivilege();

    /// <summary>
    /// Opens the device, applies the filter and starts writing on a dedicated thread.
    /// Throws <see cref="CaptureStartException"/> when the capture cannot start (nothing is left behind then).
    /// </summary>
    IInterfaceCapture Start(InterfaceCaptureRequest request);
}

/// <summary>Result of compiling a BPF filter.</summary>
public readonly record struct FilterCheck(bool IsValid, string? Error)
{
    public static readonly FilterCheck Valid = new(true, null);

    public static FilterCheck Invalid(string error) => new(false, error);
}

/// <summary>An interface as libpcap and the kernel see it.</summary>
/// <param name="LinkType">libpcap's data-link name (EN10MB, LINUX_SLL, ...); "unknown" when it cannot be read.</param>
/// <param name="Capturable">Listed by pcap_findalldevs, so libpcap can open it.</param>
public sealed record InterfaceInfo(
    string Name,
    bool IsUp,
    IReadOnlyList<string> Addresses,
    int? Mtu,
    string LinkType,
    bool Capturable,
    string? Description);

/// <summary>What one interface's capture must do.</summary>
/// <param name="Interface">Interface name, or <c>any</c>.</param>
/// <param name="SegmentPath">Path of the file for segment number 1, 2, 3, ... (rotation).</param>
/// <param name="MaxFileSizeBytes">Rotate (ring) or stop (<see cref="CaptureEndReason.SizeReached"/>) before a file would exceed this.</param>
/// <param name="RingFiles">Keep at most this many segment files, deleting the oldest; null: stop at the size limit.</param>
/// <param name="Deadline">Stop with <see cref="CaptureEndReason.DurationReached"/> at this time.</param>
/// <param name="FlushInterval">Longest time a captured packet waits in memory before it is in the file (readable by tcpdump).</param>
/// <param name="StartAt">A scheduled start: packets stamped before this instant are not written (the device opens at once).</param>
/// <param name="IsKept">Files (by path) the ring must not delete (marked keep); they stay and no longer count in the ring.</param>
/// <param name="SegmentClosed">Called on the capture thread when a segment has been closed by a rotation (its SHA-256 and counts final); must not block.</param>
/// <param name="Written">Called on the capture thread each time another <paramref name="WrittenEveryBytes"/> have been written (the disk guard measures then, not only on its timer); must not block.</param>
public sealed record InterfaceCaptureRequest(
    string Interface,
    string Filter,
    int SnapLength,
    bool Promiscuous,
    Func<int, string> SegmentPath,
    long? MaxFileSizeBytes = null,
    int? RingFiles = null,
    DateTimeOffset? Deadline = null,
    TimeSpan? FlushInterval = null,
    DateTimeOffset? StartAt = null,
    Func<string, bool>? IsKept = null,
    Action<CaptureSegment>? SegmentClosed = null,
    Action? Written = null,
    long WrittenEveryBytes = long.MaxValue);

/// <summary>A running capture of one interface. Disposing stops it and waits for the files to be closed.</summary>
public interface IInterfaceCapture : IDisposable
{
    string Interface { get; }

    /// <summary>A consistent snapshot of the counters; cheap enough to call every second.</summary>
    InterfaceCounters ReadCounters();

    /// <summary>Completes once the capture has ended and every file is closed (never faults).</summary>
    Task<InterfaceCaptureResult> Completion { get; }

    /// <summary>Asks the capture to stop; <see cref="Completion"/> then finishes with <see cref="CaptureEndReason.Stopped"/>.</summary>
    void Stop();

    /// <summary>
    /// Deletes one finished segment file of this capture (the disk guard freeing room in a ring) and forgets it, so the
    /// counters and the result stay true. False, and nothing deleted, for the file being written or a path that is not a
    /// finished segment of this capture.
    /// </summary>
    bool DeleteFinishedSegment(string path) => false;
}

/// <summary>Counters of one interface capture.</summary>
/// <param name="PacketsCaptured">Packets libpcap handed over (after the filter).</param>
/// <param name="PacketsWritten">Packets in the files.</param>
/// <param name="BytesWritten">Bytes written to the files, headers included.</param>
/// <param name="KernelReceived">pcap_stats ps_recv.</param>
/// <param name="KernelDropped">pcap_stats ps_drop.</param>
/// <param name="InterfaceDropped">pcap_stats ps_ifdrop.</param>
/// <param name="CurrentFile">Path of the file being written.</param>
/// <param name="CurrentFileSize">Its size, flushed or not.</param>
/// <param name="FileSizeTotal">Bytes in every segment of this capture that still exists.</param>
/// <param name="Segments">Segments started so far.</param>
/// <param name="Restarts">Times the capture resumed after its link had gone down (each in a new segment).</param>
/// <param name="Gaps">The finished link-down stretches, oldest first (the newest 100); null when there was none.</param>
/// <param name="LinkDownSince">While the link is down: since when (no file is open then); null while it is up.</param>
/// <param name="Closed">The finished segments still on disk; null when the engine does not say.</param>
public readonly record struct InterfaceCounters(
    long PacketsCaptured,
    long PacketsWritten,
    long BytesWritten,
    long KernelReceived,
    long KernelDropped,
    long InterfaceDropped,
    string? CurrentFile,
    long CurrentFileSize,
    long FileSizeTotal,
    int Segments,
    int Restarts = 0,
    IReadOnlyList<LinkGap>? Gaps = null,
    DateTimeOffset? LinkDownSince = null,
    ClosedSegments? Closed = null);

public enum CaptureEndReason
{
    Stopped,
    DurationReached,
    SizeReached,
    InterfaceGone,
    WriteError,
    Error,
}

/// <summary>How an interface capture ended and the files it left.</summary>
/// <param name="Error">What went wrong, for <see cref="CaptureEndReason.WriteError"/>, <see cref="CaptureEndReason.InterfaceGone"/> and <see cref="CaptureEndReason.Error"/>.</param>
/// <param name="Segments">The files still on disk (ring deletions excluded), oldest first.</param>
public sealed record InterfaceCaptureResult(
    CaptureEndReason Reason,
    string? Error,
    IReadOnlyList<CaptureSegment> Segments,
    InterfaceCounters Counters)
{
    /// <summary>What the capture loop cost the managed heap, when the engine measures it (the libpcap engine does).</summary>
    public CaptureLoopAllocation? Allocation { get; init; }
}

/// <summary>
/// The capture loop's allocation evidence: bytes its thread allocated while it ran (GC.GetAllocatedBytesForCurrentThread,
/// so other threads' work, such as the actors', is not counted) and the process's garbage collections meanwhile.
/// </summary>
public sealed record CaptureLoopAllocation(long ThreadAllocatedBytes, int Gen0Collections, int Gen1Collections, int Gen2Collections);

/// <summary>A finished pcap file of a capture.</summary>
public sealed record CaptureSegment(
    string Path,
    int Sequence,
    long SizeBytes,
    long Packets,
    DateTimeOffset? FirstPacketAt,
    DateTimeOffset? LastPacketAt,
    string Sha256);

public enum CaptureStartError
{
    UnknownInterface,
    InvalidFilter,
    PermissionDenied,
    DeviceError,
    IoError,
}

/// <summary>A capture could not start; <see cref="Exception.Message"/> says why in the user's terms.</summary>
public sealed class CaptureStartException(CaptureStartError error, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public CaptureStartError Error { get; } = error;
}
