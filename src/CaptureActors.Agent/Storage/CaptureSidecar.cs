using CaptureActors.Protocol;

namespace CaptureActors.Agent.Storage;

/// <summary>
/// The JSON sidecar of one capture, beside its pcap files: settings, node, owner, UTC times, stop reason,
/// counters per interface and each finished file's SHA-256. Written when the capture starts (state running)
/// and rewritten when it ends. A detached capture resumed after an agent restart keeps its sidecar: the files of every
/// run (segment) are listed, with the <paramref name="Restarts"/> and the <paramref name="Gaps"/> between runs.
/// </summary>
/// <param name="Restarts">Agent restarts the capture resumed from.</param>
/// <param name="Gaps">Stretches in which the agent did not run (reason <c>agent-restart</c>), oldest first; null: none.</param>
public sealed record CaptureSidecar(
    int FormatVersion,
    string CaptureId,
    string Node,
    CaptureOwner Owner,
    bool Detached,
    CaptureSettings Settings,
    DateTimeOffset StartedAt,
    DateTimeOffset? StoppedAt,
    CaptureState State,
    StopReason? StopReason,
    string? Error,
    IReadOnlyList<SidecarInterface> Interfaces,
    int Restarts = 0,
    IReadOnlyList<CaptureGap>? Gaps = null)
{
    public const int CurrentFormatVersion = 1;

    public IEnumerable<SidecarFile> Files => Interfaces.SelectMany(i => i.Files);

    public bool IsFinished => State is CaptureState.Stopped or CaptureState.Failed;
}

/// <summary>One interface of a capture: its counters and its files (oldest first).</summary>
public sealed record SidecarInterface(
    string Interface,
    StopReason? StopReason,
    string? Error,
    long PacketsCaptured,
    long PacketsWritten,
    long BytesWritten,
    long KernelReceived,
    long KernelDropped,
    long InterfaceDropped,
    IReadOnlyList<SidecarFile> Files)
{
    /// <summary>Times this interface resumed after its link had gone down.</summary>
    public int Restarts { get; init; }

    /// <summary>Stretches in which this interface captured nothing (link down), oldest first; null when none.</summary>
    public IReadOnlyList<CaptureGap>? Gaps { get; init; }
}

/// <summary>A finished pcap file.</summary>
public sealed record SidecarFile(
    string Name,
    long SizeBytes,
    long Packets,
    DateTimeOffset? FirstPacketAt,
    DateTimeOffset? LastPacketAt,
    string Sha256);

public static class CaptureSidecarStatus
{
    /// <summary>The final status a sidecar records (used when the capture ran in another process).</summary>
    public static CaptureStatus ToStatus(this CaptureSidecar sidecar) => new(
        sidecar.Node,
        sidecar.State,
        sidecar.CaptureId,
        sidecar.Owner,
        sidecar.Detached,
        sidecar.Settings,
        sidecar.StartedAt,
        sidecar.StoppedAt,
        (sidecar.StoppedAt ?? DateTimeOffset.UtcNow) - sidecar.StartedAt,
        sidecar.StopReason,
        sidecar.Error,
        [.. sidecar.Interfaces.Select(i => new InterfaceCaptureStatus(
            i.Interface,
            sidecar.State,
            i.Files.LastOrDefault()?.Name,
            i.Files.Sum(f => f.SizeBytes),
            i.PacketsCaptured,
            i.PacketsWritten,
            i.BytesWritten,
            i.KernelReceived,
            i.KernelDropped,
            i.InterfaceDropped,
            i.Files.Count,
            i.StopReason,
            i.Error,
            i.Restarts,
            GapsOf(sidecar, i)))],
        Restarts: sidecar.Restarts);

    /// <summary>The agent-restart gaps of the capture and the link-down gaps of the interface, oldest first; null when none.</summary>
    private static IReadOnlyList<CaptureGap>? GapsOf(CaptureSidecar sidecar, SidecarInterface entry) =>
        (sidecar.Gaps ?? []).Concat(entry.Gaps ?? []).OrderBy(g => g.From).ToList() is { Count: > 0 } gaps ? gaps : null;

    /// <summary>The most recently started capture recorded in <paramref name="captureDirectory"/>, or null.</summary>
    public static CaptureSidecar? Newest(string captureDirectory) =>
        !Directory.Exists(captureDirectory)
            ? null
            : Directory.EnumerateFiles(captureDirectory, "*" + CaptureFileNames.SidecarExtension)
                .Select(AgentJson.TryRead<CaptureSidecar>)
                .OfType<CaptureSidecar>()
                .MaxBy(s => s.StartedAt);
}
